"""ClientSecretCredential: the client credentials grant on the same core (cache, single flight, lockout guard)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from settings_cred import (
    ApplicationNotFoundError,
    ClientSecretExpiredError,
    InvalidClientSecretError,
    SecretSource,
    TokenCachePersistenceOptions,
)
from settings_cred._secret import Secret
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY
from tests.kinds.conftest import APP_ID, SECRET, VAULT_SCOPE, Make


def grants(idp: EntraEmulator) -> int:
    """Client credentials grants the emulator answered."""
    return idp.count("token", grant_type="client_credentials")


class TestTokens:
    def test_a_token_comes_from_the_client_credentials_grant(self, make: Make, tenant: EntraEmulator) -> None:
        """One grant for the first token; the second comes from the front cache."""
        credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, SECRET)
        first = credential.get_token(VAULT_SCOPE)
        assert credential.get_token(VAULT_SCOPE).token == first.token
        assert grants(tenant) == 1
        assert [r.client_auth for r in tenant.requests if r.endpoint == "token"] == ["client_secret"]

    def test_thirty_two_concurrent_first_calls_share_one_grant(self, make: Make, tenant: EntraEmulator) -> None:
        """Single flight: 32 threads (or tasks) on a fresh credential cause one request."""
        tenant.latency = 0.05
        credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, SECRET)
        tokens = {info.token for info in credential.gather(32, VAULT_SCOPE)}
        assert len(tokens) == 1
        assert grants(tenant) == 1

    def test_a_token_due_for_refresh_is_served_and_replaced_in_the_background(
        self, make: Make, tenant: EntraEmulator
    ) -> None:
        """Serve-stale: in the refresh window the old token is served while a new one is fetched."""
        tenant.refresh_in = 1
        credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, SECRET)
        first = credential.get_token(VAULT_SCOPE).token
        time.sleep(1.2)
        assert credential.get_token(VAULT_SCOPE).token == first
        deadline = time.monotonic() + 5
        while grants(tenant) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert grants(tenant) == 2


class TestRejections:
    def test_a_wrong_secret_is_sent_once_then_refused_with_a_fix(self, make: Make, tenant: EntraEmulator) -> None:
        """AADSTS7000215 names the fix; the same secret is not sent again by any instance."""
        for attempt in range(3):
            credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, "Wrong-Secret-Canary")
            with pytest.raises(InvalidClientSecretError, match="AZURE_CLIENT_SECRET") as caught:
                credential.get_token(VAULT_SCOPE)
            assert caught.value.from_lockout_guard is (attempt > 0)
        assert grants(tenant) == 1

    def test_a_rotated_secret_is_tried_once_it_changes(self, make: Make, tenant: EntraEmulator) -> None:
        """After a rejection, the next value of the secret source is sent (and works)."""
        values = ["Stale-Secret-Canary", SECRET]

        class Rotating:
            def get(self) -> Secret:
                return Secret(values[0])

        assert isinstance(Rotating(), SecretSource)
        credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, Rotating())
        with pytest.raises(InvalidClientSecretError):
            credential.get_token(VAULT_SCOPE)
        values.pop(0)
        assert credential.get_token(VAULT_SCOPE).token
        assert grants(tenant) == 2

    def test_an_expired_secret_says_to_create_a_new_one(self, make: Make, tenant: EntraEmulator) -> None:
        """AADSTS7000222 maps to ClientSecretExpiredError, which suggests certificates or workload identity."""
        tenant.add_client_secret(APP_ID, "Expired-Secret-Canary", expires_on=1.0)
        credential = make("ClientSecretCredential", tenant.tenant_id, APP_ID, "Expired-Secret-Canary")
        with pytest.raises(ClientSecretExpiredError, match="workload identity"):
            credential.get_token(VAULT_SCOPE)

    def test_an_unknown_application_is_named(self, make: Make, tenant: EntraEmulator) -> None:
        """AADSTS700016: the app is not registered in the tenant."""
        credential = make("ClientSecretCredential", tenant.tenant_id, "0f0f0f0f-1111-2222-3333-444444444444", SECRET)
        with pytest.raises(ApplicationNotFoundError):
            credential.get_token(VAULT_SCOPE)


class TestConstruction:
    @pytest.mark.parametrize("tenant_id", ["", "organizations", "common"])
    def test_the_application_tenant_is_required(self, make: Make, tenant_id: str) -> None:
        """Client credentials need the app's own tenant, as Entra ID does."""
        with pytest.raises(ValueError, match="AZURE_TENANT_ID"):
            make("ClientSecretCredential", tenant_id, APP_ID, SECRET)

    def test_an_empty_secret_is_refused(self, make: Make, tenant: EntraEmulator) -> None:
        """An empty secret is a configuration error, before any request."""
        with pytest.raises(ValueError, match="AZURE_CLIENT_SECRET"):
            make("ClientSecretCredential", tenant.tenant_id, APP_ID, "")

    def test_the_repr_shows_no_secret(self, make: Make, tenant: EntraEmulator) -> None:
        """The repr names the kind and the app, never the secret."""
        text = repr(make("ClientSecretCredential", tenant.tenant_id, APP_ID, SECRET).credential)
        assert "client_secret" in text
        assert SECRET not in text


def test_processes_sharing_a_store_use_one_grant(make: Make, tenant: EntraEmulator, cache_dir: Path) -> None:
    """With a shared store, a second credential (another process) reads the first one's token: one grant."""
    options = TokenCachePersistenceOptions(name="app", directory=cache_dir, encryption_key=CACHE_KEY)
    for _ in range(2):
        make("ClientSecretCredential", tenant.tenant_id, APP_ID, SECRET, cache_persistence_options=options).get_token(
            VAULT_SCOPE
        )
    assert grants(tenant) == 1
