"""Instance discovery, OpenID metadata and user realm: what msal asks before it asks for a token."""

from __future__ import annotations

import re

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID, EntraEmulator
from tests.emulator.helpers import AUTHORITY, GUID

OTHER_TENANT = "22222222-0000-4000-8000-000000000002"


class TestInstanceDiscovery:
    """``GET /common/discovery/instance``."""

    def test_points_at_the_tenants_metadata_and_lists_the_public_cloud_aliases(self, http: requests.Session) -> None:
        """A known authority gets its tenant discovery endpoint and the cloud's host aliases."""
        params = {
            "api-version": "1.1",
            "authorization_endpoint": f"{AUTHORITY}/organizations/oauth2/v2.0/authorize",
        }
        body = http.get(f"{AUTHORITY}/common/discovery/instance", params=params).json()
        assert body["tenant_discovery_endpoint"] == (f"{AUTHORITY}/organizations/v2.0/.well-known/openid-configuration")
        assert body["api-version"] == "1.1"
        public = next(group for group in body["metadata"] if "login.microsoftonline.com" in group["aliases"])
        assert {"login.windows.net", "login.microsoft.com", "sts.windows.net"} <= set(public["aliases"])
        assert public["preferred_network"] == "login.microsoftonline.com"

    def test_an_unknown_authority_is_an_invalid_instance(self, http: requests.Session) -> None:
        """An authorization endpoint on a host Entra does not know gets 400 ``invalid_instance``."""
        params = {"api-version": "1.1", "authorization_endpoint": "https://login.example.com/x/oauth2/authorize"}
        response = http.get(f"{AUTHORITY}/common/discovery/instance", params=params)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_instance"
        assert response.json()["error_codes"] == [50049]


class TestOpenIdConfiguration:
    """``GET /<tenant>/v2.0/.well-known/openid-configuration``."""

    @pytest.mark.parametrize("tenant", ["organizations", "common"])
    def test_multi_tenant_aliases_have_a_placeholder_issuer(self, http: requests.Session, tenant: str) -> None:
        """``organizations`` and ``common`` keep their name in the endpoints and use ``{tenantid}``."""
        body = http.get(f"{AUTHORITY}/{tenant}/v2.0/.well-known/openid-configuration").json()
        assert body["token_endpoint"] == f"{AUTHORITY}/{tenant}/oauth2/v2.0/token"
        assert body["authorization_endpoint"] == f"{AUTHORITY}/{tenant}/oauth2/v2.0/authorize"
        assert body["device_authorization_endpoint"] == f"{AUTHORITY}/{tenant}/oauth2/v2.0/devicecode"
        assert body["issuer"] == f"{AUTHORITY}/{{tenantid}}/v2.0"
        assert body["cloud_instance_name"] == "microsoftonline.com"
        assert body["tenant_region_scope"] is None

    @pytest.mark.parametrize(
        "name",
        [DEFAULT_TENANT_ID, DEFAULT_TENANT_ID.upper(), "contoso.onmicrosoft.com"],
        ids=["guid", "GUID", "domain"],
    )
    def test_a_tenant_by_guid_or_domain_answers_with_its_guid(self, http: requests.Session, name: str) -> None:
        """A tenant named by GUID (any case) or domain gets GUID-based endpoints and issuer."""
        body = http.get(f"{AUTHORITY}/{name}/v2.0/.well-known/openid-configuration").json()
        assert body["token_endpoint"] == f"{AUTHORITY}/{DEFAULT_TENANT_ID}/oauth2/v2.0/token"
        assert body["issuer"] == f"{AUTHORITY}/{DEFAULT_TENANT_ID}/v2.0"
        assert body["tenant_region_scope"] == "NA"

    def test_the_host_asked_is_the_host_answered(self, http: requests.Session) -> None:
        """Metadata fetched from login.microsoft.com points back at login.microsoft.com."""
        body = http.get("https://login.microsoft.com/organizations/v2.0/.well-known/openid-configuration").json()
        assert body["token_endpoint"] == "https://login.microsoft.com/organizations/oauth2/v2.0/token"

    def test_an_added_tenant_is_known(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``add_tenant`` makes the tenant and its domains discoverable."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        body = http.get(f"{AUTHORITY}/fabrikam.com/v2.0/.well-known/openid-configuration").json()
        assert body["issuer"] == f"{AUTHORITY}/{OTHER_TENANT}/v2.0"

    @pytest.mark.parametrize("name", [OTHER_TENANT, "fabrikam.com"], ids=["guid", "domain"])
    def test_an_unknown_tenant_is_answered_like_entra(self, http: requests.Session, name: str) -> None:
        """An unknown tenant gets 400 ``invalid_tenant`` with AADSTS90002, as msal expects."""
        response = http.get(f"{AUTHORITY}/{name}/v2.0/.well-known/openid-configuration")
        assert response.status_code == 400
        body = response.json()
        assert body["error"] == "invalid_tenant"
        assert body["error_codes"] == [90002]
        assert re.match(rf"AADSTS90002: Tenant '{re.escape(name)}' not found\. ", body["error_description"])
        assert re.fullmatch(GUID, body["trace_id"])


class TestUserRealm:
    """``GET /common/userrealm/<username>``."""

    def test_a_directory_domain_is_managed(self, http: requests.Session) -> None:
        """Users of a domain the directory owns are cloud-managed (no federation, plain ROPC)."""
        response = http.get(f"{AUTHORITY}/common/userrealm/bob@Contoso.onmicrosoft.com?api-version=1.0")
        assert response.json() == {
            "ver": "1.0",
            "account_type": "Managed",
            "domain_name": "contoso.onmicrosoft.com",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_audience_urn": "urn:federation:MicrosoftOnline",
        }

    def test_another_domain_is_unknown(self, http: requests.Session) -> None:
        """A domain no tenant owns is ``Unknown``."""
        response = http.get(f"{AUTHORITY}/common/userrealm/someone%40elsewhere.example?api-version=1.0")
        assert response.json()["account_type"] == "Unknown"

    def test_a_users_domain_joins_its_home_tenant(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Adding a user with a new domain verifies that domain for its tenant."""
        emulator.add_user("carol@fabrikam.example", "pw")
        response = http.get(f"{AUTHORITY}/common/userrealm/carol@fabrikam.example?api-version=1.0")
        assert response.json()["account_type"] == "Managed"


class TestUnservedRequests:
    """Paths and methods Entra's endpoints do not have."""

    def test_an_unknown_path_is_404(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Unknown paths get 404 and are still logged, with no endpoint."""
        assert http.get(f"{AUTHORITY}/organizations/oauth2/v2.0/authorize").status_code == 404
        assert [(r.endpoint, r.status) for r in emulator.requests] == [(None, 404)]

    def test_discovery_endpoints_only_answer_get(self, http: requests.Session) -> None:
        """POSTing to a discovery endpoint gets 405."""
        assert http.post(f"{AUTHORITY}/common/discovery/instance").status_code == 405

    def test_the_token_endpoint_only_answers_post(self, http: requests.Session) -> None:
        """GET on the token endpoint gets Entra's AADSTS900561."""
        response = http.get(f"{AUTHORITY}/organizations/oauth2/v2.0/token")
        assert response.status_code == 405
        assert response.json()["error_codes"] == [900561]
