"""msal's ConfidentialClientApplication and ManagedIdentityClient, and azure-identity's credentials for the
same kinds, unmodified, against the emulator: wire compatibility with the libraries that will drive it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import msal
import pytest
import requests
from azure.identity import (
    CertificateCredential,
    ClientAssertionCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)

from settings_cred.emulator import ClientCertificate, EntraEmulator, ManagedIdentity
from tests.emulator.helpers import APP_ID, APP_SECRET, VAULT_SCOPE, claims

AUTHORITY = "https://login.microsoftonline.com/contoso.onmicrosoft.com"
SUBJECT = "system:serviceaccount:reports:exporter"


def _confidential(http: requests.Session, credential: Any) -> msal.ConfidentialClientApplication:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # a static client_assertion string is discouraged
        return msal.ConfidentialClientApplication(
            APP_ID, client_credential=credential, authority=AUTHORITY, http_client=http
        )


class TestConfidentialClientApplication:
    """``acquire_token_for_client`` with each kind of client credential."""

    def test_a_client_secret_gets_a_token_then_serves_it_from_the_cache(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """msal reads the metadata, sends the client-credentials grant once, then answers from its cache."""
        emulator.add_client_secret(APP_ID, APP_SECRET)
        app = _confidential(http, APP_SECRET)
        first = app.acquire_token_for_client([VAULT_SCOPE])
        second = app.acquire_token_for_client([VAULT_SCOPE])
        assert first["token_source"] == "identity_provider"
        assert (second["token_source"], second["access_token"]) == ("cache", first["access_token"])
        assert [(r.endpoint, r.grant_type, r.client_auth) for r in emulator.requests] == [
            ("openid_configuration", None, None),
            ("token", "client_credentials", "client_secret"),
        ]

    def test_a_wrong_secret_comes_back_as_entras_error(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """msal hands back the AADSTS7000215 body as a dict."""
        emulator.add_client_secret(APP_ID, APP_SECRET)
        result = _confidential(http, "wrong").acquire_token_for_client([VAULT_SCOPE])
        assert (result["error"], result["error_codes"]) == ("invalid_client", [7000215])

    @pytest.mark.parametrize("form", ["private-key-and-thumbprint", "pfx", "encrypted-pem-with-certificate"])
    def test_a_certificate_signs_the_app_in(
        self,
        emulator: EntraEmulator,
        http: requests.Session,
        certificate: ClientCertificate,
        tmp_path: Path,
        form: str,
    ) -> None:
        """msal's RS256/x5t (thumbprint) and PS256/x5t#S256 (pfx, public certificate) assertions are accepted."""
        emulator.add_client_certificate(APP_ID, certificate)
        pfx = tmp_path / "app.pfx"
        pfx.write_bytes(certificate.pfx(b"pfx-pass"))
        credential = {
            "private-key-and-thumbprint": {
                "private_key": certificate.private_key_pem().decode(),
                "thumbprint": certificate.thumbprint,
            },
            "pfx": {"private_key_pfx_path": str(pfx), "passphrase": "pfx-pass"},
            "encrypted-pem-with-certificate": {
                "private_key": certificate.private_key_pem(b"pem-pass").decode(),
                "passphrase": "pem-pass",
                "public_certificate": certificate.certificate_pem.decode(),
            },
        }[form]
        result = _confidential(http, credential).acquire_token_for_client([VAULT_SCOPE])
        assert claims(result["access_token"])["appidacr"] == "2", result
        assert emulator.requests[-1].client_auth == "certificate"

    def test_a_federated_token_is_a_client_assertion(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A service-account token minted by the emulator, passed as ``client_assertion``, signs the app in."""
        emulator.add_federated_credential(APP_ID, SUBJECT)
        token = emulator.issue_federated_token(SUBJECT)
        result = _confidential(http, {"client_assertion": lambda: token}).acquire_token_for_client([VAULT_SCOPE])
        assert claims(result["access_token"])["appid"] == APP_ID, result
        assert emulator.requests[-1].client_auth == "federated"


class TestManagedIdentityClient:
    """``ManagedIdentityClient`` finds the endpoint through the environment, as on App Service or a VM."""

    def test_the_system_assigned_identity_on_app_service(
        self, emulator: EntraEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With IDENTITY_ENDPOINT/IDENTITY_HEADER set msal asks the App Service endpoint, once; NO_PROXY keeps
        it direct even when every proxy variable points at the emulator's (CONNECT-only) proxy."""
        identity = emulator.add_managed_identity()
        proxies = {"HTTP_PROXY": emulator.proxy_url, "http_proxy": emulator.proxy_url}
        for name, value in {**emulator.environ(), **proxies, **emulator.managed_identity_environ()}.items():
            monkeypatch.setenv(name, value)
        client = msal.ManagedIdentityClient(msal.SystemAssignedManagedIdentity(), http_client=requests.Session())
        first = client.acquire_token_for_client(resource="https://vault.azure.net")
        second = client.acquire_token_for_client(resource="https://vault.azure.net")
        assert claims(first["access_token"])["oid"] == identity.object_id
        assert (first["token_source"], second["token_source"]) == ("identity_provider", "cache")
        assert emulator.count("managed_identity") == 1

    @pytest.mark.parametrize("selector", ["client_id", "resource_id", "object_id"])
    @pytest.mark.parametrize("source", ["app_service", "imds"])
    def test_a_user_assigned_identity_by_any_id(
        self, emulator: EntraEmulator, monkeypatch: pytest.MonkeyPatch, selector: str, source: str
    ) -> None:
        """msal's three ways of naming a user-assigned identity work on both endpoints."""
        emulator.add_managed_identity()
        reports: ManagedIdentity = emulator.add_managed_identity("reports")
        for name, value in emulator.managed_identity_environ(source=source).items():
            monkeypatch.setenv(name, value)
        value = getattr(reports, selector)
        identity = msal.UserAssignedManagedIdentity(**{selector: value})
        result = msal.ManagedIdentityClient(identity, http_client=requests.Session()).acquire_token_for_client(
            resource="https://management.azure.com"
        )
        assert claims(result["access_token"])["appid"] == reports.client_id, result
        assert emulator.requests[-1].endpoint == ("managed_identity" if source == "app_service" else "imds")

    def test_an_unknown_identity_comes_back_as_an_error(
        self, emulator: EntraEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """msal turns App Service's 400 into an error dict carrying the host's message."""
        for name, value in emulator.managed_identity_environ().items():
            monkeypatch.setenv(name, value)
        identity = msal.UserAssignedManagedIdentity(client_id="00000000-0000-0000-0000-000000000001")
        result = msal.ManagedIdentityClient(identity, http_client=requests.Session()).acquire_token_for_client(
            resource="https://vault.azure.net"
        )
        assert result["error_description"] == "400, Unable to load the proper Managed Identity."


class TestAzureIdentity:
    """azure-identity's credentials of each kind, configured for the emulator, get tokens."""

    def test_client_secret_credential(self, emulator: EntraEmulator) -> None:
        """``ClientSecretCredential`` with the emulator's pipeline options."""
        emulator.add_client_secret(APP_ID, APP_SECRET)
        credential = ClientSecretCredential(emulator.tenant_id, APP_ID, APP_SECRET, **emulator.pipeline_options())
        assert claims(credential.get_token(VAULT_SCOPE).token)["appidacr"] == "1"

    def test_certificate_credential(
        self, emulator: EntraEmulator, certificate: ClientCertificate, tmp_path: Path
    ) -> None:
        """``CertificateCredential`` reading a PEM file of key and certificate."""
        emulator.add_client_certificate(APP_ID, certificate)
        path = tmp_path / "app.pem"
        path.write_bytes(certificate.pem())
        credential = CertificateCredential(emulator.tenant_id, APP_ID, str(path), **emulator.pipeline_options())
        assert claims(credential.get_token(VAULT_SCOPE).token)["appidacr"] == "2"

    def test_workload_identity_credential_reads_the_token_file(self, emulator: EntraEmulator, tmp_path: Path) -> None:
        """``WorkloadIdentityCredential`` sends the content of the federated token file."""
        emulator.add_federated_credential(APP_ID, SUBJECT)
        token_file = tmp_path / "token"
        token_file.write_text(emulator.issue_federated_token(SUBJECT))
        credential = WorkloadIdentityCredential(
            tenant_id=emulator.tenant_id,
            client_id=APP_ID,
            token_file_path=str(token_file),
            **emulator.pipeline_options(),
        )
        assert claims(credential.get_token(VAULT_SCOPE).token)["appid"] == APP_ID
        assert emulator.requests[-1].client_auth == "federated"

    def test_client_assertion_credential(self, emulator: EntraEmulator) -> None:
        """``ClientAssertionCredential`` with a callback returning a federated token."""
        emulator.add_federated_credential(APP_ID, SUBJECT)
        credential = ClientAssertionCredential(
            emulator.tenant_id,
            APP_ID,
            lambda: emulator.issue_federated_token(SUBJECT),
            **emulator.pipeline_options(),
        )
        assert credential.get_token(VAULT_SCOPE).token

    @pytest.mark.parametrize("source", ["app_service", "imds"])
    def test_managed_identity_credential(
        self, emulator: EntraEmulator, monkeypatch: pytest.MonkeyPatch, source: str
    ) -> None:
        """``ManagedIdentityCredential`` on App Service and on a VM, user-assigned by client id."""
        reports = emulator.add_managed_identity("reports")
        for name, value in emulator.managed_identity_environ(source=source).items():
            monkeypatch.setenv(name, value)
        credential = ManagedIdentityCredential(client_id=reports.client_id)
        assert claims(credential.get_token(VAULT_SCOPE).token)["appid"] == reports.client_id
