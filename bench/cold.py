"""Cold first token with every request to Entra costing 20 ms: requests sent and time, with and without
a persistent cache, each case in fresh processes.

The emulator's ``latency`` slows only its token-issuing endpoints, so the scenario injects a delay-only
fault on every endpoint instead (``inject(endpoint="any", delay=0.02, times=None)``): instance discovery,
OpenID configuration, user realm and token requests all cost 20 ms. TCP, CONNECT and TLS set-up are not
delayed (the emulator has no per-connection latency).
"""

from __future__ import annotations

import statistics
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from settings_cred.emulator import EntraEmulator

from ._children import bench_environ, python_module, run
from ._contenders import AUTHORITY, OTHER_SCOPE, SCOPE
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section, Spread
from ._run import Run, pristine
from ._timing import alternating

PER_REQUEST = 0.020
"""Seconds every request to the emulator waits before it is answered."""


@dataclass(frozen=True, slots=True)
class Case:
    """One kind of cold start: a process getting its first token."""

    label: str
    scope: str
    persistent: bool
    request_goal: str = ""
    time_goal: str = ""


FRESH = Case("fresh process, in-memory cache", SCOPE, persistent=False, request_goal="≤ 1.0x", time_goal="≤ 1.0x")
FIRST_EVER = Case("first-ever sign-in, persistent cache", SCOPE, persistent=True, time_goal="≤ 1.1x")
SAME_SCOPE = Case("second process, persistent cache, same scope (token cached)", SCOPE, persistent=True)
OTHER_SCOPE_CASE = Case(
    "second process, persistent cache, another scope (metadata cached)",
    OTHER_SCOPE,
    persistent=True,
    request_goal=f"{OURS}: 1 request",
)
CASES = (FRESH, FIRST_EVER, SAME_SCOPE, OTHER_SCOPE_CASE)
"""In the order a run executes them: the last three share one HOME and cache directory."""


@dataclass(slots=True)
class Samples:
    """What one case measured for one contender over the runs."""

    requests: list[float] = field(default_factory=list)
    first_token_s: list[float] = field(default_factory=list)
    import_and_first_token_s: list[float] = field(default_factory=list)
    process_s: list[float] = field(default_factory=list)
    deferred_modules: list[float] = field(default_factory=list)
    sequences: Counter[str] = field(default_factory=Counter)


def _authority_requests(idp: EntraEmulator) -> list[str]:
    """Requests to the production authority since the log was cleared, as ``endpoint`` or ``token:grant``."""
    return [
        f"{entry.endpoint}:{entry.grant_type}" if entry.grant_type else str(entry.endpoint)
        for entry in idp.requests
        if entry.host == AUTHORITY
    ]


def _once(bench: Run, contender: str, case: Case, home: Path, samples: Samples) -> None:
    extra = {"HOME": str(home), **bench.route.environ()}
    if case.persistent:
        extra["BENCH_CACHE_DIR"] = str(home / "cache")
    bench.idp.clear_requests()
    finished = run(python_module("token_child", contender, case.scope), environ=bench_environ(**extra))
    sent = _authority_requests(bench.idp)
    samples.requests.append(float(len(sent)))
    samples.sequences[", ".join(sent) or "none"] += 1
    samples.first_token_s.append(finished.result["first_token_s"])
    samples.import_and_first_token_s.append(finished.result["import_s"] + finished.result["first_token_s"])
    samples.process_s.append(finished.seconds)
    samples.deferred_modules.append(finished.result["modules_loaded_by_first_token"])


def _measure(bench: Run, runs: int) -> dict[Case, dict[str, Samples]]:
    found: dict[Case, dict[str, Samples]] = defaultdict(lambda: {name: Samples() for name in CONTENDERS})
    for index in range(runs):
        for contender in alternating(CONTENDERS, index):
            with tempfile.TemporaryDirectory() as scratch:
                fresh, persistent = Path(scratch) / "fresh", Path(scratch) / "persistent"
                for home in (fresh, persistent):
                    home.mkdir()
                    (home / "cache").mkdir(mode=0o700)
                for case in CASES:
                    _once(bench, contender, case, persistent if case.persistent else fresh, found[case][contender])
    return found


def cold(bench: Run) -> Section:
    """Requests to login.microsoftonline.com and time to the first token, for each kind of cold start."""
    runs = bench.scale(5, 1)
    with pristine(bench.idp) as idp:
        idp.inject(endpoint="any", delay=PER_REQUEST, times=None)
        found = _measure(bench, runs)
    section = Section(
        "cold",
        f"Cold first token, {PER_REQUEST * 1000:.0f} ms per request",
        f"a new process per case (runs: {runs}, interleaved); requests counted in the emulator's log (host "
        f"{AUTHORITY}, instance discovery on); first token = constructing the credential + get_token after "
        "`from <library> import UsernamePasswordCredential` (what a library defers to first use is in it); "
        "median [min-max]",
    )
    for case in CASES:
        ours, theirs = found[case][OURS], found[case][THEIRS]
        section.figures += [
            Figure(
                f"{case.label}: requests", "", Spread.of(ours.requests), Spread.of(theirs.requests), case.request_goal
            ),
            Figure(
                f"{case.label}: first token",
                "s",
                Spread.of(ours.first_token_s),
                Spread.of(theirs.first_token_s),
                case.time_goal,
            ),
            Figure(
                f"{case.label}: first token beyond {PER_REQUEST * 1000:.0f} ms x requests",
                "s",
                Spread.of(t - PER_REQUEST * n for t, n in zip(ours.first_token_s, ours.requests, strict=True)),
                Spread.of(t - PER_REQUEST * n for t, n in zip(theirs.first_token_s, theirs.requests, strict=True)),
            ),
            Figure(
                f"{case.label}: import + first token",
                "s",
                Spread.of(ours.import_and_first_token_s),
                Spread.of(theirs.import_and_first_token_s),
            ),
            Figure(f"{case.label}: whole process", "s", Spread.of(ours.process_s), Spread.of(theirs.process_s)),
        ]
        section.notes.append(
            f"{case.label}: modules loaded by constructing the credential and its first token: "
            f"{OURS} {statistics.median(ours.deferred_modules):.0f}, "
            f"{THEIRS} {statistics.median(theirs.deferred_modules):.0f}"
        )
        for contender, samples in ((OURS, ours), (THEIRS, theirs)):
            for sequence, times in samples.sequences.items():
                section.notes.append(f"{case.label}, {contender}: {sequence} ({times}/{runs} runs)")
    section.details = {
        case.label: {
            contender: {
                "requests": samples.requests,
                "first_token_s": samples.first_token_s,
                "import_and_first_token_s": samples.import_and_first_token_s,
                "process_s": samples.process_s,
                "modules_loaded_by_first_token": samples.deferred_modules,
                "sequences": dict(samples.sequences),
            }
            for contender, samples in found[case].items()
        }
        for case in CASES
    }
    return section
