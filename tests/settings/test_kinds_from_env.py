"""From the environment to a working credential of every kind, against the emulator over real TLS.

Issue 12's "Done when", by configuration: a client secret (or its file) gets a token with the client
credentials grant, once for 32 callers, and a wrong one is sent once; a federated token file is the
client assertion and a rewritten file is used without a restart; managed identity works against the
App Service-style endpoint. Each runs sync and async.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import settings_cred
import settings_cred.aio
from settings_cred import (
    FederatedCredentialMismatchError,
    InvalidClientSecretError,
)
from settings_cred._settings import CredentialSettings, credential_from_env
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, VAULT_SCOPE, Driver, Drivers
from tests.emulator.helpers import claims

APP_ID = "c0ffee00-1234-4abc-8def-0123456789ab"
SECRET = "Kinds-From-Env-Secret-3c7d"
SUBJECT = "system:serviceaccount:reports:exporter"
Load = Callable[..., Driver]


@pytest.fixture
def app(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
    """A confidential app with a client secret; the transport settings point at the emulator."""
    idp.add_app(CLIENT_ID, allow_public_client_flows=True)  # Alice's public client, for Key Vault's bootstrap
    idp.add_app(APP_ID, allow_public_client_flows=False)
    idp.add_client_secret(APP_ID, SECRET)
    monkeypatch.setenv("AZURE_HTTPS_PROXY", idp.proxy_url)
    monkeypatch.setenv("AZURE_CA_BUNDLE", idp.ca_bundle)
    monkeypatch.setenv("AZURE_TENANT_ID", idp.tenant_id)
    monkeypatch.setenv("AZURE_CLIENT_ID", APP_ID)
    return idp


@pytest.fixture(params=["sync", "async"])
def from_env(request: pytest.FixtureRequest) -> Iterator[Load]:
    """``credential_from_env(**overrides)``, or its async twin, behind one synchronous driver."""
    with Drivers(request.param) as drivers:

        def load(**overrides: Any) -> Driver:
            if drivers.loop is None:
                return drivers.add(credential_from_env(env_file=None, **overrides))
            pending = settings_cred.aio.credential_from_env(env_file=None, **overrides)
            return drivers.add(drivers.loop.run_until_complete(pending))

        yield load


def grants(idp: EntraEmulator) -> int:
    """Client credentials grants the emulator answered."""
    return idp.count("token", grant_type="client_credentials")


def of_kind(driver: Driver, name: str) -> bool:
    """The driver's credential is ``settings_cred.<name>`` (or its aio twin)."""
    namespace: Any = settings_cred.aio if driver.is_async else settings_cred
    return type(driver.credential) is getattr(namespace, name)


