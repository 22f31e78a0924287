"""Resources: tokens only for resources the cloud knows; made-up ones get AADSTS500011 as from Entra."""

from __future__ import annotations

import pytest
import requests

from settings_cred.emulator import WELL_KNOWN_RESOURCES, EntraEmulator
from tests.emulator.helpers import APP_ID, APP_SECRET, CLIENT_ID, claims, client_credentials, error_of, password_grant


def _ask(http: requests.Session, scope: str) -> requests.Response:
    return password_grant(http, scope=f"{scope} offline_access openid profile")


class TestWellKnown:
    """Microsoft's resources are there without registration."""

    @pytest.mark.parametrize(
        "scope",
        [
            "https://vault.azure.net/.default",
            "https://graph.microsoft.com/.default",
            "User.Read",
            "https://management.azure.com/.default",
            "https://management.azure.com//.default",
            "https://management.core.windows.net//.default",
            "https://storage.azure.com/user_impersonation",
            "https://database.windows.net//.default",
            "https://analysis.windows.net/powerbi/api/.default",
            "https://contoso.crm.dynamics.com/.default",
            "https://contoso.crm4.dynamics.com/user_impersonation",
            "https://contoso.sharepoint.com/.default",
            "https://contosodata.blob.core.windows.net/.default",
        ],
        ids=[
            "key-vault",
            "graph",
            "graph-short-name",
            "arm",
            "arm-trailing-slash",
            "arm-classic-name",
            "storage",
            "sql",
            "power-bi",
            "dynamics-org",
            "dynamics-regional-org",
            "sharepoint",
            "storage-account",
        ],
    )
    def test_a_well_known_resource_needs_no_registration(self, http: requests.Session, scope: str) -> None:
        """A token is issued for each, with the resource as its audience."""
        assert _ask(http, scope).status_code == 200

    def test_the_default_set_is_exported(self) -> None:
        """``WELL_KNOWN_RESOURCES`` lists both names of Azure Resource Manager, among others."""
        assert {"https://management.azure.com", "https://management.core.windows.net/"} <= WELL_KNOWN_RESOURCES


class TestUnknown:
    """Anything else is refused, by every grant."""

    def test_a_made_up_resource_is_aadsts500011(self, http: requests.Session) -> None:
        """400 invalid_resource naming the resource and the tenant, as Entra words it."""
        response = _ask(http, "https://unknown.example/.default")
        assert error_of(response) == (400, "invalid_resource", [500011])
        assert response.json()["error_description"].startswith(
            "AADSTS500011: The resource principal named https://unknown.example was not found in the tenant named"
        )

    def test_client_credentials_are_refused_too(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """An app-only token for an unknown resource is refused the same way."""
        emulator.add_client_secret(APP_ID, APP_SECRET)
        response = client_credentials(http, client_secret=APP_SECRET, scope="api://unknown/.default")
        assert error_of(response)[2] == [500011]

    def test_a_refusal_costs_no_password_check(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The resource is checked before the password, so a bad scope never counts as a failed sign-in."""
        response = password_grant(http, password="wrong", scope="https://unknown.example/.default")
        assert error_of(response)[2] == [500011]


class TestRegistered:
    """``add_resource`` and app registrations add resources."""

    @pytest.mark.parametrize(
        ("registered", "scope"),
        [
            ("api://reporting", "api://reporting/.default"),
            ("https://api.contoso.com/", "https://API.contoso.com/read"),
            ("https://api.contoso.com", "https://api.contoso.com//.default"),
        ],
        ids=["app-id-uri", "case-and-trailing-slash", "double-slash-scope"],
    )
    def test_a_registered_resource_is_accepted(
        self, emulator: EntraEmulator, http: requests.Session, registered: str, scope: str
    ) -> None:
        """Registration matches as Entra does: case and trailing slashes do not matter."""
        emulator.add_resource(registered)
        assert _ask(http, scope).status_code == 200

    @pytest.mark.parametrize("name", [APP_ID, f"api://{APP_ID}"], ids=["client-id", "api-uri"])
    def test_a_registered_app_is_a_resource(self, emulator: EntraEmulator, http: requests.Session, name: str) -> None:
        """An app's client id and ``api://<client id>`` name it as a resource."""
        emulator.add_app(APP_ID)
        emulator.add_app(CLIENT_ID)
        response = _ask(http, f"{name}/.default")
        assert claims(response.json()["access_token"])["aud"] == name

    def test_reset_forgets_registrations(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """After ``reset()`` only the well-known resources remain."""
        emulator.add_resource("api://reporting")
        emulator.reset()
        emulator.add_user("alice@contoso.onmicrosoft.com", "Emulator-Canary-Pa55-3d9f")
        assert error_of(_ask(http, "api://reporting/.default"))[2] == [500011]

    def test_an_empty_resource_is_refused(self, emulator: EntraEmulator) -> None:
        """Registering nothing is a mistake."""
        with pytest.raises(ValueError, match="empty"):
            emulator.add_resource(" / ")
