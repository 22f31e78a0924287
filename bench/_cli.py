"""``python -m bench``: run the scenarios, print the report, optionally write it as JSON."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from pathlib import Path
from typing import TextIO

from ._figures import Section
from ._run import Run, Scenario, emulator
from .client_secret import client_secret
from .cold import cold
from .fleet import fleet
from .imports import imports
from .machine import describe
from .memory import memory
from .outage import outage
from .report import write_header, write_json, write_section
from .threads import threads
from .warm import warm
from .wrong_password import wrong_password

SCENARIOS: dict[str, Scenario] = {
    "imports": imports,
    "warm": warm,
    "cold": cold,
    "memory": memory,
    "threads": threads,
    "wrong_password": wrong_password,
    "outage": outage,
    "fleet": fleet,
    "client_secret": client_secret,
}
"""Every scenario, in report order."""


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", choices=list(SCENARIOS), help="run this scenario (repeatable)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON to PATH")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke test, not a measurement")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> int:
    """Run the chosen scenarios against one emulator and report them."""
    arguments = _arguments(sys.argv[1:] if argv is None else argv)
    warnings.simplefilter("ignore")  # both libraries warn that the password flow is deprecated
    logging.getLogger().addHandler(logging.NullHandler())  # this process's scenarios log nowhere
    machine = describe()
    write_header(machine, out)
    started = time.perf_counter()
    sections: list[Section] = []
    with emulator() as idp:
        bench = Run(idp, quick=arguments.quick)
        for name in arguments.only or SCENARIOS:
            began = time.perf_counter()
            section = SCENARIOS[name](bench)
            section.seconds = time.perf_counter() - began
            sections.append(section)
            write_section(section, out)
            out.flush()
    seconds = time.perf_counter() - started
    out.write(f"\ntotal: {seconds:.0f} s\n")
    if arguments.json:
        write_json(machine, sections, seconds, quick=arguments.quick, path=arguments.json)
    return 0
