"""Warm ``get_token`` under each logging set-up, each set-up in its own processes (logging is process-global)."""

from __future__ import annotations

from collections import defaultdict

from ._children import bench_environ, python_module, run
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section, Spread
from ._run import Run
from ._timing import alternating
from .warm_child import SETUPS

GOALS = {
    "default": "≤ 1 µs and ≤ 0.05x (≥ 20x faster)",
    "structlog-info": "≤ 1 µs and ≤ 0.05x (≥ 20x faster)",
    "stdlib-info": "≤ 1 µs and ≤ 0.05x (≥ 20x faster)",
    "audit-debug": "< 1.0x (faster than azure-identity)",
    "structlog-json-debug": "< 1.0x (faster than azure-identity)",
    "opentelemetry": "≤ 1 µs and ≤ 0.05x (≥ 20x faster)",
}
"""Issue 10's goals, printed beside the figures (a benchmark reports; it never fails on a time)."""


def warm(bench: Run) -> Section:
    """Best median µs per cached call for both libraries, for every logging set-up."""
    passes, rounds, calls = bench.scale(2, 1), bench.scale(7, 2), bench.scale(2_000, 300)
    medians: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    lines: dict[str, dict[str, float]] = {}
    floors: list[float] = []
    environ = bench_environ(**bench.route.environ())
    names = list(SETUPS)
    for index in range(passes):
        for setup in alternating(names, index):
            result = run(python_module("warm_child", setup, str(rounds), str(calls)), environ=environ).result
            for name in CONTENDERS:
                medians[setup][name] += result["round_medians"][name]
            lines[setup] = result["log_lines_per_call"]
            floors.append(result["timer_floor_s"])
    section = Section(
        "warm",
        "Warm get_token under each logging set-up",
        f"one process per set-up and pass (passes: {passes}) holding a credential of each library with a token; "
        f"{rounds} interleaved rounds of {calls:,} timed calls each; the figure is the best round median, "
        "[min-max] of the round medians",
    )
    for setup, spec in SETUPS.items():
        ours = Spread.of(medians[setup][OURS], headline="best")
        theirs = Spread.of(medians[setup][THEIRS], headline="best")
        section.figures.append(Figure(setup, "s", ours, theirs, GOALS.get(setup, "")))
        section.notes.append(
            f"{setup}: {spec.description}; log lines per call: {OURS} {lines[setup][OURS]:g}, "
            f"{THEIRS} {lines[setup][THEIRS]:g}"
        )
    floor = min(floors)
    section.notes.append(
        f"timer floor (a no-op timed the same way): {floor * 1e9:.0f} ns, included in every figure above"
    )
    section.details = {
        "round_medians_s": {setup: dict(by_name) for setup, by_name in medians.items()},
        "log_lines_per_call": lines,
        "timer_floor_s": floor,
        "passes": passes,
        "rounds": rounds,
        "calls": calls,
    }
    return section
