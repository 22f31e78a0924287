"""The report: a readable text section per scenario, and every figure as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from ._figures import OURS, THEIRS, Figure, Section, Spread, Value

_VALUE_WIDTH = 26
_LESS = {"s": "faster", "MiB": "smaller", "": "fewer"}


def _scaled(seconds: float) -> tuple[float, str]:
    magnitude = abs(seconds)
    if magnitude < 1e-3:
        return 1e6, "µs"
    if magnitude < 1:
        return 1e3, "ms"
    return 1, "s"


def _number(value: float, unit: str, factor: float) -> str:
    scaled = value * factor
    if unit == "":
        return f"{scaled:.0f}" if scaled == int(scaled) else f"{scaled:.1f}"
    return f"{scaled:.2f}" if abs(scaled) < 10 else f"{scaled:.1f}" if abs(scaled) < 100 else f"{scaled:.0f}"


def format_value(value: Value, unit: str) -> str:
    """`value` in `unit`, with its [min-max] when it is a spread that varied; seconds scale to µs or ms."""
    if value is None:
        return "—"
    number = value.value if isinstance(value, Spread) else value
    factor, shown = _scaled(number) if unit == "s" else (1.0, unit)
    text = _number(number, unit, factor) + (f" {shown}" if shown else "")
    if isinstance(value, Spread) and value.low != value.high:
        text += f" [{_number(value.low, unit, factor)}\N{EN DASH}{_number(value.high, unit, factor)}]"
    return text


def format_ratio(figure: Figure) -> str:
    """settings_cred ÷ azure-identity, with the inverse spelt out when settings_cred is far ahead."""
    ratio = figure.ratio
    if ratio is None:
        return "—"
    text = f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"
    if 0 < ratio <= 0.5:
        inverse = 1 / ratio
        text += (
            f" ({inverse:.0f}x {_LESS.get(figure.unit, 'less')})"
            if inverse >= 10
            else (f" ({inverse:.1f}x {_LESS.get(figure.unit, 'less')})")
        )
    return text


def _split(label: str) -> tuple[str, str]:
    """``"group: metric"`` into its parts; a label without a group is its own metric."""
    group, separator, metric = label.partition(": ")
    return (group, metric) if separator else ("", label)


def write_section(section: Section, out: TextIO) -> None:
    """One scenario's figures side by side, grouped by the label's ``group:`` prefix, with method and notes."""
    out.write(f"\n== {section.title} ==  ({section.seconds:.0f} s, --only {section.name})\n")
    out.write(f"how: {section.method}\n\n")
    rows = [_split(figure.label) for figure in section.figures]
    width = max([len(metric) + (2 if group else 0) for group, metric in rows] + [10])
    out.write(f"  {'':{width}}  {OURS:{_VALUE_WIDTH}}{THEIRS:{_VALUE_WIDTH}}ratio\n")
    current = ""
    for figure, (group, metric) in zip(section.figures, rows, strict=True):
        if group and group != current:
            out.write(f"  {group}\n")
        current = group
        label = f"  {metric}" if group else metric
        line = (
            f"  {label:{width}}  {format_value(figure.ours, figure.unit):{_VALUE_WIDTH}}"
            f"{format_value(figure.theirs, figure.unit):{_VALUE_WIDTH}}{format_ratio(figure):20}"
        )
        if figure.goal:
            line += f"  goal {figure.goal}"
        out.write(line.rstrip() + "\n")
    for note in section.notes:
        out.write(f"  · {note}\n")


def _machine(machine: Mapping[str, Any], out: TextIO) -> None:
    load = machine.get("load_average")
    out.write(
        f"machine: {machine['cpus_usable']} of {machine['cpu_count']} CPUs usable ({machine['cpu']}), "
        f"{machine['os']}, {machine['python']}"
        + (f"; load average at start {' '.join(str(v) for v in load)}" if load else "")
        + "\n"
    )
    versions = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    out.write(f"versions: {versions}\n")


def write_header(machine: Mapping[str, Any], out: TextIO) -> None:
    """What was compared, on what, and how to read the ratios."""
    out.write(f"{OURS} beside {THEIRS} against the local Entra emulator\n")
    _machine(machine, out)
    out.write(
        f"ratio = {OURS} ÷ {THEIRS} (below 1: {OURS} is faster, smaller or sends fewer requests); "
        "goals are issue 10's, shown for reading, never asserted\n"
    )


def write_json(
    machine: Mapping[str, Any], sections: Iterable[Section], seconds: float, *, quick: bool, path: Path
) -> None:
    """Every figure, note and raw sample as JSON at `path`."""
    document = {
        "machine": machine,
        "quick": quick,
        "seconds": seconds,
        "ratio": f"{OURS} / {THEIRS}",
        "scenarios": {section.name: section.as_json() for section in sections},
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
