"""WorkloadIdentityCredential: the federated token file as the client assertion, re-read when Kubernetes rotates it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from settings_cred import FederatedCredentialMismatchError
from settings_cred.emulator import EntraEmulator
from tests.kinds.conftest import APP_ID, VAULT_SCOPE, Make

SUBJECT = "system:serviceaccount:reports:exporter"


@pytest.fixture
def token_file(tenant: EntraEmulator, tmp_path: Path) -> Path:
    """A projected service-account token for SUBJECT, which the app trusts."""
    tenant.add_federated_credential(APP_ID, SUBJECT)
    path = tmp_path / "azure-identity-token"
    path.write_text(tenant.issue_federated_token(SUBJECT))
    return path


def rotate(path: Path, token: str) -> None:
    """Replace the file atomically, as the kubelet does."""
    replacement = path.with_suffix(".new")
    replacement.write_text(token)
    os.replace(replacement, path)


def test_the_file_content_is_sent_as_the_client_assertion(make: Make, tenant: EntraEmulator, token_file: Path) -> None:
    """One client credentials grant, authenticated as a federated credential."""
    credential = make(
        "WorkloadIdentityCredential", tenant_id=tenant.tenant_id, client_id=APP_ID, token_file_path=str(token_file)
    )
    assert credential.get_token(VAULT_SCOPE).token
    assert [r.client_auth for r in tenant.requests if r.endpoint == "token"] == ["federated"]


def test_azure_identitys_variables_configure_it(
    make: Make, tenant: EntraEmulator, token_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE, as the AKS webhook sets them."""
    monkeypatch.setenv("AZURE_TENANT_ID", tenant.tenant_id)
    monkeypatch.setenv("AZURE_CLIENT_ID", APP_ID)
    monkeypatch.setenv("AZURE_FEDERATED_TOKEN_FILE", str(token_file))
    assert make("WorkloadIdentityCredential").get_token(VAULT_SCOPE).token


def test_a_rewritten_file_is_picked_up_without_a_restart(make: Make, tenant: EntraEmulator, token_file: Path) -> None:
    """A token no credential matches is refused once; the rotated file's token is then sent and works."""
    rotate(token_file, tenant.issue_federated_token("system:serviceaccount:other:intruder"))
    credential = make(
        "WorkloadIdentityCredential", tenant_id=tenant.tenant_id, client_id=APP_ID, token_file_path=str(token_file)
    )
    for guarded in (False, True):
        with pytest.raises(FederatedCredentialMismatchError, match="federated credential") as caught:
            credential.get_token(VAULT_SCOPE)
        assert caught.value.from_lockout_guard is guarded
    rotate(token_file, tenant.issue_federated_token(SUBJECT))
    assert credential.get_token(VAULT_SCOPE).token
    assert tenant.count("token") == 2


def test_missing_configuration_names_the_variables(make: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the three values, the error says which are missing and which variables provide them."""
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="AZURE_FEDERATED_TOKEN_FILE"):
        make("WorkloadIdentityCredential", client_id=APP_ID)


def test_a_missing_token_file_fails_at_construction(make: Make, tenant: EntraEmulator, tmp_path: Path) -> None:
    """A path where no token is mounted is a configuration error naming the file."""
    with pytest.raises(ValueError, match="cannot be used"):
        make(
            "WorkloadIdentityCredential",
            tenant_id=tenant.tenant_id,
            client_id=APP_ID,
            token_file_path=str(tmp_path / "none"),
        )
