"""No failure of a token request shows a secret, even rendered as Sentry or ``pytest -l`` would (frame locals).

Each case makes the credential fail in one way, then renders the exception and every exception
chained to it with ``capture_locals=True`` and looks for the password, the refresh tokens and the
access tokens issued so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError

from settings_cred import TokenCachePersistenceOptions
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, PASSWORD, USERNAME, VAULT_SCOPE, CredentialFactory, Driver
from tests.security.sweep import leaks, render

WRONG = "Wrong-Traceback-Canary-9a3c"
UNKNOWN_TENANT = "0badc0de-0000-4000-8000-000000000000"
Scenario = Callable[[CredentialFactory, EntraEmulator, list[str]], Driver]


def signed_in(make: CredentialFactory, tokens: list[str], **options: Any) -> Driver:
    """A credential that already holds a token (kept in `tokens` as a canary)."""
    credential = make(**options)
    tokens.append(credential.get_token(VAULT_SCOPE).token)
    return credential


def dropped_connection(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    idp.inject(drop=True, times=None)
    return make(retry_total=0)


def timeout(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    idp.inject(delay=1.5, times=None)
    return make(read_timeout=0.3, retry_total=0)


def server_error(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    idp.inject(status=503, times=None)
    return make(retry_total=0)


def wrong_password(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    return make(password=WRONG)


def lockout_guard_refusal(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    credential = make(password=WRONG)
    with pytest.raises(ClientAuthenticationError):
        credential.get_token(VAULT_SCOPE)
    return credential


def mfa_required(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    idp.set_user_state(USERNAME, "mfa_required")
    return make()


def unknown_tenant(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    return make(tenant_id=UNKNOWN_TENANT)


def refresh_token_rejected_then_wrong_password(
    make: CredentialFactory, idp: EntraEmulator, tokens: list[str]
) -> Driver:
    credential = signed_in(make, tokens)
    idp.set_password(USERNAME, "Rotated-Elsewhere-Canary-1")  # revokes the refresh tokens
    return credential


def refresh_failing_with_5xx(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    credential = signed_in(make, tokens, retry_total=0)
    idp.inject(status=500, times=None)
    return credential


def with_a_persistent_store(make: CredentialFactory, idp: EntraEmulator, tokens: list[str]) -> Driver:
    directory = Path(idp.ca_bundle).parent / "traceback-store"
    options = TokenCachePersistenceOptions(name="tb", directory=directory, encryption_key=CACHE_KEY)
    credential = signed_in(make, tokens, cache_persistence_options=options, retry_total=0)
    idp.inject(drop=True, times=None)
    return credential


SCENARIOS: dict[str, Scenario] = {
    "dropped connection": dropped_connection,
    "timeout": timeout,
    "HTTP 503": server_error,
    "wrong password": wrong_password,
    "lockout guard refusal": lockout_guard_refusal,
    "MFA required": mfa_required,
    "unknown tenant": unknown_tenant,
    "refresh token revoked, password changed": refresh_token_rejected_then_wrong_password,
    "refresh failing with HTTP 500": refresh_failing_with_5xx,
    "persistent store, dropped connection": with_a_persistent_store,
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_no_secret_in_any_frame_or_chained_exception(
    make_credential: CredentialFactory, idp: EntraEmulator, scenario: Scenario
) -> None:
    """The failure, its chain and every frame's locals hold no password, refresh token or access token."""
    tokens: list[str] = []
    credential = scenario(make_credential, idp, tokens)
    error = failure(credential, refresh=bool(tokens))
    secrets = [PASSWORD, WRONG, CACHE_KEY, *tokens, *idp.issued_refresh_tokens()]
    assert leaks(error, secrets) == []
    assert "settings_cred" in render(error), "the rendering must show our frames, or it proves nothing"
    if scenario is timeout:
        answered_late(idp)


def answered_late(idp: EntraEmulator) -> None:
    """Wait until the emulator has answered the request the client gave up on: answered after the next test's
    reset, it would be logged as that test's (a stray password grant there)."""
    deadline = time.monotonic() + 5
    while idp.count("token") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)


def failure(credential: Driver, *, refresh: bool) -> ClientAuthenticationError:
    """The error of one get_token (with a claims challenge, forcing a refresh, when a token is held).

    Caught here, so the traceback starts in this frame and not in the test's, whose locals list the
    canaries themselves.
    """
    claims = '{"access_token": {"nbf": {"essential": true, "value": "1700000000"}}}' if refresh else None
    try:
        credential.get_token(VAULT_SCOPE, claims=claims)
    except ClientAuthenticationError as exc:
        return exc
    raise AssertionError("the scenario did not fail")


def test_the_sweep_finds_a_password_in_a_frame_local() -> None:
    """The sweep itself works: a password held in a local of a failing frame is found."""

    def fails(password: str) -> None:
        raise ValueError("no secret in the message")

    with pytest.raises(ValueError, match="no secret") as caught:
        fails(PASSWORD)
    assert caught.value.__traceback__ is not None
    caught.value.__traceback__ = caught.value.__traceback__.tb_next  # from `fails` on: not this frame's locals
    assert leaks(caught.value, [PASSWORD]) != []


def test_an_invalid_claims_challenge_is_a_client_authentication_error(make_credential: CredentialFactory) -> None:
    """claims that are not JSON raise ClientAuthenticationError (as azure-identity does), not JSONDecodeError."""
    credential = make_credential()
    with pytest.raises(ClientAuthenticationError, match="claims") as caught:
        credential.get_token(VAULT_SCOPE, claims="{")
    assert not isinstance(caught.value, ValueError)
