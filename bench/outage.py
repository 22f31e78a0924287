"""Entra answering 503 while the token is in its refresh window: latency and failures of get_token."""

from __future__ import annotations

import statistics
import time
from typing import Any

from ._contenders import SCOPE, credential
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section
from ._run import Run, pristine

CALLS = 200
REFRESH_IN = 1
"""Seconds after which the emulator's tokens ask to be refreshed (``refresh_in``)."""


def _calls(held: Any, calls: int) -> tuple[list[float], int]:
    samples, failures = [], 0
    for _ in range(calls):
        started = time.perf_counter()
        try:
            held.get_token(SCOPE)
        except Exception:  # noqa: BLE001 - counted, not hidden
            failures += 1
        samples.append(time.perf_counter() - started)
    return samples, failures


def outage(bench: Run) -> Section:
    """200 get_token calls once the token is due for refresh and every token request fails with 503."""
    samples: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    with pristine(bench.idp) as idp:
        for contender in CONTENDERS:
            idp.clear_faults()
            idp.refresh_in = REFRESH_IN
            with credential(contender, bench.route, retry_total=0) as held:
                held.get_token(SCOPE)
                time.sleep(REFRESH_IN + 0.2)
                idp.inject(endpoint="token", status=503, retry_after=5, times=None)
                samples[contender], failures[contender] = _calls(held, CALLS)
    section = Section(
        "outage",
        "Entra answering 503 in the refresh window",
        f"a token with refresh_in={REFRESH_IN} s, then every token request answered 503 (retry_total=0); "
        f"{CALLS} get_token calls in a row, each timed",
    )

    def percentile(name: str, cut: int) -> float:
        return statistics.quantiles(samples[name], n=100)[cut - 1]

    section.figures += [
        Figure("p50", "s", statistics.median(samples[OURS]), statistics.median(samples[THEIRS])),
        Figure("p99", "s", percentile(OURS, 99), percentile(THEIRS, 99)),
        Figure("max", "s", max(samples[OURS]), max(samples[THEIRS])),
        Figure("failed calls", "", failures[OURS], failures[THEIRS]),
    ]
    section.details = {"failures": failures, "calls": CALLS, "samples_s": samples}
    return section
