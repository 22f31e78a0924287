"""Every kind's secrets and files from every source, rotating without a restart, against the emulator.

A client secret and a certificate's password come from the environment, ``X_FILE``, ``.env``, a secrets
directory or a Key Vault reference. A certificate or a federated token file is named by the environment
or ``.env``, or *is* the file an ``X_FILE`` or a secrets directory entry names (a file is never read by
the settings layer). Files and versionless references are re-read when they change.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from settings_cred import CertificateRejectedError, FileSecret, InvalidClientSecretError
from settings_cred._settings import CredentialSettings, KeyVaultSecret, SettingsError
from settings_cred.emulator import ClientCertificate, EntraEmulator
from tests.conftest import CLIENT_ID, VAULT_SCOPE
from tests.settings.conftest import VAULT

APP_ID = "c0ffee00-5678-4abc-8def-0123456789ab"
SECRET = "Kind-Sources-Secret-5b1e"
CERTIFICATE_PASSWORD = "Kind-Sources-Cert-Pw-77"
SUBJECT = "system:serviceaccount:reports:exporter"
VALUE_SOURCES = ["env", "file", "env_file", "secrets_dir", "keyvault"]
FILE_SOURCES = ["env", "file", "env_file", "secrets_dir"]
Place = Callable[[str, str, str], dict[str, Any]]


@pytest.fixture
def app(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
    """A confidential app (a secret, a certificate, a trusted service account); transport through the emulator."""
    idp.add_app(CLIENT_ID, allow_public_client_flows=True)  # Alice, who reads Key Vault
    idp.add_app(APP_ID, allow_public_client_flows=False)
    idp.add_client_secret(APP_ID, SECRET)
    idp.add_federated_credential(APP_ID, SUBJECT)
    monkeypatch.setenv("AZURE_HTTPS_PROXY", idp.proxy_url)
    monkeypatch.setenv("AZURE_CA_BUNDLE", idp.ca_bundle)
    monkeypatch.setenv("AZURE_TENANT_ID", idp.tenant_id)
    monkeypatch.setenv("AZURE_CLIENT_ID", APP_ID)
    return idp


@pytest.fixture
def certificate(app: EntraEmulator) -> ClientCertificate:
    """A certificate the app knows."""
    generated = ClientCertificate.generate("kind-sources")
    app.add_client_certificate(APP_ID, generated)
    return generated


@pytest.fixture
def place(app: EntraEmulator, vault: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Place:
    """``place(source, variable, text)``: put a setting in one source; returns the ``from_sources`` keywords.

    For a value, ``text`` is the value; for a file setting, ``text`` is the file's content, written under
    ``tmp_path`` and named (or, for ``file`` and ``secrets_dir``, being) the setting.
    """
    env_file, secrets = tmp_path / "app.env", tmp_path / "secrets"
    secrets.mkdir()

    def put(source: str, variable: str, text: str) -> dict[str, Any]:
        is_file = variable.endswith(("_PATH", "_TOKEN_FILE"))
        written = tmp_path / variable.lower()
        written.write_text(text)
        value = str(written) if is_file else text
        if source == "env":
            monkeypatch.setenv(variable, value)
        elif source == "file":
            monkeypatch.setenv(f"{variable}_FILE", str(written))
        elif source == "env_file":
            env_file.write_text(f"{variable}={value}\n")
            return {"env_file": env_file}
        elif source == "secrets_dir":
            (secrets / variable.lower()).write_text(text)
            return {"env_file": None, "secrets_dir": secrets}
        else:
            name = variable.lower().replace("_", "-")
            app.add_secret(VAULT, name, text)
            monkeypatch.setenv(variable, f"@Microsoft.KeyVault(VaultName={VAULT};SecretName={name})")
            return {"env_file": None, **vault}
        return {"env_file": None}

    return put


def token_request_auth(idp: EntraEmulator) -> list[str | None]:
    """How the app authenticated in each token request."""
    return [request.client_auth for request in idp.requests if request.endpoint == "token" and request.client_auth]


class TestEverySource:
    """The same setting from each source signs the app in; its origin says where it came from."""

    @pytest.mark.parametrize("source", VALUE_SOURCES)
    def test_a_client_secret(self, app: EntraEmulator, place: Place, source: str) -> None:
        """AZURE_CLIENT_SECRET from the environment, X_FILE, .env, a secrets directory or Key Vault."""
        settings = CredentialSettings.from_sources(**place(source, "AZURE_CLIENT_SECRET", SECRET))
        assert settings.origins["client_secret"].kind == source
        with settings.build_credential() as credential:
            assert credential.get_token(VAULT_SCOPE).token
        assert token_request_auth(app) == ["client_secret"]

    @pytest.fixture
    def pfx(self, certificate: ClientCertificate, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
        """The certificate as a PKCS#12 file with a password, named by AZURE_CLIENT_CERTIFICATE_PATH."""
        path = tmp_path / "app.pfx"
        path.write_bytes(certificate.pfx(CERTIFICATE_PASSWORD.encode()))
        monkeypatch.setenv("AZURE_CLIENT_CERTIFICATE_PATH", str(path))
        return path

    @pytest.mark.parametrize("source", VALUE_SOURCES)
    @pytest.mark.usefixtures("pfx")
    def test_a_certificates_password(self, app: EntraEmulator, place: Place, source: str) -> None:
        """AZURE_CLIENT_CERTIFICATE_PASSWORD from each source opens a PKCS#12 file."""
        settings = CredentialSettings.from_sources(
            **place(source, "AZURE_CLIENT_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD)
        )
        assert settings.origins["client_certificate_password"].kind == source
        with settings.build_credential() as credential:
            assert credential.get_token(VAULT_SCOPE).token
        assert token_request_auth(app) == ["certificate"]

    @pytest.mark.parametrize("source", FILE_SOURCES)
    def test_a_certificate_file(
        self, app: EntraEmulator, certificate: ClientCertificate, place: Place, source: str
    ) -> None:
        """AZURE_CLIENT_CERTIFICATE_PATH names the PEM file; an X_FILE or a secrets directory entry is the file."""
        settings = CredentialSettings.from_sources(
            **place(source, "AZURE_CLIENT_CERTIFICATE_PATH", certificate.pem().decode())
        )
        assert settings.kind.kind == "certificate"
        with settings.build_credential() as credential:
            assert credential.get_token(VAULT_SCOPE).token
        assert token_request_auth(app) == ["certificate"]

    @pytest.mark.parametrize("source", FILE_SOURCES)
    def test_a_federated_token_file(self, app: EntraEmulator, place: Place, source: str) -> None:
        """AZURE_FEDERATED_TOKEN_FILE names the token; an X_FILE or a secrets directory entry is the token file."""
        settings = CredentialSettings.from_sources(
            **place(source, "AZURE_FEDERATED_TOKEN_FILE", app.issue_federated_token(SUBJECT))
        )
        assert settings.kind.kind == "workload_identity"
        with settings.build_credential() as credential:
            assert credential.get_token(VAULT_SCOPE).token
        assert token_request_auth(app) == ["federated"]

    def test_a_certificate_its_password_does_not_open_names_both_settings(
        self, certificate: ClientCertificate, place: Place, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At build_credential(): a SettingsError naming the certificate's setting and source, and the password's."""
        (tmp_path / "app.pfx").write_bytes(certificate.pfx(b"another password"))
        monkeypatch.setenv("AZURE_CLIENT_CERTIFICATE_PATH", str(tmp_path / "app.pfx"))
        settings = CredentialSettings.from_sources(
            **place("secrets_dir", "AZURE_CLIENT_CERTIFICATE_PASSWORD", CERTIFICATE_PASSWORD)
        )
        with pytest.raises(SettingsError) as caught:
            settings.build_credential()
        message = str(caught.value)
        assert "AZURE_CLIENT_CERTIFICATE_PATH (env AZURE_CLIENT_CERTIFICATE_PATH): cannot be used:" in message
        assert "AZURE_CLIENT_CERTIFICATE_PASSWORD its password" in message
        assert caught.value.__context__ is None

    @pytest.mark.parametrize("variable", ["AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"])
    def test_a_key_vault_reference_cannot_stand_for_a_file(
        self, app: EntraEmulator, place: Place, variable: str
    ) -> None:
        """A vault holds values, not files: the reference is refused, unread, with how to mount the file."""
        with pytest.raises(SettingsError, match="Key Vault CSI driver") as caught:
            CredentialSettings.from_sources(**place("keyvault", variable, "not read"))
        assert [p.setting for p in caught.value.problems] == [variable]
        assert app.count("keyvault") == 0


def rewrite(path: Path, data: bytes) -> None:
    """Replace a mounted file atomically, as the kubelet does."""
    replacement = path.with_name(f".{path.name}.new")
    replacement.write_bytes(data)
    os.replace(replacement, path)


class TestRotation:
    """A rotated secret, certificate or password is used by the same credential: no restart."""

    def test_a_client_secret_in_a_secrets_directory(self, app: EntraEmulator, place: Place, tmp_path: Path) -> None:
        """The stale secret is refused once; the rewritten file's secret is then sent, and works."""
        settings = CredentialSettings.from_sources(**place("secrets_dir", "AZURE_CLIENT_SECRET", "Stale-Secret-4d"))
        assert isinstance(settings.secret_source("client_secret"), FileSecret)
        with settings.build_credential() as credential:
            with pytest.raises(InvalidClientSecretError):
                credential.get_token(VAULT_SCOPE)
            rewrite(tmp_path / "secrets" / "azure_client_secret", SECRET.encode())
            assert credential.get_token(VAULT_SCOPE).token
        assert app.count("token", grant_type="client_credentials") == 2

    def test_a_versionless_key_vault_secret(self, app: EntraEmulator, place: Place) -> None:
        """A new version of the referenced secret is read after the refresh interval and signs the app in."""
        keywords = place("keyvault", "AZURE_CLIENT_SECRET", "Stale-Vault-Secret-2a")
        settings = CredentialSettings.from_sources(**keywords, keyvault_refresh_interval=0.2)
        assert isinstance(settings.secret_source("client_secret"), KeyVaultSecret)
        with settings.build_credential() as credential:
            with pytest.raises(InvalidClientSecretError):
                credential.get_token(VAULT_SCOPE)
            app.add_secret(VAULT, "azure-client-secret", SECRET)
            time.sleep(0.25)
            assert credential.get_token(VAULT_SCOPE).token

    @pytest.mark.parametrize("first", ["password", "certificate"])
    def test_a_certificate_and_its_password_in_a_secrets_directory(
        self, app: EntraEmulator, certificate: ClientCertificate, place: Place, tmp_path: Path, first: str
    ) -> None:
        """A refused certificate and its password, replaced one after the other: the new pair signs the app in.

        Between the two writes the file cannot be opened (new file, old password, or the reverse): the last
        good certificate is kept, and not sent again, until the pair fits.
        """
        stranger = ClientCertificate.generate("stranger")
        keywords = place("secrets_dir", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "Old-Cert-Pw-1")
        mount = tmp_path / "secrets"
        (mount / "azure_client_certificate_path").write_bytes(stranger.pfx(b"Old-Cert-Pw-1"))
        writes = {
            "password": lambda: rewrite(mount / "azure_client_certificate_password", CERTIFICATE_PASSWORD.encode()),
            "certificate": lambda: rewrite(
                mount / "azure_client_certificate_path", certificate.pfx(CERTIFICATE_PASSWORD.encode())
            ),
        }
        settings = CredentialSettings.from_sources(**keywords)
        with settings.build_credential() as credential:
            with pytest.raises(CertificateRejectedError):
                credential.get_token(VAULT_SCOPE)
            writes.pop(first)()
            with pytest.raises(CertificateRejectedError) as caught:
                credential.get_token(VAULT_SCOPE)
            assert caught.value.from_lockout_guard
            next(iter(writes.values()))()
            assert credential.get_token(VAULT_SCOPE).token
        assert app.count("token", grant_type="client_credentials") == 2
