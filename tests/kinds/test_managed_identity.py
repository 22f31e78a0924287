"""ManagedIdentityCredential: the emulator's App Service-style endpoint, system- and user-assigned identities."""

from __future__ import annotations

import pytest

from settings_cred import CredentialUnavailableError, ManagedIdentityError
from settings_cred.emulator import EntraEmulator
from tests.emulator.helpers import claims
from tests.kinds.conftest import VAULT_SCOPE, Make
from tests.redis_server import free_port


@pytest.fixture
def app_service(tenant: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
    """IDENTITY_ENDPOINT and IDENTITY_HEADER set as App Service sets them, pointing at the emulator."""
    for name, value in tenant.managed_identity_environ().items():
        monkeypatch.setenv(name, value)
    return tenant


def test_the_system_assigned_identity_gets_a_token(make: Make, app_service: EntraEmulator) -> None:
    """One request to the identity endpoint; later calls come from the front cache."""
    app_service.add_managed_identity()
    credential = make("ManagedIdentityCredential")
    first = credential.get_token(VAULT_SCOPE)
    assert credential.get_token(VAULT_SCOPE).token == first.token
    assert app_service.count("managed_identity") == 1


@pytest.mark.parametrize("by", ["client_id", "object_id"])
def test_a_user_assigned_identity_is_chosen_by_id(make: Make, app_service: EntraEmulator, by: str) -> None:
    """client_id= (or AZURE_CLIENT_ID through the settings layer) and identity_config={"object_id": ...} work."""
    identity = app_service.add_managed_identity("reports-exporter")
    if by == "client_id":
        credential = make("ManagedIdentityCredential", client_id=identity.client_id)
    else:
        credential = make("ManagedIdentityCredential", identity_config={"object_id": identity.object_id})
    token = credential.get_token(VAULT_SCOPE).token
    assert claims(token)["oid"] == identity.object_id


def test_an_unknown_user_assigned_identity_is_refused(make: Make, app_service: EntraEmulator) -> None:
    """The endpoint's refusal becomes ManagedIdentityError with what to check."""
    app_service.add_managed_identity()
    credential = make("ManagedIdentityCredential", client_id="00000000-0000-4000-8000-00000000dead")
    with pytest.raises(ManagedIdentityError, match="AZURE_CLIENT_ID"):
        credential.get_token(VAULT_SCOPE)


def test_no_endpoint_means_unavailable_so_a_chain_moves_on(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where nothing answers at the endpoint, CredentialUnavailableError (azure-identity's too, once imported)."""
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"http://127.0.0.1:{free_port()}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", "header")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    credential = make("ManagedIdentityCredential", retry_total=0)
    with pytest.raises(CredentialUnavailableError, match="managed identity"):
        credential.get_token(VAULT_SCOPE)


def test_exactly_one_scope_is_required(make: Make, app_service: EntraEmulator) -> None:
    """A managed identity token is for one resource, as azure-identity insists."""
    with pytest.raises(ValueError, match="exactly one scope"):
        make("ManagedIdentityCredential").get_token(VAULT_SCOPE, "https://graph.microsoft.com/.default")


def test_identity_config_takes_one_known_id(make: Make) -> None:
    """Unknown keys or two ids at once are refused at construction."""
    with pytest.raises(ValueError, match="one of client_id, object_id or resource_id"):
        make("ManagedIdentityCredential", client_id="a", identity_config={"object_id": "b"})
