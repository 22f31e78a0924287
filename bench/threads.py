"""Single flight in the process: concurrent first calls on one fresh credential, and the grants they cause."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ._contenders import SCOPE, credential
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section
from ._run import Run, pristine

THREADS = 32
TOKEN_LATENCY = 0.05
"""Seconds the token endpoint takes, so that the threads overlap."""


def _first_calls(held: Any, threads: int) -> None:
    barrier = threading.Barrier(threads)

    def call(_: int) -> None:
        barrier.wait()
        held.get_token(SCOPE)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(call, range(threads)))


def threads(bench: Run) -> Section:
    """Password grants sent when 32 threads released together ask one fresh credential for a token."""
    grants: dict[str, int] = {}
    with pristine(bench.idp) as idp:
        idp.latency = TOKEN_LATENCY
        for contender in CONTENDERS:
            idp.clear_requests()
            with credential(contender, bench.route) as held:
                _first_calls(held, THREADS)
            grants[contender] = idp.count("token", grant_type="password")
    section = Section(
        "threads",
        f"{THREADS} threads, one fresh credential",
        f"{THREADS} threads released by a barrier call get_token on one new credential; token endpoint at "
        f"{TOKEN_LATENCY * 1000:.0f} ms; password grants counted in the emulator's log",
    )
    section.figures.append(Figure("password grants sent", "", grants[OURS], grants[THEIRS]))
    section.details = {"password_grants": grants, "threads": THREADS}
    return section
