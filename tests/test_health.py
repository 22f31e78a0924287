"""Readiness checks report whether a token can be served, from where, and why not, without the token."""

from __future__ import annotations

import asyncio
import json

from settings_cred import UsernamePasswordCredential
from settings_cred.aio import UsernamePasswordCredential as AsyncUsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from settings_cred.health import check_readiness, check_readiness_async
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE


def test_ready_from_entra_then_from_cache(idp: EntraEmulator) -> None:
    """The first check signs in, the second is served from cache; neither report holds the token."""
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as credential:
        first = check_readiness(credential, VAULT_SCOPE)
        second = check_readiness(credential, VAULT_SCOPE)
        token = credential.get_token(VAULT_SCOPE).token
    assert (first.ready, first.source, second.source) == (True, "entra", "cache")
    assert first.http_status == 200
    assert 3500 < (second.expires_in_s or 0) <= 3600
    assert token not in json.dumps(second.as_dict())
    assert second.as_dict()["status"] == "ready"


def test_unready_names_the_error_code(idp: EntraEmulator) -> None:
    """A wrong password makes the check fail with 503, the exception name and the AADSTS code."""
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, "wrong-pw-x", **idp.pipeline_options()) as credential:
        report = check_readiness(credential, VAULT_SCOPE)
    assert report.as_dict() == {
        "ready": False,
        "status": "unavailable",
        "source": "none",
        "scopes": [VAULT_SCOPE],
        "expires_on": None,
        "expires_in_s": None,
        "error": "InvalidCredentialsError",
        "error_code": 50126,
    }
    assert report.http_status == 503
    assert "wrong-pw-x" not in json.dumps(report.as_dict())


def test_async_readiness(idp: EntraEmulator) -> None:
    """The async check behaves like the sync one."""

    async def check() -> tuple[str, str]:
        async with AsyncUsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as cred:
            first = await check_readiness_async(cred, VAULT_SCOPE)
            second = await check_readiness_async(cred, VAULT_SCOPE)
        return first.source, second.source

    assert asyncio.run(check()) == ("entra", "cache")


def test_ready_report_carries_the_last_failed_refresh(idp: EntraEmulator) -> None:
    """While Entra fails refreshes, the check is still ready from cache and names the last error."""
    import time

    idp.refresh_in = 1
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, retry_total=0, **idp.pipeline_options()) as cred:
        cred.get_token(VAULT_SCOPE)
        time.sleep(1.1)
        idp.inject(endpoint="token", status=503, retry_after=0, times=None)
        deadline = time.monotonic() + 5
        report = check_readiness(cred, VAULT_SCOPE)
        while report.error is None and time.monotonic() < deadline:
            time.sleep(0.02)
            report = check_readiness(cred, VAULT_SCOPE)
    assert (report.ready, report.source, report.error) == (True, "cache", "EntraUnavailableError")
