"""The default bootstrap credential that reads Key Vault references never signs in with a password.

With the ``AZURE_`` prefix, ``AZURE_USERNAME`` and ``AZURE_PASSWORD`` are ours; azure-identity's
``EnvironmentCredential`` would read them too and post the unresolved reference text as a password,
one more failed sign-in towards the account's lockout on every load.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from azure.identity import (
    AzureCliCredential,
    AzureDeveloperCliCredential,
    AzurePowerShellCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

from settings_cred._settings import CredentialSettings, SettingsError
from settings_cred._settings._bootstrap import default_bootstrap_credential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import VAULT

REFERENCE = f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=svc-password)"
DEVELOPER = [AzureCliCredential, AzureDeveloperCliCredential, AzurePowerShellCredential]


class _NoIdentity(BaseHTTPRequestHandler):
    """Answers like the instance metadata service of a machine that has no managed identity."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = b'{"error":"invalid_request","error_description":"Identity not found"}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def machine_without_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """A local metadata endpoint with no identity to give, and no az, azd or pwsh on the PATH."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_NoIdentity,), {"seen": seen}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("PATH", str(tmp_path))
    yield seen
    server.shutdown()
    server.server_close()


def test_the_default_bootstrap_sends_no_password(
    idp: EntraEmulator, machine_without_identity: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AZURE_USERNAME set, AZURE_PASSWORD a reference: no password grant reaches Entra ID; the error says what to do."""
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    idp.add_secret(VAULT, "svc-password", PASSWORD)
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", REFERENCE)
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None, keyvault_timeout=20)
    assert idp.count("token", grant_type="password") == 0
    assert machine_without_identity, "the managed identity was asked first"
    (problem,) = caught.value.problems
    assert problem.setting == "AZURE_PASSWORD"
    assert "the default bootstrap credential (workload identity when configured, managed identity, then" in (
        problem.message
    )
    assert "never a password" in problem.message
    for advice in ("managed identity", "az login", "keyvault_credential="):
        assert advice in problem.fix


@pytest.mark.parametrize(
    ("mode", "workload", "expected"),
    [
        pytest.param(None, False, [ManagedIdentityCredential, *DEVELOPER], id="default"),
        pytest.param(
            None, True, [WorkloadIdentityCredential, ManagedIdentityCredential, *DEVELOPER], id="workload-identity"
        ),
        pytest.param("prod", False, [ManagedIdentityCredential], id="prod"),
        pytest.param("dev", True, DEVELOPER, id="dev"),
    ],
)
def test_the_chain_has_no_password_credential(
    mode: str | None, workload: bool, expected: list[type], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workload identity when configured, managed identity, developer sign-ins; AZURE_TOKEN_CREDENTIALS narrows it."""
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", REFERENCE)
    if workload:
        (tmp_path / "token").write_text("a-federated-token")
        monkeypatch.setenv("AZURE_FEDERATED_TOKEN_FILE", str(tmp_path / "token"))
        monkeypatch.setenv("AZURE_TENANT_ID", "contoso.onmicrosoft.com")
    if mode is not None:
        monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", mode)
    chain = default_bootstrap_credential()
    assert [type(member) for member in chain.credentials] == expected
