"""Import cost, whole process: ``python -c "<import>"`` wall time and peak memory, and what each import loads."""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass

from ._children import GNU_TIME, NO_GNU_TIME, clean_environ, run
from ._figures import OURS, THEIRS, Figure, Section, Spread, encode
from ._run import Run
from .report import format_value


@dataclass(frozen=True, slots=True)
class Pair:
    """The same need, met by each library."""

    label: str
    ours: str
    theirs: str
    wall_goal: str = ""
    peak_goal: str = ""


PAIRS = (
    Pair(
        "the credential",
        "from settings_cred import UsernamePasswordCredential",
        "from azure.identity import UsernamePasswordCredential",
        wall_goal="≤ 0.8x",
        peak_goal="≤ 1.0x",
    ),
    Pair(
        "credential from the environment",
        "from settings_cred import credential_from_env",
        "from azure.identity import EnvironmentCredential",
        wall_goal="≤ 1.0x",
    ),
    Pair("the async namespace", "import settings_cred.aio", "import azure.identity.aio"),
)
BASELINE = "pass"
HEAVY = (
    "azure.identity",
    "pydantic",
    "pydantic_settings",
    "dotenv",
    "structlog",
    "msal_extensions",
    "redis",
    "cryptography",
    "opentelemetry",
    "azure.keyvault.secrets",
    "asyncio",
    "msal",
    "azure.core",
)
"""Modules whose presence in ``sys.modules`` after an import is reported (the goal: loaded only when used)."""

_PROBE = (
    "{statement}\nimport sys\ncount = len(sys.modules)\nimport json\n"
    "print(json.dumps({{'modules': count, 'heavy': [m for m in {heavy!r} if m in sys.modules]}}))"
)


def _command(statement: str) -> list[str]:
    return [sys.executable, "-c", statement]


@dataclass(frozen=True, slots=True)
class Loaded:
    """What an import left in ``sys.modules``: how many modules, and which of :data:`HEAVY`."""

    modules: int
    heavy: list[str]


def _loaded(statement: str) -> Loaded:
    probe = _PROBE.format(statement=statement, heavy=HEAVY)
    finished = run(_command(probe), environ=clean_environ())
    found = json.loads(finished.stdout.strip().splitlines()[-1])
    return Loaded(int(found["modules"]), [str(name) for name in found["heavy"]])


def _measure(statements: list[str], runs: int) -> dict[str, tuple[list[float], list[float | None]]]:
    """Wall seconds and peak MiB of each statement over `runs` rounds, each round in a new random order,
    after one discarded warm-up run each (bytecode and page caches)."""
    samples: dict[str, tuple[list[float], list[float | None]]] = defaultdict(lambda: ([], []))
    environ = clean_environ()
    for statement in statements:
        run(_command(statement), environ=environ)
    shuffler = random.Random(10)  # noqa: S311 - an ordering, not a secret
    for _ in range(runs):
        order = statements[:]
        shuffler.shuffle(order)
        for statement in order:
            finished = run(_command(statement), environ=environ)
            samples[statement][0].append(finished.seconds)
            samples[statement][1].append(finished.peak_rss_mib)
    return samples


def imports(bench: Run) -> Section:
    """Import cost of each pair, interleaved with the interpreter's own start-up."""
    runs = bench.scale(15, 3)
    statements = [BASELINE] + [statement for pair in PAIRS for statement in (pair.ours, pair.theirs)]
    samples = _measure(statements, runs)
    wall = {statement: Spread.of(seconds) for statement, (seconds, _) in samples.items()}
    peak = {statement: Spread.of_measured(mib) for statement, (_, mib) in samples.items()}
    base = wall[BASELINE].median
    section = Section(
        "imports",
        "Import cost, whole process",
        f'`python -c "<import>"` in a fresh interpreter: wall time from spawn to exit and the child\'s peak RSS '
        f"(GNU time's %M), runs: {runs} each, in shuffled order after a warm-up run; median [min-max]",
    )
    for pair in PAIRS:
        section.figures += [
            Figure(f"{pair.label}: wall", "s", wall[pair.ours], wall[pair.theirs], pair.wall_goal),
            Figure(f"{pair.label}: wall, fastest run", "s", wall[pair.ours].low, wall[pair.theirs].low),
            Figure(
                f"{pair.label}: wall above `python -c pass`",
                "s",
                wall[pair.ours].median - base,
                wall[pair.theirs].median - base,
            ),
            Figure(f"{pair.label}: peak RSS", "MiB", peak[pair.ours], peak[pair.theirs], pair.peak_goal),
        ]
    section.notes.append(
        f"interpreter alone (`python -c pass`), in neither figure's ratio: wall {format_value(wall[BASELINE], 's')}, "
        f"peak RSS {format_value(peak[BASELINE], 'MiB')}"
    )
    if GNU_TIME is None:
        section.notes.append(NO_GNU_TIME)
    loaded = {}
    for pair in PAIRS:
        for contender, statement in ((OURS, pair.ours), (THEIRS, pair.theirs)):
            found = _loaded(statement)
            loaded[statement] = {"modules": found.modules, "heavy": found.heavy}
            heavy = ", ".join(found.heavy) or "none of them"
            section.notes.append(f"`{statement}` ({contender}): {found.modules} modules; loads {heavy}")
    section.details = {
        "statements": {
            statement: {"wall_s": encode(wall[statement]), "peak_rss_mib": encode(peak[statement])}
            for statement in statements
        },
        "modules_loaded": loaded,
        "heavy_modules_checked": list(HEAVY),
    }
    return section
