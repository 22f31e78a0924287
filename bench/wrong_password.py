"""The lockout guard: many fresh credentials with the same wrong password, and the attempts they cause."""

from __future__ import annotations

import contextlib
import secrets

from ._contenders import SCOPE, credential
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section
from ._run import Run, pristine

INSTANCES = 10


def wrong_password(bench: Run) -> Section:
    """Token-endpoint requests caused by 10 fresh credentials, one after the other, with one wrong password."""
    wrong = "wrong-" + secrets.token_urlsafe(12)  # new for every run: no earlier rejection is on record
    attempts: dict[str, int] = {}
    with pristine(bench.idp) as idp:
        for contender in CONTENDERS:
            idp.clear_requests()
            for _ in range(INSTANCES):
                with credential(contender, bench.route, password=wrong) as held, contextlib.suppress(Exception):
                    held.get_token(SCOPE)  # the failure is expected: requests are what we count
            attempts[contender] = idp.count("token")
    section = Section(
        "wrong_password",
        f"{INSTANCES} fresh credentials, wrong password",
        f"{INSTANCES} credentials created one after the other in this process, each calling get_token once with "
        "the same wrong password; token-endpoint requests counted in the emulator's log",
    )
    section.figures.append(Figure("token requests (failed sign-ins)", "", attempts[OURS], attempts[THEIRS]))
    section.details = {"token_requests": attempts, "instances": INSTANCES}
    return section
