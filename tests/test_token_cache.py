"""Tokens are served from memory, fetched once for concurrent callers, and refreshed ahead of expiry."""

from __future__ import annotations

import time

import pytest

from settings_cred.audit import (
    TOKEN_ACQUIRED,
    TOKEN_CACHE_HIT,
    TOKEN_REFRESH_FAILED,
    TOKEN_REFRESH_TOKEN_REJECTED,
    TOKEN_REFRESHED,
    capture_audit,
)
from settings_cred.emulator import EntraEmulator
from tests.conftest import GRAPH_SCOPE, VAULT_SCOPE, CredentialFactory


def wait_for(predicate: object, timeout: float = 5.0) -> None:
    """Poll until `predicate()` is true (background refreshes run in a thread)."""
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


class TestFrontCache:
    def test_warm_calls_make_no_request(self, make_credential: CredentialFactory, idp: EntraEmulator) -> None:
        """Repeated calls for the same scope return the cached token without any request."""
        credential = make_credential()
        first = credential.get_token(VAULT_SCOPE)
        requests = len(idp.requests)
        for _ in range(50):
            assert credential.get_token(VAULT_SCOPE).token == first.token
        assert len(idp.requests) == requests

    def test_cache_hits_are_audited(self, make_credential: CredentialFactory) -> None:
        """A cache hit emits token.cache_hit with cache_hit=True."""
        credential = make_credential()
        credential.get_token(VAULT_SCOPE)
        with capture_audit() as events:
            credential.get_token(VAULT_SCOPE)
        assert [(e["event"], e["cache_hit"]) for e in events] == [(TOKEN_CACHE_HIT, True)]

    def test_scopes_are_keyed_independently_of_order(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """The same set of scopes in another order is the same cache entry."""
        idp.add_resource("https://x.example")
        credential = make_credential()
        a = credential.get_token("https://x.example/a", "https://x.example/b")
        b = credential.get_token("https://x.example/b", "https://x.example/a")
        assert a.token == b.token

    def test_different_scopes_get_different_tokens(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """A second resource uses the refresh token, not the password."""
        credential = make_credential()
        vault = credential.get_token(VAULT_SCOPE)
        graph = credential.get_token(GRAPH_SCOPE)
        assert vault.token != graph.token
        assert idp.count("token", grant_type="password") == 1
        assert idp.count("token", grant_type="refresh_token") == 1

    def test_cae_tokens_are_cached_separately(self, make_credential: CredentialFactory, idp: EntraEmulator) -> None:
        """enable_cae asks for CP1 and gets its own cache entry."""
        credential = make_credential()
        plain = credential.get_token(VAULT_SCOPE)
        cae = credential.get_token(VAULT_SCOPE, enable_cae=True)
        assert plain.token != cae.token
        assert credential.get_token(VAULT_SCOPE, enable_cae=True).token == cae.token
        token_requests = [r for r in idp.requests if r.endpoint == "token"]
        assert [r.claims_present for r in token_requests] == [False, True]

    def test_claims_challenge_bypasses_the_cache(self, make_credential: CredentialFactory, idp: EntraEmulator) -> None:
        """A claims challenge means the cached token was refused: a new one is fetched with the claims."""
        credential = make_credential()
        old = credential.get_token(VAULT_SCOPE)
        claims = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}'
        new = credential.get_token(VAULT_SCOPE, claims=claims)
        assert new.token != old.token
        assert idp.requests[-1].claims_present
        assert credential.get_token(VAULT_SCOPE).token == new.token


class TestSingleFlight:
    def test_concurrent_cold_callers_share_one_sign_in(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """32 concurrent first calls cause exactly one password grant and all get the same token."""
        idp.latency = 0.05
        credential = make_credential()
        tokens = credential.gather(32, VAULT_SCOPE)
        assert len({t.token for t in tokens}) == 1
        assert idp.count("token", grant_type="password") == 1


class TestRefresh:
    def test_refreshes_in_the_background_at_refresh_on(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """Past refresh_on the cached token is still returned while a refresh-token grant runs."""
        idp.refresh_in = 1
        credential = make_credential()
        first = credential.get_token(VAULT_SCOPE)
        time.sleep(1.1)
        with capture_audit() as events:
            assert credential.get_token(VAULT_SCOPE).token == first.token
            wait_for(lambda: TOKEN_REFRESHED in [e["event"] for e in events])
        assert credential.get_token(VAULT_SCOPE).token != first.token
        assert idp.count("token", grant_type="refresh_token") == 1
        assert idp.count("token", grant_type="password") == 1

    def test_short_lived_tokens_are_served_until_half_life(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """A token shorter than the 5-minute refresh offset is not refetched on every call."""
        idp.access_token_lifetime = 120
        credential = make_credential()
        first = credential.get_token(VAULT_SCOPE)
        for _ in range(20):
            assert credential.get_token(VAULT_SCOPE).token == first.token
        assert idp.count("token") == 1

    def test_failed_refresh_keeps_serving_the_valid_token(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """With Entra answering 503 during the refresh window, callers keep getting the cached token."""
        idp.refresh_in = 1
        credential = make_credential(retry_total=0)
        first = credential.get_token(VAULT_SCOPE)
        time.sleep(1.1)
        idp.inject(endpoint="token", status=503, retry_after=1, times=None)
        with capture_audit() as events:
            for _ in range(100):
                assert credential.get_token(VAULT_SCOPE).token == first.token
            wait_for(lambda: TOKEN_REFRESH_FAILED in [e["event"] for e in events])
            for _ in range(100):
                assert credential.get_token(VAULT_SCOPE).token == first.token
        failures = [e for e in events if e["event"] == TOKEN_REFRESH_FAILED]
        assert len(failures) == 1
        assert failures[0]["retry_in_s"] == 30
        assert failures[0]["error"] == "EntraUnavailableError"

    def test_rejected_refresh_token_falls_back_to_the_password(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """A revoked refresh token is replaced by a password sign-in, and the audit log says so."""
        idp.refresh_in = 1
        credential = make_credential()
        first = credential.get_token(VAULT_SCOPE)
        idp.revoke_refresh_tokens()
        time.sleep(1.1)
        with capture_audit() as events:
            credential.get_token(VAULT_SCOPE)
            wait_for(lambda: TOKEN_REFRESHED in [e["event"] for e in events])
        rejected = [e for e in events if e["event"] == TOKEN_REFRESH_TOKEN_REJECTED]
        assert len(rejected) == 1
        assert rejected[0]["fallback"] == "password"
        refreshed = next(e for e in events if e["event"] == TOKEN_REFRESHED)
        assert refreshed["grant"] == "password"
        assert credential.get_token(VAULT_SCOPE).token != first.token
        assert idp.count("token", grant_type="password") == 2

    def test_expired_token_is_replaced_before_it_is_served(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """A token past its expiry is never returned; the caller waits for a new one."""
        idp.access_token_lifetime = 1
        credential = make_credential()
        first = credential.get_token(VAULT_SCOPE)
        time.sleep(1.1)
        with capture_audit() as events:
            second = credential.get_token(VAULT_SCOPE)
        assert second.token != first.token
        assert second.expires_on > time.time()
        assert TOKEN_ACQUIRED in [e["event"] for e in events]


@pytest.mark.parametrize("count", [2, 8])
def test_single_flight_is_per_key(make_credential: CredentialFactory, idp: EntraEmulator, count: int) -> None:
    """Concurrent callers for different scopes do not wait on each other's flight forever."""
    credential = make_credential()
    credential.get_token(VAULT_SCOPE)
    tokens = credential.gather(count, GRAPH_SCOPE)
    assert len({t.token for t in tokens}) == 1