class TestClientSecret:
    """AZURE_CLIENT_SECRET (or its file) gives a ClientSecretCredential on the same core."""

    @pytest.mark.parametrize("source", ["env", "file"])
    def test_the_client_credentials_grant_gives_the_token(
        self, app: EntraEmulator, from_env: Load, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
    ) -> None:
        """AZURE_CLIENT_SECRET or AZURE_CLIENT_SECRET_FILE: one client_credentials grant, then the front cache."""
        if source == "env":
            monkeypatch.setenv("AZURE_CLIENT_SECRET", SECRET)
        else:
            (tmp_path / "client-secret").write_text(SECRET + "\n")
            monkeypatch.setenv("AZURE_CLIENT_SECRET_FILE", str(tmp_path / "client-secret"))
        credential = from_env()
        assert of_kind(credential, "ClientSecretCredential")
        first = credential.get_token(VAULT_SCOPE)
        assert credential.get_token(VAULT_SCOPE).token == first.token
        assert grants(app) == 1
        assert [r.client_auth for r in app.requests if r.endpoint == "token"] == ["client_secret"]

    def test_thirty_two_callers_on_a_fresh_credential_cause_one_grant(
        self, app: EntraEmulator, from_env: Load, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Single flight holds for a configured client secret: 32 threads (or tasks), one grant."""
        monkeypatch.setenv("AZURE_CLIENT_SECRET", SECRET)
        app.latency = 0.05
        tokens = {info.token for info in from_env().gather(32, VAULT_SCOPE)}
        assert len(tokens) == 1
        assert grants(app) == 1

    def test_a_wrong_secret_is_sent_once_then_refused_with_a_fix(
        self, app: EntraEmulator, from_env: Load, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AADSTS7000215 reaches Entra ID once in the process; later credentials get the named error at once."""
        monkeypatch.setenv("AZURE_CLIENT_SECRET", "Wrong-Secret-Canary-61")
        for attempt in range(3):
            with pytest.raises(InvalidClientSecretError, match="AZURE_CLIENT_SECRET") as caught:
                from_env().get_token(VAULT_SCOPE)
            assert caught.value.from_lockout_guard is (attempt > 0)
        assert grants(app) == 1

    def test_a_rotated_secret_file_is_used_without_a_restart(
        self, app: EntraEmulator, from_env: Load, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A stale secret in the file is refused; once the file holds the new one, the same credential signs in."""
        path = tmp_path / "client-secret"
        path.write_text("Stale-Secret-Canary-08")
        monkeypatch.setenv("AZURE_CLIENT_SECRET_FILE", str(path))
        credential = from_env()
        with pytest.raises(InvalidClientSecretError):
            credential.get_token(VAULT_SCOPE)
        path.write_text(SECRET + "\n")
        assert credential.get_token(VAULT_SCOPE).token
        assert grants(app) == 2


class TestWorkloadIdentity:
    """AZURE_FEDERATED_TOKEN_FILE gives a WorkloadIdentityCredential: the file is the client assertion."""

    @pytest.fixture
    def token_file(self, app: EntraEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
        """A projected service-account token the app trusts, named by AZURE_FEDERATED_TOKEN_FILE."""
        app.add_federated_credential(APP_ID, SUBJECT)
        path = tmp_path / "azure-identity-token"
        path.write_text(app.issue_federated_token(SUBJECT))
        monkeypatch.setenv("AZURE_FEDERATED_TOKEN_FILE", str(path))
        return path

    def test_the_files_content_is_sent_as_the_client_assertion(
        self, app: EntraEmulator, from_env: Load, token_file: Path
    ) -> None:
        """A federated client assertion, accepted for the trusted subject: one grant."""
        credential = from_env()
        assert of_kind(credential, "WorkloadIdentityCredential")
        assert credential.get_token(VAULT_SCOPE).token
        assert [r.client_auth for r in app.requests if r.endpoint == "token"] == ["federated"]

    def test_a_rewritten_file_is_picked_up_without_a_restart(
        self, app: EntraEmulator, from_env: Load, token_file: Path
    ) -> None:
        """The file's content is what is sent: an untrusted token is refused, the rewritten trusted one works."""
        rewrite(token_file, app.issue_federated_token("system:serviceaccount:other:intruder"))
        credential = from_env()
        with pytest.raises(FederatedCredentialMismatchError):
            credential.get_token(VAULT_SCOPE)
        rewrite(token_file, app.issue_federated_token(SUBJECT))
        assert credential.get_token(VAULT_SCOPE).token
        assert grants(app) == 2


def rewrite(path: Path, text: str) -> None:
    """Replace the file atomically, as the kubelet does."""
    replacement = path.with_suffix(".new")
    replacement.write_text(text)
    os.replace(replacement, path)


class TestManagedIdentity:
    """On App Service or Container Apps, the platform's identity endpoint gives a ManagedIdentityCredential."""

    @pytest.fixture
    def app_service(self, idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
        """IDENTITY_ENDPOINT and IDENTITY_HEADER as App Service sets them, pointing at the emulator."""
        for name, value in idp.managed_identity_environ().items():
            monkeypatch.setenv(name, value)
        return idp

    def test_the_system_assigned_identity_needs_no_setting(self, app_service: EntraEmulator, from_env: Load) -> None:
        """Nothing configured but the platform's endpoint: the system-assigned identity's token."""
        identity = app_service.add_managed_identity()
        credential = from_env()
        assert of_kind(credential, "ManagedIdentityCredential")
        assert claims(credential.get_token(VAULT_SCOPE).token)["oid"] == identity.object_id
        assert app_service.count("managed_identity") == 1

    def test_azure_client_id_chooses_a_user_assigned_identity(
        self, app_service: EntraEmulator, from_env: Load, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AZURE_CLIENT_ID with AZURE_CREDENTIAL_KIND=managed_identity: that user-assigned identity's token."""
        app_service.add_managed_identity()
        identity = app_service.add_managed_identity("reports-exporter")
        monkeypatch.setenv("AZURE_CREDENTIAL_KIND", "managed_identity")
        monkeypatch.setenv("AZURE_CLIENT_ID", identity.client_id)
        assert claims(from_env().get_token(VAULT_SCOPE).token)["oid"] == identity.object_id


def test_settings_build_the_kind_they_describe(app: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_credential() and build_async_credential() give the sync and the async class of the same kind."""
    monkeypatch.setenv("AZURE_CLIENT_SECRET", SECRET)
    settings = CredentialSettings.from_sources(env_file=None)
    with settings.build_credential() as credential:
        assert type(credential) is settings_cred.ClientSecretCredential
    asynchronous = settings.build_async_credential()
    assert type(asynchronous) is settings_cred.aio.ClientSecretCredential
    asyncio.run(asynchronous.close())
