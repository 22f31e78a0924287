"""The fleet: many processes released together, settings_cred (shared store) beside azure-identity.

Each "host" has its own HOME (azure-identity's cache lives there); settings_cred's processes share one
Redis (or, without a redis-server binary, the processes of one host share a cache directory).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.redis_server import BINARY as REDIS_SERVER
from tests.redis_server import RedisServer

from ._children import Child, bench_environ, python_module
from ._contenders import PASSWORD
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section
from ._run import Run, pristine

KEY = "bench-fleet-key-5d0c9a7e2b4f6183-a9e1c7b3d5f2"
TOKEN_LATENCY = 0.02
REFRESH_IN = 4
HOLD = 5.3
"""Seconds each process of the refresh phase keeps calling get_token: past the first refresh, short of a
second one (msal truncates ``refresh_on`` to whole seconds, so a refresh comes 3 to 4 s after its token)."""


def _release(
    bench: Run, contender: str, store: str, *, hosts: int, per_host: int, **extra: str
) -> list[dict[str, Any]]:
    """Start ``hosts x per_host`` processes, release them together once all are ready, collect their reports."""
    with tempfile.TemporaryDirectory() as scratch:
        barrier = Path(scratch) / "barrier"
        barrier.mkdir()
        children = []
        for host in range(hosts):
            home = Path(scratch) / f"host-{host}"
            home.mkdir()
            environ = bench_environ(
                HOME=str(home),
                BENCH_STORE=store.replace("{home}", str(home)),
                BENCH_KEY=KEY,
                BENCH_BARRIER=str(barrier),
                **bench.route.environ(),
                **extra,
            )
            children += [Child(python_module("fleet_child", contender), environ=environ) for _ in range(per_host)]
        while len(list(barrier.glob("ready-*"))) < len(children):
            time.sleep(0.02)
        (barrier / "go").touch()
        return [child.wait().result for child in children]


def _phases(bench: Run, contender: str, store: str, hosts: int, per_host: int) -> dict[str, Any]:
    idp = bench.idp
    idp.latency, idp.refresh_in = TOKEN_LATENCY, None
    idp.revoke_refresh_tokens()
    idp.clear_requests()
    reports = _release(bench, contender, store, hosts=hosts, per_host=per_host, BENCH_NAME="s")
    first = [report["first_ms"] / 1000 for report in reports]
    figures: dict[str, Any] = {
        "password_grants": idp.count("token", grant_type="password"),
        "first_token_p50_s": statistics.median(first),
        "first_token_max_s": max(first),
    }
    idp.clear_requests()
    _release(
        bench, contender, store, hosts=hosts, per_host=per_host, BENCH_NAME="w", BENCH_PASSWORD="wrong-" + PASSWORD
    )
    figures["failed_attempts"] = idp.count("token", grant_type="password")
    idp.clear_requests()
    idp.refresh_in = REFRESH_IN
    reports = _release(bench, contender, store, hosts=hosts, per_host=per_host, BENCH_NAME="r", BENCH_HOLD=str(HOLD))
    figures["refresh_grants_in_one_window"] = idp.count("token", grant_type="refresh_token")
    figures["failed_calls_while_holding"] = sum(report["failures"] for report in reports)
    return figures


def fleet(bench: Run) -> Section:
    """Sign-ins, failed attempts, refreshes per window and first-token times, for each implementation."""
    with tempfile.TemporaryDirectory() as scratch, pristine(bench.idp):
        redis = RedisServer(Path(scratch)).start() if REDIS_SERVER else None
        hosts, per_host = ((3, 4) if redis else (1, 8)) if not bench.quick else (1, 3)
        ours_store = f"redis:{redis.url}" if redis else "files:{home}/cache"
        try:
            found = {
                contender: _phases(bench, contender, ours_store if contender == OURS else "", hosts, per_host)
                for contender in CONTENDERS
            }
        finally:
            if redis:
                redis.kill()
    shared = "one Redis" if redis else "a cache directory per host"
    section = Section(
        "fleet",
        "Fleet: processes released together",
        f"{hosts} host(s) x {per_host} processes, each host with its own HOME; settings_cred shares {shared}, "
        f"azure-identity its persistent cache per host; token endpoint at {TOKEN_LATENCY * 1000:.0f} ms; three "
        f"phases: sign-in, wrong password, {HOLD} s of calls across one refresh window (refresh_in={REFRESH_IN} s)",
    )
    ours, theirs = found[OURS], found[THEIRS]
    section.figures += [
        Figure("password grants (sign-in phase)", "", ours["password_grants"], theirs["password_grants"]),
        Figure("first token p50", "s", ours["first_token_p50_s"], theirs["first_token_p50_s"]),
        Figure("first token max", "s", ours["first_token_max_s"], theirs["first_token_max_s"]),
        Figure("failed attempts (wrong password)", "", ours["failed_attempts"], theirs["failed_attempts"]),
        Figure(
            "refresh grants in one window",
            "",
            ours["refresh_grants_in_one_window"],
            theirs["refresh_grants_in_one_window"],
        ),
        Figure(
            "failed calls while holding", "", ours["failed_calls_while_holding"], theirs["failed_calls_while_holding"]
        ),
    ]
    section.details = {"processes": hosts * per_host, "shared": shared, **found}
    return section
