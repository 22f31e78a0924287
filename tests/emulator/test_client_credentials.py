"""``grant_type=client_credentials`` with a client secret: Entra's answer, its app-only token and its refusals."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID, EntraEmulator
from tests.emulator.helpers import (
    APP_ID,
    APP_SECRET,
    CP1_CLAIMS,
    PASSWORD,
    USERNAME,
    claims,
    client_credentials,
    error_of,
    password_grant,
)

OTHER_TENANT = "44444444-0000-4000-8000-000000000004"


@pytest.fixture
def app(emulator: EntraEmulator) -> str:
    """A confidential app with one client secret; returns the secret's key id."""
    return emulator.add_client_secret(APP_ID, APP_SECRET)


class TestAnswer:
    """A good secret buys an app-only token in Entra's shape."""

    def test_answers_exactly_entras_fields(self, app: str, http: requests.Session) -> None:
        """No refresh token, no ID token, no scope: token_type, expires_in, ext_expires_in, access_token."""
        response = client_credentials(http, client_secret=APP_SECRET)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"token_type", "expires_in", "ext_expires_in", "access_token"}
        assert (body["token_type"], body["expires_in"], body["ext_expires_in"]) == ("Bearer", 3600, 3600)
        assert response.headers["Cache-Control"] == "no-store, no-cache"

    def test_the_access_token_is_an_app_only_v1_token(self, app: str, http: requests.Session) -> None:
        """The token names the app (appid, appidacr 1 for a secret), its service principal and the resource."""
        access = claims(client_credentials(http, client_secret=APP_SECRET).json()["access_token"])
        assert access["aud"] == "https://vault.azure.net"
        assert access["iss"] == f"https://sts.windows.net/{DEFAULT_TENANT_ID}/"
        assert (access["appid"], access["appidacr"], access["idtyp"]) == (APP_ID, "1", "app")
        assert access["oid"] == access["sub"]
        assert str(uuid.UUID(access["oid"])) == access["oid"]
        assert access["tid"] == DEFAULT_TENANT_ID
        assert access["exp"] - access["iat"] == 3600
        assert not {"upn", "scp", "roles", "xms_cc"} & set(access)

    def test_roles_granted_on_the_resource_are_in_the_token(
        self, emulator: EntraEmulator, app: str, http: requests.Session
    ) -> None:
        """``add_app(roles=...)`` puts the app's roles on that resource, and only that one, in ``roles``."""
        emulator.add_app(APP_ID, allow_public_client_flows=False, roles={"https://graph.microsoft.com/": ["Read"]})
        graph = client_credentials(http, client_secret=APP_SECRET, scope="https://graph.microsoft.com/.default")
        vault = client_credentials(http, client_secret=APP_SECRET)
        assert claims(graph.json()["access_token"])["roles"] == ["Read"]
        assert "roles" not in claims(vault.json()["access_token"])

    def test_lifetime_refresh_in_and_cp1_follow_the_request_and_settings(
        self, emulator: EntraEmulator, app: str, http: requests.Session
    ) -> None:
        """``access_token_lifetime`` and ``refresh_in`` apply; a CP1 ``claims`` parameter adds ``xms_cc``."""
        emulator.access_token_lifetime, emulator.refresh_in = 900, 300
        body = client_credentials(http, client_secret=APP_SECRET, claims=CP1_CLAIMS).json()
        assert (body["expires_in"], body["refresh_in"]) == (900, 300)
        assert claims(body["access_token"])["xms_cc"] == ["CP1"]

    def test_a_tenant_by_domain_issues_in_that_tenant(self, app: str, http: requests.Session) -> None:
        """The tenant segment may be a verified domain."""
        response = client_credentials(http, tenant="contoso.onmicrosoft.com", client_secret=APP_SECRET)
        assert claims(response.json()["access_token"])["tid"] == DEFAULT_TENANT_ID

    def test_the_request_log_says_how_the_client_authenticated(
        self, emulator: EntraEmulator, app: str, http: requests.Session
    ) -> None:
        """The log records the grant, the client and ``client_auth``, never the secret."""
        client_credentials(http, client_secret=APP_SECRET)
        (entry,) = emulator.requests
        assert (entry.grant_type, entry.client_id, entry.client_auth, entry.status) == (
            "client_credentials",
            APP_ID,
            "client_secret",
            200,
        )
        assert APP_SECRET not in repr(entry)


