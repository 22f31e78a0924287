"""The client-secret credential beside azure-identity's: warm get_token and single flight (issue 12).

Both libraries' ``ClientSecretCredential`` against the emulator's client credentials grant, in this
process: the best median of interleaved rounds of cached calls, then the grants that 32 threads on a
fresh credential cause.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from ._contenders import SCOPE, Route
from ._figures import CONTENDERS, OURS, THEIRS, Figure, Section, Spread
from ._run import THREADS, Run, first_calls, pristine
from ._timing import round_medians

APP_ID = "5e0f3c1a-7b9d-4e2f-a1c3-5d7e9f1b3a50"
SECRET = "bench-client-secret-value"


def _credential(contender: str, tenant_id: str, route: Route) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if contender == OURS:
            import settings_cred  # noqa: PLC0415 - load only the contender in use

            return settings_cred.ClientSecretCredential(tenant_id, APP_ID, SECRET, **route.pipeline_options())
        import azure.identity  # noqa: PLC0415

        return azure.identity.ClientSecretCredential(tenant_id, APP_ID, SECRET, **route.pipeline_options())


def _cached_call(credential: Any) -> Callable[[], Any]:
    def call() -> Any:
        return credential.get_token(SCOPE)

    return call


def _grants_for_threads(bench: Run, contender: str) -> int:
    bench.idp.clear_requests()
    with _credential(contender, bench.idp.tenant_id, bench.route) as held:
        first_calls(held)
    return bench.idp.count("token", grant_type="client_credentials")


def client_secret(bench: Run) -> Section:
    """Warm path and single flight of the client-secret credential, both libraries."""
    with pristine(bench.idp) as idp:
        idp.add_client_secret(APP_ID, SECRET)  # a confidential app; other client ids stay welcome
        held = {name: _credential(name, idp.tenant_id, bench.route) for name in CONTENDERS}
        calls = {name: _cached_call(credential) for name, credential in held.items()}
        for call in calls.values():
            call()
        medians = round_medians(calls, rounds=bench.scale(7, 2), count=bench.scale(2_000, 200))
        for credential in held.values():
            credential.close()
        idp.latency = 0.05
        grants = {name: _grants_for_threads(bench, name) for name in CONTENDERS}
    section = Section(
        "client_secret",
        "ClientSecretCredential: warm get_token and single flight",
        "both libraries' ClientSecretCredential against the emulator's client credentials grant; warm: the best "
        f"median of interleaved rounds of cached calls; single flight: {THREADS} threads released by a barrier "
        "on a fresh credential, token endpoint at 50 ms, client credentials grants counted",
    )
    section.figures.append(
        Figure(
            "warm get_token",
            "s",
            Spread.of(medians[OURS], headline="best"),
            Spread.of(medians[THEIRS], headline="best"),
            goal="≤ 0.05x (≥ 20x faster)",
        )
    )
    section.figures.append(Figure(f"grants for {THREADS} threads", "", grants[OURS], grants[THEIRS]))
    section.details = {"grants": grants}
    return section
