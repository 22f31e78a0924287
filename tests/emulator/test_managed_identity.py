"""The managed identity endpoint: App Service style (``IDENTITY_ENDPOINT``) and IMDS style, over plain
HTTP on loopback, with the host's answers and errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID, EntraEmulator, ManagedIdentity
from tests.emulator.helpers import claims

VAULT = "https://vault.azure.net"
IMDS = "/metadata/identity/oauth2/token"


@pytest.fixture
def direct() -> Iterator[requests.Session]:
    """A session that ignores the environment (no proxy, as a host's own client would be)."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture
def system(emulator: EntraEmulator) -> ManagedIdentity:
    """The host's system-assigned identity."""
    return emulator.add_managed_identity()


@pytest.fixture
def reports(emulator: EntraEmulator) -> ManagedIdentity:
    """A user-assigned identity named ``reports``."""
    return emulator.add_managed_identity("reports")


def app_service(
    emulator: EntraEmulator, session: requests.Session, *, header: str | None = None, **query: str
) -> requests.Response:
    """GET the App Service endpoint as msal does (``api-version`` 2019-08-01, ``X-IDENTITY-HEADER``)."""
    params = {"api-version": "2019-08-01", "resource": VAULT, **query}
    headers = {"X-IDENTITY-HEADER": emulator.identity_header if header is None else header, "Metadata": "true"}
    return session.get(emulator.identity_endpoint, params=params, headers=headers, timeout=5)


def imds(
    emulator: EntraEmulator, session: requests.Session, *, metadata: bool = True, **query: str
) -> requests.Response:
    """GET the IMDS-style endpoint as msal does (``api-version`` 2018-02-01, ``Metadata: true``)."""
    base = emulator.managed_identity_environ(source="imds")["AZURE_POD_IDENTITY_AUTHORITY_HOST"]
    params = {"api-version": "2018-02-01", "resource": VAULT, **query}
    return session.get(base + IMDS, params=params, headers={"Metadata": "true"} if metadata else {}, timeout=5)


class TestAppService:
    """``GET $IDENTITY_ENDPOINT?api-version=2019-08-01&resource=...`` with ``X-IDENTITY-HEADER``."""

    def test_answers_app_services_fields(
        self, emulator: EntraEmulator, system: ManagedIdentity, direct: requests.Session
    ) -> None:
        """access_token, expires_on (epoch seconds as a string), resource, token_type, client_id."""
        response = app_service(emulator, direct)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"access_token", "expires_on", "resource", "token_type", "client_id"}
        assert isinstance(body["expires_on"], str)
        assert 3590 <= int(body["expires_on"]) - time.time() <= 3600
        assert (body["resource"], body["token_type"], body["client_id"]) == (VAULT, "Bearer", system.client_id)

    def test_the_token_is_the_identitys_app_only_token(
        self, emulator: EntraEmulator, system: ManagedIdentity, direct: requests.Session
    ) -> None:
        """appid is the identity's client id, oid its principal, xms_mirid its resource id."""
        access = claims(app_service(emulator, direct).json()["access_token"])
        assert (access["aud"], access["appid"], access["oid"]) == (VAULT, system.client_id, system.object_id)
        assert (access["idtyp"], access["tid"], access["xms_mirid"]) == ("app", DEFAULT_TENANT_ID, system.resource_id)

    @pytest.mark.parametrize("parameter", ["client_id", "object_id", "principal_id", "mi_res_id"])
    def test_a_user_assigned_identity_is_selected_by_any_id(
        self,
        emulator: EntraEmulator,
        system: ManagedIdentity,
        reports: ManagedIdentity,
        direct: requests.Session,
        parameter: str,
    ) -> None:
        """client_id, object_id/principal_id or mi_res_id select the user-assigned identity."""
        value = {"client_id": reports.client_id, "mi_res_id": reports.resource_id}.get(parameter, reports.object_id)
        response = app_service(emulator, direct, **{parameter: value})
        assert response.json()["client_id"] == reports.client_id

    @pytest.mark.parametrize("header", ["", "wrong"], ids=["missing", "wrong"])
    def test_without_the_identity_header_it_is_401(
        self, emulator: EntraEmulator, system: ManagedIdentity, direct: requests.Session, header: str
    ) -> None:
        """The SSRF guard: a missing or wrong ``X-IDENTITY-HEADER`` gets 401 in App Service's error shape."""
        response = app_service(emulator, direct, header=header)
        assert response.status_code == 401
        body = response.json()
        assert set(body) == {"statusCode", "message", "correlationId"}
        assert body["statusCode"] == 401
        assert "X-IDENTITY-HEADER" in body["message"]

    @pytest.mark.parametrize(
        ("query", "status", "message"),
        [
            ({"client_id": "00000000-0000-0000-0000-000000000001"}, 400, "Unable to load the proper Managed Identity."),
            ({"client_id": "a", "object_id": "b"}, 400, "Only one of"),
            ({"resource": ""}, 400, "'resource' is missing"),
            ({"api-version": "2017-09-01"}, 400, "is not supported"),
            ({"resource": "https://nothing.example"}, 500, "AADSTS500011"),
        ],
        ids=["unknown-user-assigned", "two-selectors", "no-resource", "old-api-version", "unknown-resource"],
    )
    @pytest.mark.usefixtures("system")
    def test_bad_requests_get_app_services_errors(
        self,
        emulator: EntraEmulator,
        direct: requests.Session,
        query: dict[str, str],
        status: int,
        message: str,
    ) -> None:
        """Each bad request gets ``{"statusCode", "message", "correlationId"}`` with its status."""
        response = app_service(emulator, direct, **query)
        body = response.json()
        assert (response.status_code, body["statusCode"]) == (status, status)
        assert message in body["message"]

    def test_without_a_system_assigned_identity_it_is_400(
        self, emulator: EntraEmulator, reports: ManagedIdentity, direct: requests.Session
    ) -> None:
        """A host with only user-assigned identities refuses a request that names none."""
        assert app_service(emulator, direct).json()["message"] == "Unable to load the proper Managed Identity."

    def test_only_get_is_served(
        self, emulator: EntraEmulator, system: ManagedIdentity, direct: requests.Session
    ) -> None:
        """Another method is 405."""
        response = direct.post(emulator.identity_endpoint, headers={"X-IDENTITY-HEADER": emulator.identity_header})
        assert response.status_code == 405

    def test_other_paths_are_404(self, emulator: EntraEmulator, direct: requests.Session) -> None:
        """The identity server serves its two endpoints only."""
        base = emulator.identity_endpoint.removesuffix("/msi/token")
        assert direct.get(base + "/common/discovery/instance", timeout=5).status_code == 404

    def test_requests_are_logged_with_the_identity_and_resource(
        self, emulator: EntraEmulator, reports: ManagedIdentity, direct: requests.Session
    ) -> None:
        """The log names the endpoint, the selected client id and the resource; never the header value."""
        app_service(emulator, direct, client_id=reports.client_id)
        (entry,) = emulator.requests
        assert (entry.endpoint, entry.client_id, entry.scope, entry.status) == (
            "managed_identity",
            reports.client_id,
            VAULT,
            200,
        )
        assert emulator.count("managed_identity") == 1
        assert emulator.identity_header not in repr(entry)

    @pytest.mark.parametrize(
        ("fault", "status", "fragment"),
        [({"status": 503}, 503, "answer 503"), ({"aadsts": 90033}, 503, "AADSTS90033")],
        ids=["status", "aadsts"],
    )
    @pytest.mark.usefixtures("system")
    def test_faults_are_answered_in_the_hosts_shape(
        self,
        emulator: EntraEmulator,
        direct: requests.Session,
        fault: dict[str, Any],
        status: int,
        fragment: str,
    ) -> None:
        """``inject(endpoint="managed_identity", ...)`` fails the next request, then it works again."""
        emulator.inject(endpoint="managed_identity", retry_after=2, **fault)
        failed = app_service(emulator, direct)
        assert (failed.status_code, failed.headers["Retry-After"]) == (status, "2")
        assert fragment in failed.json()["message"]
        assert app_service(emulator, direct).status_code == 200

    @pytest.mark.usefixtures("system")
    def test_latency_slows_the_identity_endpoint_too(self, emulator: EntraEmulator, direct: requests.Session) -> None:
        """``latency`` applies to every token-issuing endpoint, this one included."""
        emulator.latency = 0.2
        started = time.perf_counter()
        assert app_service(emulator, direct).status_code == 200
        assert time.perf_counter() - started >= 0.2


