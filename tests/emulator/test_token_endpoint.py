"""The token endpoint: password and refresh-token grants, Entra's token shapes and its AADSTS errors."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID, EmulatedUser, EntraEmulator, UserState
from settings_cred.emulator._errors import AADSTS_ERRORS
from tests.emulator.helpers import (
    CLIENT_ID,
    GUID,
    PASSWORD,
    USERNAME,
    claims,
    decode_part,
    password_grant,
    refresh_grant,
)

OTHER_TENANT = "33333333-0000-4000-8000-000000000003"
CP1 = json.dumps({"access_token": {"xms_cc": {"values": ["CP1"]}}})


def _error(response: requests.Response) -> tuple[int, str, list[int]]:
    body = response.json()
    return response.status_code, body["error"], body["error_codes"]


class TestPasswordGrant:
    """``grant_type=password`` succeeds with Entra's token response."""

    def test_answers_with_every_field_msal_reads(self, http: requests.Session) -> None:
        """The answer has msal's fields; ``scope`` drops openid/profile/offline_access."""
        response = password_grant(http)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {
            "token_type",
            "scope",
            "expires_in",
            "ext_expires_in",
            "access_token",
            "refresh_token",
            "id_token",
            "client_info",
        }
        assert body["token_type"] == "Bearer"
        assert body["scope"] == "https://vault.azure.net/.default"
        assert body["expires_in"] == body["ext_expires_in"] == 3600
        assert response.headers["Cache-Control"] == "no-store, no-cache"

    def test_access_token_is_a_v1_jwt_for_the_resource(self, alice: EmulatedUser, http: requests.Session) -> None:
        """The access token's claims name the resource, tenant, user and app."""
        access = claims(password_grant(http).json()["access_token"])
        assert access["aud"] == "https://vault.azure.net"
        assert access["iss"] == f"https://sts.windows.net/{DEFAULT_TENANT_ID}/"
        assert access["tid"] == DEFAULT_TENANT_ID
        assert access["oid"] == alice.oid
        assert access["upn"] == USERNAME
        assert access["appid"] == CLIENT_ID
        assert access["scp"] == "user_impersonation"
        assert access["exp"] - access["iat"] == 3600
        assert access["nbf"] == access["iat"]
        assert "xms_cc" not in access

    def test_id_token_and_client_info_identify_the_account(self, alice: EmulatedUser, http: requests.Session) -> None:
        """The ID token is a v2.0 token for the app; client_info holds the home object and tenant ids."""
        body = password_grant(http).json()
        id_claims = claims(body["id_token"])
        assert id_claims["aud"] == CLIENT_ID
        assert id_claims["iss"] == f"https://login.microsoftonline.com/{DEFAULT_TENANT_ID}/v2.0"
        assert id_claims["ver"] == "2.0"
        assert id_claims["preferred_username"] == USERNAME
        assert id_claims["name"] == "Alice"
        assert id_claims["oid"] == alice.oid
        assert id_claims["tid"] == DEFAULT_TENANT_ID
        assert {"iat", "nbf", "exp", "sub"} <= set(id_claims)
        assert decode_part(body["client_info"]) == {"uid": alice.oid, "utid": DEFAULT_TENANT_ID}

    def test_the_cp1_capability_puts_xms_cc_in_the_token(self, http: requests.Session) -> None:
        """A ``claims`` parameter declaring CP1 yields ``xms_cc: ["CP1"]`` (CAE)."""
        access = claims(password_grant(http, claims=CP1).json()["access_token"])
        assert access["xms_cc"] == ["CP1"]

    @pytest.mark.parametrize(
        ("scope", "audience"),
        [
            ("https://vault.azure.net/.default", "https://vault.azure.net"),
            ("https://management.core.windows.net//.default", "https://management.core.windows.net/"),
            ("https://registered.example/.default", "https://registered.example"),
            ("api://my-api/access", "api://my-api"),
            ("User.Read", "https://graph.microsoft.com"),
        ],
        ids=["vault", "arm", "registered-resource", "api-uri", "graph-short-name"],
    )
    def test_the_audience_is_the_first_scopes_resource(
        self, emulator: EntraEmulator, http: requests.Session, scope: str, audience: str
    ) -> None:
        """The token's ``aud`` is the resource part of the scope (made-up resources registered first)."""
        emulator.add_resource("https://registered.example")
        emulator.add_resource("api://my-api")
        response = password_grant(http, scope=f"{scope} offline_access openid profile")
        assert claims(response.json()["access_token"])["aud"] == audience

    def test_lifetime_and_refresh_in_follow_the_settings(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``access_token_lifetime`` sets ``expires_in``; ``refresh_in`` is sent only when set."""
        emulator.access_token_lifetime, emulator.refresh_in = 600, 300
        body = password_grant(http).json()
        assert (body["expires_in"], body["refresh_in"]) == (600, 300)
        assert claims(body["access_token"])["exp"] - claims(body["access_token"])["iat"] == 600

    def test_without_offline_access_or_openid_there_is_no_refresh_or_id_token(self, http: requests.Session) -> None:
        """Like Entra, the refresh token needs ``offline_access`` and the ID token ``openid``."""
        body = password_grant(http, scope="https://vault.azure.net/.default").json()
        assert "refresh_token" not in body
        assert "id_token" not in body

    def test_usernames_are_case_insensitive(self, http: requests.Session) -> None:
        """An upper-cased username signs in, and tokens carry the stored spelling."""
        body = password_grant(http, username=USERNAME.upper()).json()
        assert claims(body["access_token"])["upn"] == USERNAME


class TestErrors:
    """Refusals come with Entra's JSON error shape and the AADSTS code of the case."""

    def test_a_wrong_password_is_aadsts50126_in_entras_shape(self, http: requests.Session) -> None:
        """A wrong password answers 400 invalid_grant with every field of Entra's error body."""
        correlation = str(uuid.uuid4())
        response = http.post(
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
            data={
                "client_id": CLIENT_ID,
                "grant_type": "password",
                "username": USERNAME,
                "password": "wrong",
                "scope": "https://vault.azure.net/.default openid",
            },
            headers={"client-request-id": correlation},
        )
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "invalid_grant"
        assert body["error_codes"] == [50126]
        assert body["correlation_id"] == correlation
        assert re.fullmatch(GUID, body["trace_id"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", body["timestamp"])
        assert body["error_uri"] == "https://login.microsoftonline.com/error?code=50126"
        assert body["error_description"] == (
            "AADSTS50126: Error validating credentials due to invalid username or password. "
            f"Trace ID: {body['trace_id']} Correlation ID: {correlation} Timestamp: {body['timestamp']}"
        )
        assert response.headers["x-ms-request-id"] == body["trace_id"]
        assert response.headers["client-request-id"] == correlation

    def test_an_unknown_user_is_aadsts50034(self, http: requests.Session) -> None:
        """A username the directory does not have answers AADSTS50034."""
        assert _error(password_grant(http, username="nobody@contoso.onmicrosoft.com")) == (
            400,
            "invalid_grant",
            [50034],
        )

    @pytest.mark.parametrize(
        ("state", "code"),
        [
            ("locked", 50053),
            ("disabled", 50057),
            ("password_expired", 50055),
            ("mfa_required", 50076),
            ("consent_required", 65001),
        ],
    )
    def test_each_user_state_has_its_code(
        self, emulator: EntraEmulator, http: requests.Session, state: UserState, code: int
    ) -> None:
        """A user in a non-active state is refused with the state's AADSTS code and the table's shape."""
        emulator.set_user_state(USERNAME, state)
        response = password_grant(http)
        row = AADSTS_ERRORS[code]
        assert _error(response) == (row.status, row.error, [code])
        assert response.json().get("suberror") == row.suberror

    def test_a_locked_account_is_refused_even_with_a_wrong_password(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """Lockout answers AADSTS50053 whatever the password; other states need the right password first."""
        emulator.set_user_state(USERNAME, "locked")
        assert _error(password_grant(http, password="wrong"))[2] == [50053]
        emulator.set_user_state(USERNAME, "disabled")
        assert _error(password_grant(http, password="wrong"))[2] == [50126]

    def test_mfa_required_carries_a_claims_challenge(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """AADSTS50076 comes with ``suberror: basic_action`` and a Conditional Access claims challenge."""
        emulator.add_user("mfa@contoso.onmicrosoft.com", "pw", state="mfa_required")
        body = password_grant(http, username="mfa@contoso.onmicrosoft.com", password="pw").json()
        assert body["suberror"] == "basic_action"
        assert "capolids" in json.loads(body["claims"])["access_token"]

    @pytest.mark.parametrize(
        ("field", "parameter"),
        [("username", "username"), ("password", "password"), ("scope", "scope"), ("client_id", "client_id")],
    )
    def test_a_missing_parameter_is_aadsts900144(self, http: requests.Session, field: str, parameter: str) -> None:
        """Leaving out a required form field names it in AADSTS900144."""
        response = password_grant(http, **{field: ""})
        assert _error(response) == (400, "invalid_request", [900144])
        assert f"'{parameter}'" in response.json()["error_description"]

    def test_an_unsupported_grant_type_is_aadsts70003(self, http: requests.Session) -> None:
        """Grants the emulator does not serve (authorization code, device code...) are refused."""
        response = password_grant(http, grant_type="authorization_code")
        assert _error(response) == (400, "unsupported_grant_type", [70003])

    def test_an_unknown_tenant_is_aadsts90002(self, http: requests.Session) -> None:
        """A token request to a tenant that does not exist is refused before anything else."""
        assert _error(password_grant(http, tenant=OTHER_TENANT))[2] == [90002]


class TestApps:
    """App registrations: open to any client id until the first ``add_app``."""

    def test_any_client_id_works_while_no_app_is_registered(self, http: requests.Session) -> None:
        """Without registrations every client id may sign in."""
        assert password_grant(http, client_id=str(uuid.uuid4())).status_code == 200

    def test_an_unregistered_client_is_aadsts700016(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Once an app is registered, other client ids get unauthorized_client."""
        emulator.add_app(str(uuid.uuid4()))
        assert _error(password_grant(http)) == (400, "unauthorized_client", [700016])

    def test_a_confidential_app_is_aadsts7000218(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """An app without public client flows answers 401 invalid_client, as Entra does for ROPC."""
        emulator.add_app(CLIENT_ID, allow_public_client_flows=False)
        assert _error(password_grant(http)) == (401, "invalid_client", [7000218])

    def test_a_confidential_app_leaves_other_client_ids_open(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """Only ``add_app`` closes the door: giving some app a secret does not refuse other client ids."""
        emulator.add_client_secret(str(uuid.uuid4()), "app-secret")
        assert password_grant(http).status_code == 200

    def test_a_registered_public_client_signs_in(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A registered public client works."""
        emulator.add_app(CLIENT_ID.upper())
        assert password_grant(http).status_code == 200


class TestTenants:
    """Which tenant a token is issued in."""

    def test_organizations_and_common_mean_the_home_tenant(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """``organizations``/``common`` issue in the user's home tenant."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        emulator.add_user("erin@fabrikam.com", "pw")
        for tenant in ("organizations", "common"):
            body = password_grant(http, tenant=tenant, username="erin@fabrikam.com", password="pw").json()
            assert claims(body["access_token"])["tid"] == OTHER_TENANT

    @pytest.mark.parametrize("tenant", [DEFAULT_TENANT_ID, "contoso.onmicrosoft.com"], ids=["guid", "domain"])
    def test_a_member_signs_in_to_a_named_tenant(self, http: requests.Session, tenant: str) -> None:
        """A tenant named by GUID or domain works for its members."""
        assert claims(password_grant(http, tenant=tenant).json()["access_token"])["tid"] == DEFAULT_TENANT_ID

    def test_a_guest_gets_a_token_in_the_other_tenant(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A guest's token is issued by the resource tenant, with that tenant's object id for the user."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        bob = emulator.add_user("bob@contoso.onmicrosoft.com", "pw", guest_of=["fabrikam.com"])
        body = password_grant(http, tenant=OTHER_TENANT, username=bob.username, password="pw").json()
        access = claims(body["access_token"])
        assert access["tid"] == OTHER_TENANT
        assert access["oid"] == bob.oid_in(OTHER_TENANT) != bob.oid
        assert access["idp"] == f"https://sts.windows.net/{DEFAULT_TENANT_ID}/"
        assert decode_part(body["client_info"]) == {"uid": bob.oid, "utid": DEFAULT_TENANT_ID}

    def test_a_stranger_to_a_named_tenant_is_aadsts50034(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A user neither member nor guest of the named tenant does not exist there."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        response = password_grant(http, tenant="fabrikam.com", password="wrong")
        assert _error(response)[2] == [50034]
        assert "fabrikam.com directory" in response.json()["error_description"]


class TestRefreshGrant:
    """``grant_type=refresh_token``: rotation, revocation and Entra's refusals."""

    def test_a_refresh_token_buys_new_tokens(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The refresh grant answers like the password grant, with a new refresh token; the old stays valid."""
        first = password_grant(http).json()
        second = refresh_grant(http, first["refresh_token"]).json()
        assert second["access_token"] != first["access_token"]
        assert second["refresh_token"] != first["refresh_token"]
        assert claims(second["access_token"])["upn"] == USERNAME
        assert refresh_grant(http, first["refresh_token"]).status_code == 200
        issued = emulator.issued_refresh_tokens()
        assert issued[:2] == [first["refresh_token"], second["refresh_token"]]
        assert len(issued) == 3

    @pytest.mark.parametrize("who", ["the user", "everyone"])
    def test_revocation_breaks_earlier_refresh_tokens(
        self, emulator: EntraEmulator, http: requests.Session, who: str
    ) -> None:
        """After ``revoke_refresh_tokens`` the earlier token gets AADSTS50173; a new sign-in works again."""
        old = password_grant(http).json()["refresh_token"]
        emulator.revoke_refresh_tokens(USERNAME if who == "the user" else None)
        response = refresh_grant(http, old)
        assert _error(response) == (400, "invalid_grant", [50173])
        assert "TokensValidFrom" in response.json()["error_description"]
        fresh = password_grant(http).json()["refresh_token"]
        assert refresh_grant(http, fresh).status_code == 200

    def test_revoking_one_user_spares_the_others(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Revocation for one user leaves other users' refresh tokens valid."""
        emulator.add_user("dave@contoso.onmicrosoft.com", "pw")
        daves = password_grant(http, username="dave@contoso.onmicrosoft.com", password="pw").json()["refresh_token"]
        emulator.revoke_refresh_tokens(USERNAME)
        assert refresh_grant(http, daves).status_code == 200

    def test_a_password_change_revokes_refresh_tokens(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``set_password`` invalidates the user's refresh tokens, as a password reset does in Entra."""
        old = password_grant(http).json()["refresh_token"]
        emulator.set_password(USERNAME, "New-Pa55")
        assert _error(refresh_grant(http, old))[2] == [50173]
        assert _error(password_grant(http))[2] == [50126]
        assert password_grant(http, password="New-Pa55").status_code == 200

    def test_a_forgotten_refresh_token_has_expired(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A refresh token from before ``reset()`` answers AADSTS70008 (expired)."""
        old = password_grant(http).json()["refresh_token"]
        emulator.reset()
        emulator.add_user(USERNAME, PASSWORD)
        assert _error(refresh_grant(http, old)) == (400, "invalid_grant", [70008])

    def test_a_malformed_refresh_token_is_aadsts9002313(self, http: requests.Session) -> None:
        """A string that was never a refresh token is a malformed request."""
        assert _error(refresh_grant(http, "not-a-refresh-token")) == (400, "invalid_grant", [9002313])

    def test_another_clients_refresh_token_is_aadsts70000(self, http: requests.Session) -> None:
        """A refresh token is bound to the client it was issued to."""
        token = password_grant(http).json()["refresh_token"]
        assert _error(refresh_grant(http, token, client_id=str(uuid.uuid4())))[2] == [70000]

    def test_a_locked_user_cannot_refresh(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """User states apply to refreshes too."""
        token = password_grant(http).json()["refresh_token"]
        emulator.set_user_state(USERNAME, "locked")
        assert _error(refresh_grant(http, token))[2] == [50053]
