"""Key Vault secrets behind the bearer challenge, read by hand and by the real SecretClient."""

from __future__ import annotations

import re
import time
import warnings

import pytest
import requests
from azure.identity import ClientSecretCredential, ManagedIdentityCredential, UsernamePasswordCredential
from azure.keyvault.secrets import SecretClient

from settings_cred.emulator import DEFAULT_TENANT_ID, EmulatedUser, EntraEmulator
from settings_cred.emulator._tokens import InvalidTokenError, Issue, TokenService
from tests.emulator.helpers import APP_ID, APP_SECRET, CLIENT_ID, PASSWORD, USERNAME, password_grant

VAULT = "https://myvault.vault.azure.net"
CHALLENGE = (
    f'Bearer authorization="https://login.microsoftonline.com/{DEFAULT_TENANT_ID}", resource="https://vault.azure.net"'
)


@pytest.fixture
def bearer(http: requests.Session) -> dict[str, str]:
    """An Authorization header with a fresh Key Vault token from the emulator."""
    return {"Authorization": "Bearer " + password_grant(http).json()["access_token"]}


class TestChallenge:
    """Requests without a valid token get Key Vault's 401 challenge."""

    def test_no_token_gets_the_challenge(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The first, unauthenticated request learns the tenant and resource from WWW-Authenticate."""
        response = http.get(f"{VAULT}/secrets/db?api-version=7.5")
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == CHALLENGE
        assert response.json()["error"]["code"] == "Unauthorized"
        assert emulator.requests[-1].endpoint == "keyvault"

    @pytest.mark.parametrize(
        ("scope", "message"),
        [
            ("https://graph.microsoft.com/.default", "AKV10022: Invalid audience"),
            ("https://vault.azure.net/.default", "not issued by this emulator"),
        ],
        ids=["wrong-audience", "forged"],
    )
    def test_a_token_it_cannot_accept_gets_the_challenge(
        self, http: requests.Session, scope: str, message: str
    ) -> None:
        """A token for another resource, or not signed by this emulator, is refused with the reason."""
        token = password_grant(http, scope=scope).json()["access_token"]
        if message.startswith("not issued"):
            token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        response = http.get(f"{VAULT}/secrets/db?api-version=7.5", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == CHALLENGE
        assert message in response.json()["error"]["message"]

    def test_tokens_from_before_a_reset_are_refused(
        self, emulator: EntraEmulator, http: requests.Session, bearer: dict[str, str]
    ) -> None:
        """``reset()`` rotates the signing key, so earlier access tokens stop working."""
        emulator.reset()
        assert http.get(f"{VAULT}/secrets/db?api-version=7.5", headers=bearer).status_code == 401

    def test_an_expired_token_is_refused(self, alice: EmulatedUser) -> None:
        """Verification rejects a token once ``exp`` has passed."""
        tokens, now = TokenService(), time.time()
        issue = Issue(
            user=alice,
            tenant_id=alice.home_tenant_id,
            client_id=CLIENT_ID,
            scopes=("https://vault.azure.net/.default",),
            resource="https://vault.azure.net",
            issuer_host="login.microsoftonline.com",
            now=now,
            lifetime=60,
            cp1=False,
        )
        token = tokens.access_token(issue)
        assert tokens.verify(token, audience="https://vault.azure.net", now=now + 59)["upn"] == USERNAME
        with pytest.raises(InvalidTokenError, match="expired"):
            tokens.verify(token, audience="https://vault.azure.net", now=now + 60)


class TestSecrets:
    """``GET /secrets/<name>[/<version>]`` with a valid token."""

    def test_returns_the_newest_version_in_key_vaults_shape(
        self, emulator: EntraEmulator, http: requests.Session, bearer: dict[str, str]
    ) -> None:
        """Without a version the newest is served, with id, attributes, tags and content type."""
        emulator.add_secret("myvault", "db-password", "old")
        version = emulator.add_secret("myvault", "db-password", "new", content_type="text/plain")
        body = http.get(f"{VAULT}/secrets/db-password/?api-version=7.5", headers=bearer).json()
        assert body["value"] == "new"
        assert body["id"] == f"{VAULT}/secrets/db-password/{version}"
        assert body["contentType"] == "text/plain"
        assert body["tags"] == {}
        assert body["attributes"]["enabled"] is True
        assert body["attributes"]["recoveryLevel"] == "Recoverable+Purgeable"
        assert isinstance(body["attributes"]["created"], int)
        assert re.fullmatch(r"[0-9a-f]{32}", version)

    def test_serves_a_named_version(
        self, emulator: EntraEmulator, http: requests.Session, bearer: dict[str, str]
    ) -> None:
        """A version in the path selects that version; names are case-insensitive."""
        old = emulator.add_secret("myvault", "db-password", "old", version="a" * 32)
        emulator.add_secret("myvault", "db-password", "new")
        body = http.get(f"{VAULT}/secrets/DB-Password/{old}?api-version=7.5", headers=bearer).json()
        assert body["value"] == "old"
        assert "contentType" not in body

    def test_secrets_belong_to_their_vault(
        self, emulator: EntraEmulator, http: requests.Session, bearer: dict[str, str]
    ) -> None:
        """A secret in one vault is not found in another."""
        emulator.add_secret("othervault", "db-password", "x")
        response = http.get(f"{VAULT}/secrets/db-password?api-version=7.5", headers=bearer)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "SecretNotFound"

    def test_the_api_version_is_required(self, http: requests.Session, bearer: dict[str, str]) -> None:
        """A request without ``api-version`` is a bad parameter."""
        response = http.get(f"{VAULT}/secrets/db-password", headers=bearer)
        assert (response.status_code, response.json()["error"]["code"]) == (400, "BadParameter")

    @pytest.mark.parametrize(
        ("vault", "name", "version"),
        [("x", "ok", None), ("my_vault", "ok", None), ("myvault", "bad name", None), ("myvault", "ok", "v1")],
        ids=["vault-too-short", "vault-underscore", "name-space", "version-not-hex"],
    )
    def test_add_secret_rejects_names_key_vault_would(
        self, emulator: EntraEmulator, vault: str, name: str, version: str | None
    ) -> None:
        """Vault names, secret names and versions follow Key Vault's rules."""
        with pytest.raises(ValueError, match="invalid"):
            emulator.add_secret(vault, name, "value", version=version)


class TestAzureSdk:
    """The real azure-keyvault-secrets client, authenticated by azure-identity, through the emulator."""

    def test_secret_client_reads_a_secret(self, emulator: EntraEmulator) -> None:
        """SecretClient follows the challenge, gets a token from the emulator and reads the secret."""
        emulator.add_secret("myvault", "db-password", "s3cr3t", content_type="text/plain")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # azure-identity deprecates ROPC
            credential = UsernamePasswordCredential(
                CLIENT_ID,
                USERNAME,
                PASSWORD,
                tenant_id=DEFAULT_TENANT_ID,
                authority=emulator.authority_host,
                **emulator.pipeline_options(),
            )
            with SecretClient(VAULT, credential, **emulator.pipeline_options()) as client:
                secret = client.get_secret("db-password")
        assert (secret.value, secret.properties.content_type) == ("s3cr3t", "text/plain")
        assert emulator.count("keyvault") == 2  # the challenge, then the authorized read
        assert emulator.count("token", grant_type="password") == 1
        assert [r.status for r in emulator.requests if r.endpoint == "keyvault"] == [401, 200]

    def test_an_app_only_token_reads_a_secret(self, emulator: EntraEmulator) -> None:
        """A service principal's client-credentials token is as good as a user's to the vault."""
        emulator.add_secret("myvault", "db-password", "s3cr3t")
        emulator.add_client_secret(APP_ID, APP_SECRET)
        credential = ClientSecretCredential(emulator.tenant_id, APP_ID, APP_SECRET, **emulator.pipeline_options())
        with SecretClient(VAULT, credential, **emulator.pipeline_options()) as client:
            assert client.get_secret("db-password").value == "s3cr3t"
        assert emulator.count("token", grant_type="client_credentials") == 1

    def test_a_managed_identity_token_reads_a_secret(
        self, emulator: EntraEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On an emulated App Service host, ManagedIdentityCredential reads the vault through the proxy."""
        emulator.add_secret("myvault", "db-password", "s3cr3t")
        emulator.add_managed_identity()
        for name, value in {**emulator.environ(), **emulator.managed_identity_environ()}.items():
            monkeypatch.setenv(name, value)
        with SecretClient(VAULT, ManagedIdentityCredential()) as client:
            assert client.get_secret("db-password").value == "s3cr3t"
        assert emulator.count("managed_identity") == 1  # the SDK may skip the challenge it cached for the vault
        assert (emulator.requests[-1].endpoint, emulator.requests[-1].status) == ("keyvault", 200)