class TestSecrets:
    """Secrets: wrong, expired, rotated."""

    def test_a_wrong_secret_is_aadsts7000215(self, app: str, http: requests.Session) -> None:
        """401 invalid_client with Entra's wording, naming the app."""
        response = client_credentials(http, client_secret="not-the-secret")
        assert error_of(response) == (401, "invalid_client", [7000215])
        description = response.json()["error_description"]
        assert description.startswith("AADSTS7000215: Invalid client secret provided.")
        assert f"app '{APP_ID}'" in description

    @pytest.mark.parametrize(
        "expires_on",
        [time.time() - 1, datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)],
        ids=["epoch-seconds", "datetime"],
    )
    def test_an_expired_secret_is_aadsts7000222(
        self, emulator: EntraEmulator, http: requests.Session, expires_on: float | datetime.datetime
    ) -> None:
        """The right value of a secret past its end date is refused as expired."""
        emulator.add_client_secret(APP_ID, APP_SECRET, expires_on=expires_on)
        response = client_credentials(http, client_secret=APP_SECRET)
        assert error_of(response) == (401, "invalid_client", [7000222])
        assert "https://aka.ms/NewClientSecret" in response.json()["error_description"]

    def test_a_secret_expiring_later_works(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A secret before its end date signs in."""
        emulator.add_client_secret(APP_ID, APP_SECRET, expires_on=time.time() + 60)
        assert client_credentials(http, client_secret=APP_SECRET).status_code == 200

    def test_rotation_keeps_both_secrets_until_the_old_one_is_removed(
        self, emulator: EntraEmulator, app: str, http: requests.Session
    ) -> None:
        """Two secrets work side by side; ``remove_client_credential`` ends the old one."""
        emulator.add_client_secret(APP_ID, "the-new-secret")
        assert client_credentials(http, client_secret=APP_SECRET).status_code == 200
        emulator.remove_client_credential(APP_ID, app)
        assert error_of(client_credentials(http, client_secret=APP_SECRET))[2] == [7000215]
        assert client_credentials(http, client_secret="the-new-secret").status_code == 200

    def test_removing_an_unknown_credential_is_a_key_error(self, emulator: EntraEmulator, app: str) -> None:
        """A key id the app does not have is reported."""
        with pytest.raises(KeyError, match="no credential"):
            emulator.remove_client_credential(APP_ID, "nope")

    def test_an_empty_secret_cannot_be_registered(self, emulator: EntraEmulator) -> None:
        """Registering an empty secret is a mistake, refused at once."""
        with pytest.raises(ValueError, match="empty"):
            emulator.add_client_secret(APP_ID, "")


class TestRefusals:
    """The request-level errors of the grant, each with Entra's code."""

    def test_an_unknown_app_is_aadsts700016(self, app: str, http: requests.Session) -> None:
        """A client id nobody registered is unauthorized_client, whatever secret it sends."""
        response = client_credentials(http, client_id=str(uuid.uuid4()), client_secret=APP_SECRET)
        assert error_of(response) == (400, "unauthorized_client", [700016])

    def test_without_a_credential_it_is_aadsts7000218(self, app: str, http: requests.Session) -> None:
        """Neither client_secret nor client_assertion: invalid_client."""
        assert error_of(client_credentials(http)) == (401, "invalid_client", [7000218])

    def test_a_public_client_sending_a_secret_is_aadsts700025(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """An app with public client flows and no credentials must not present one."""
        emulator.add_app(APP_ID)
        assert error_of(client_credentials(http, client_secret="x")) == (400, "invalid_client", [700025])

    @pytest.mark.parametrize(
        "scope",
        [
            "https://vault.azure.net/user_impersonation",
            "User.Read",
            "/.default",
            "https://vault.azure.net/.default openid",
        ],
        ids=["permission", "graph-short-name", "no-resource", "with-openid"],
    )
    def test_a_scope_other_than_resource_default_is_aadsts1002012(
        self, app: str, http: requests.Session, scope: str
    ) -> None:
        """Client credentials take ``<resource>/.default`` only, and say so."""
        response = client_credentials(http, client_secret=APP_SECRET, scope=scope)
        assert error_of(response) == (400, "invalid_scope", [1002012])
        assert "/.default suffixed" in response.json()["error_description"]

    def test_a_missing_scope_is_aadsts900144(self, app: str, http: requests.Session) -> None:
        """No scope at all names the missing parameter."""
        response = client_credentials(http, client_secret=APP_SECRET, scope="")
        assert error_of(response) == (400, "invalid_request", [900144])

    @pytest.mark.parametrize("tenant", ["organizations", "common"])
    def test_a_multi_tenant_alias_is_aadsts50059(self, app: str, http: requests.Session, tenant: str) -> None:
        """An app-only token needs a tenant: the aliases say nothing about which."""
        assert error_of(client_credentials(http, tenant=tenant, client_secret=APP_SECRET))[2] == [50059]

    def test_an_unknown_resource_is_aadsts500011(self, app: str, http: requests.Session) -> None:
        """A made-up resource is refused as Entra does, naming it."""
        response = client_credentials(http, client_secret=APP_SECRET, scope="https://nothing.example/.default")
        assert error_of(response) == (400, "invalid_resource", [500011])
        assert "https://nothing.example" in response.json()["error_description"]

    def test_an_app_of_one_tenant_is_unknown_in_another(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``add_app(tenant_id=...)`` confines the app; elsewhere it is AADSTS700016."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        emulator.add_app(APP_ID, allow_public_client_flows=False, tenant_id="fabrikam.com")
        emulator.add_client_secret(APP_ID, APP_SECRET)
        assert client_credentials(http, tenant=OTHER_TENANT, client_secret=APP_SECRET).status_code == 200
        assert error_of(client_credentials(http, client_secret=APP_SECRET))[2] == [700016]

    def test_an_app_cannot_be_confined_to_an_unknown_tenant(self, emulator: EntraEmulator) -> None:
        """Naming a tenant the emulator does not have is refused at registration."""
        with pytest.raises(ValueError, match="unknown tenant"):
            emulator.add_app(APP_ID, tenant_id="fabrikam.com")


class TestConfidentialPasswordGrant:
    """A confidential client may use the password grant with its secret (and must, without public flows)."""

    def test_a_confidential_client_signs_a_user_in_with_its_secret(
        self, emulator: EntraEmulator, app: str, http: requests.Session
    ) -> None:
        """ROPC with a client secret works for an app that allows no public client flows."""
        response = password_grant(http, client_id=APP_ID, client_secret=APP_SECRET)
        assert response.status_code == 200
        assert claims(response.json()["access_token"])["upn"] == USERNAME
        assert emulator.requests[-1].client_auth == "client_secret"

    def test_without_its_secret_it_is_aadsts7000218(self, app: str, http: requests.Session) -> None:
        """The same app without a secret is refused as a public client."""
        assert error_of(password_grant(http, client_id=APP_ID)) == (401, "invalid_client", [7000218])

    def test_a_wrong_client_secret_fails_before_the_password_is_checked(self, app: str, http: requests.Session) -> None:
        """The client is authenticated first: a wrong secret is AADSTS7000215 even with a right password."""
        response = password_grant(http, client_id=APP_ID, client_secret="wrong", password=PASSWORD)
        assert error_of(response)[2] == [7000215]
