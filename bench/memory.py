"""Memory with one credential holding a token: the whole process's peak RSS, each library in its own process."""

from __future__ import annotations

import tempfile

from ._children import GNU_TIME, NO_GNU_TIME, bench_environ, python_module, run
from ._contenders import SCOPE
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section, Spread
from ._run import Run
from ._timing import alternating


def memory(bench: Run) -> Section:
    """Peak RSS of a process that imports one library, builds one credential and gets one token."""
    runs = bench.scale(5, 1)
    peaks: dict[str, list[float | None]] = {name: [] for name in CONTENDERS}
    for index in range(runs):
        for contender in alternating(CONTENDERS, index):
            with tempfile.TemporaryDirectory() as home:
                environ = bench_environ(HOME=home, **bench.route.environ())
                peaks[contender].append(
                    run(python_module("token_child", contender, SCOPE), environ=environ).peak_rss_mib
                )
    section = Section(
        "memory",
        "Memory with one credential holding a token",
        f"`python -m bench.token_child`: import one library, build one credential (in-memory cache), get one "
        f"token, exit; peak RSS of the whole process (GNU time's %M), runs: {runs}, interleaved; median [min-max]",
    )
    section.figures.append(
        Figure(
            "one credential holding a token: peak RSS",
            "MiB",
            Spread.of_measured(peaks[OURS]),
            Spread.of_measured(peaks[THEIRS]),
            "≤ 1.0x",
        )
    )
    if GNU_TIME is None:
        section.notes.append(NO_GNU_TIME)
    section.details = {"peak_rss_mib": peaks}
    return section