class TestImds:
    """``GET /metadata/identity/oauth2/token`` with ``Metadata: true``, reached via
    ``AZURE_POD_IDENTITY_AUTHORITY_HOST``."""

    def test_answers_imds_fields_as_strings(
        self, emulator: EntraEmulator, system: ManagedIdentity, direct: requests.Session
    ) -> None:
        """IMDS writes every number as a string."""
        body = imds(emulator, direct).json()
        assert set(body) == {
            "access_token",
            "client_id",
            "expires_in",
            "expires_on",
            "ext_expires_in",
            "not_before",
            "resource",
            "token_type",
        }
        assert (body["expires_in"], body["client_id"]) == ("3600", system.client_id)

    @pytest.mark.parametrize(
        ("kwargs", "error", "description"),
        [
            ({"metadata": False}, "invalid_request", "Required metadata header not specified"),
            ({"client_id": "00000000-0000-0000-0000-000000000001"}, "invalid_request", "Identity not found"),
            ({"resource": "https://nothing.example"}, "invalid_resource", "AADSTS500011"),
        ],
        ids=["no-metadata-header", "unknown-identity", "unknown-resource"],
    )
    @pytest.mark.usefixtures("system")
    def test_errors_are_oauth_shaped(
        self,
        emulator: EntraEmulator,
        direct: requests.Session,
        kwargs: dict[str, Any],
        error: str,
        description: str,
    ) -> None:
        """IMDS answers 400 with ``error`` and ``error_description``."""
        response = imds(emulator, direct, **kwargs)
        assert response.status_code == 400
        assert response.json()["error"] == error
        assert description in response.json()["error_description"]

    def test_msi_res_id_selects_a_user_assigned_identity(
        self, emulator: EntraEmulator, reports: ManagedIdentity, direct: requests.Session
    ) -> None:
        """IMDS spells the resource id selector ``msi_res_id``."""
        assert imds(emulator, direct, msi_res_id=reports.resource_id).json()["client_id"] == reports.client_id


