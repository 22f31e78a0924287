"""Single flight in the process: concurrent first calls on one fresh credential, and the grants they cause."""

from __future__ import annotations

from ._contenders import credential
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section
from ._run import THREADS, Run, first_calls, pristine

TOKEN_LATENCY = 0.05
"""Seconds the token endpoint takes, so that the threads overlap."""


def threads(bench: Run) -> Section:
    """Password grants sent when 32 threads released together ask one fresh credential for a token."""
    grants: dict[str, int] = {}
    with pristine(bench.idp) as idp:
        idp.latency = TOKEN_LATENCY
        for contender in CONTENDERS:
            idp.clear_requests()
            with credential(contender, bench.route) as held:
                first_calls(held)
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
