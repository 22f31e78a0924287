"""msal itself, unmodified, against the emulator: the requests it makes and the answers it gets."""

from __future__ import annotations

import warnings
from typing import Any

import msal
import pytest
import requests

from settings_cred.emulator import EntraEmulator
from tests.emulator.helpers import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE


@pytest.fixture
def app(emulator: EntraEmulator, http: requests.Session) -> msal.PublicClientApplication:
    """A public client app for ``organizations`` whose HTTP client tunnels through the emulator."""
    return msal.PublicClientApplication(
        CLIENT_ID, authority="https://login.microsoftonline.com/organizations", http_client=http
    )


def _sign_in(app: msal.PublicClientApplication, password: str = PASSWORD) -> dict[str, Any]:
    with pytest.warns(DeprecationWarning, match="deprecated"):
        result: dict[str, Any] = app.acquire_token_by_username_password(USERNAME, password, [VAULT_SCOPE])
    return result


class TestUsernamePassword:
    """``acquire_token_by_username_password`` and ``acquire_token_silent``."""

    def test_signs_in_then_serves_from_its_cache(
        self, emulator: EntraEmulator, app: msal.PublicClientApplication
    ) -> None:
        """msal reads the metadata, asks the user realm, gets a token, then finds it in its cache."""
        result = _sign_in(app)
        assert result["token_source"] == "identity_provider"
        assert result["id_token_claims"]["preferred_username"] == USERNAME
        assert [r.endpoint for r in emulator.requests] == ["openid_configuration", "user_realm", "token"]
        (account,) = app.get_accounts(username=USERNAME)
        silent = app.acquire_token_silent([VAULT_SCOPE], account=account)
        assert silent["access_token"] == result["access_token"]
        assert silent["token_source"] == "cache"
        assert emulator.count() == 3

    def test_refreshes_a_token_close_to_expiry(
        self, emulator: EntraEmulator, app: msal.PublicClientApplication
    ) -> None:
        """A token with under five minutes left is renewed silently with the refresh token."""
        emulator.access_token_lifetime = 120
        first = _sign_in(app)
        (account,) = app.get_accounts()
        renewed = app.acquire_token_silent([VAULT_SCOPE], account=account)
        assert renewed["access_token"] != first["access_token"]
        assert renewed["token_source"] == "identity_provider"
        assert emulator.count("token", grant_type="refresh_token") == 1

    def test_a_wrong_password_returns_entras_error(
        self, emulator: EntraEmulator, app: msal.PublicClientApplication
    ) -> None:
        """msal hands back the AADSTS50126 body as a dict."""
        result = _sign_in(app, password="wrong")
        assert result["error"] == "invalid_grant"
        assert result["error_codes"] == [50126]
        assert result["error_description"].startswith("AADSTS50126: ")

    def test_after_revocation_silent_refresh_fails_and_consults_instance_discovery(
        self, emulator: EntraEmulator, app: msal.PublicClientApplication
    ) -> None:
        """A revoked refresh token fails silently; msal then asks instance discovery for host aliases."""
        emulator.access_token_lifetime = 120
        _sign_in(app)
        emulator.revoke_refresh_tokens(USERNAME)
        emulator.clear_requests()
        (account,) = app.get_accounts()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = app.acquire_token_silent_with_error([VAULT_SCOPE], account=account)
        assert result is not None
        assert result["error_codes"] == [50173]
        assert [r.endpoint for r in emulator.requests] == ["token", "instance_discovery"]

    def test_a_tenant_by_domain_resolves_to_its_guid(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """With a domain authority msal takes the tenant GUID from the metadata's token endpoint."""
        app = msal.PublicClientApplication(
            CLIENT_ID, authority="https://login.microsoftonline.com/contoso.onmicrosoft.com", http_client=http
        )
        result = _sign_in(app)
        assert "access_token" in result
        token_paths = [r.path for r in emulator.requests if r.endpoint == "token"]
        assert token_paths == [f"/{emulator.tenant_id}/oauth2/v2.0/token"]

    def test_an_unknown_tenant_fails_at_discovery(self, http: requests.Session) -> None:
        """msal refuses to build an app whose tenant's metadata answers AADSTS90002."""
        with pytest.raises(ValueError, match="Unable to get authority configuration") as raised:
            msal.PublicClientApplication(
                CLIENT_ID, authority="https://login.microsoftonline.com/fabrikam.example", http_client=http
            )
        assert "AADSTS90002" in str(raised.value.__context__)