class TestRegistration:
    """``add_managed_identity`` and the variables that point clients at the endpoint."""

    def test_ids_are_stable_guids_unless_given(self, emulator: EntraEmulator) -> None:
        """Derived ids are GUIDs, the same on every run; given ids are kept."""
        first = emulator.add_managed_identity("reports")
        emulator.reset()
        again = emulator.add_managed_identity("reports")
        given = emulator.add_managed_identity("other", client_id="11111111-1111-4111-8111-111111111111")
        assert first == again
        assert first.user_assigned
        assert given.client_id == "11111111-1111-4111-8111-111111111111"
        assert first.resource_id.endswith("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/reports")

    def test_the_system_assigned_identity_is_the_hosts(self, system: ManagedIdentity) -> None:
        """It has no name and the host's resource id."""
        assert not system.user_assigned
        assert "/providers/Microsoft.Web/sites/" in system.resource_id

    @pytest.mark.parametrize(
        "kwargs",
        [{"client_id": "not-a-guid"}, {"object_id": "nope"}],
        ids=["client-id", "object-id"],
    )
    def test_ids_must_be_guids(self, emulator: EntraEmulator, kwargs: dict[str, str]) -> None:
        """A made-up id that is not a GUID is refused."""
        with pytest.raises(ValueError, match="GUID"):
            emulator.add_managed_identity("x", **kwargs)

    def test_two_identities_cannot_share_an_id(self, emulator: EntraEmulator) -> None:
        """Client and object ids are unique among identities."""
        emulator.add_managed_identity("a", client_id="11111111-1111-4111-8111-111111111111")
        with pytest.raises(ValueError, match="already"):
            emulator.add_managed_identity("b", client_id="11111111-1111-4111-8111-111111111111")

    def test_the_environment_names_the_endpoint_the_header_and_no_proxy(self, emulator: EntraEmulator) -> None:
        """App Service variables, or the IMDS host; both keep loopback out of any proxy."""
        app = emulator.managed_identity_environ()
        assert app["IDENTITY_ENDPOINT"] == emulator.identity_endpoint
        assert app["IDENTITY_HEADER"] == emulator.identity_header
        assert (app["NO_PROXY"], app["no_proxy"]) == ("127.0.0.1,localhost", "127.0.0.1,localhost")
        vm = emulator.managed_identity_environ(source="imds")
        assert vm["AZURE_POD_IDENTITY_AUTHORITY_HOST"] == emulator.identity_endpoint.removesuffix("/msi/token")
        assert "IDENTITY_ENDPOINT" not in vm

    def test_the_identity_header_is_a_guid_unless_given(self) -> None:
        """Each emulator makes up its own header value; ``identity_header=`` fixes it."""
        assert EntraEmulator().identity_header != EntraEmulator().identity_header
        assert EntraEmulator(identity_header="fixed").identity_header == "fixed"
