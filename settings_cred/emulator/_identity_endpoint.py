"""The managed identity endpoint of the emulated host, over plain HTTP on loopback:

- App Service and Container Apps style (``IDENTITY_ENDPOINT``): ``GET /msi/token?api-version=2019-08-01
  &resource=...[&client_id=|&principal_id=|&object_id=|&mi_res_id=]`` with ``X-IDENTITY-HEADER``;
  errors as ``{"statusCode", "message", "correlationId"}``.
- IMDS style (``AZURE_POD_IDENTITY_AUTHORITY_HOST``): ``GET /metadata/identity/oauth2/token
  ?api-version=2018-02-01&resource=...[&client_id=|&object_id=|&msi_res_id=]`` with ``Metadata: true``;
  errors as ``{"error", "error_description"}``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from ._aadsts import AADSTS_ERRORS
from ._http import Outcome, Request, Response, json_response
from ._identities import ManagedIdentity
from ._tokens import AppIssue

if TYPE_CHECKING:
    from ._state import State

IdentityRoute = Literal["managed_identity", "imds"]
APP_SERVICE_PATH: Final = "/msi/token"
IMDS_PATH: Final = "/metadata/identity/oauth2/token"
_SELECTORS: Final[dict[IdentityRoute, tuple[str, ...]]] = {
    "managed_identity": ("client_id", "principal_id", "object_id", "mi_res_id"),
    "imds": ("client_id", "object_id", "msi_res_id", "mi_res_id"),
}
_NOT_FOUND: Final = {"managed_identity": "Unable to load the proper Managed Identity.", "imds": "Identity not found"}


@dataclass(frozen=True, slots=True)
class IdentityCall:
    """One request to the managed identity endpoint."""

    route: IdentityRoute
    request: Request
    identity_header: str = field(repr=False)
    """The value ``X-IDENTITY-HEADER`` must carry (App Service style)."""
    correlation_id: str = field(kw_only=True)
    now: float = field(kw_only=True)


class _Failure(Exception):  # noqa: N818 - control flow inside this module
    def __init__(self, status: int, message: str, error: str = "invalid_request") -> None:
        super().__init__(message)
        self.status, self.message, self.error = status, message, error


def serve_identity(call: IdentityCall, state: State) -> Outcome:
    """A token for the identity the request selects, or the host's error answer (callers hold the lock)."""
    try:
        resource, identity = _check(call, state)
    except _Failure as failure:
        return Outcome(identity_error(call.route, failure.status, failure.message, call.correlation_id, failure.error))
    lifetime = state.settings.access_token_lifetime
    issue = AppIssue(
        client_id=identity.client_id,
        object_id=identity.object_id,
        tenant_id=state.default_tenant_id,
        resource=resource,
        roles=(),
        appidacr="2",
        now=call.now,
        lifetime=lifetime,
        extra=(("xms_mirid", identity.resource_id),),
    )
    token, expires_on = state.tokens.app_access_token(issue), str(int(call.now) + lifetime)
    if call.route == "managed_identity":
        body = {"access_token": token, "expires_on": expires_on, "resource": resource, "token_type": "Bearer"}
        return Outcome(json_response(200, body | {"client_id": identity.client_id}))
    body = {
        "access_token": token,
        "client_id": identity.client_id,
        "expires_in": str(lifetime),
        "expires_on": expires_on,
        "ext_expires_in": str(lifetime),
        "not_before": str(int(call.now)),
        "resource": resource,
        "token_type": "Bearer",
    }
    return Outcome(json_response(200, body))


def identity_error(route: IdentityRoute, status: int, message: str, correlation_id: str, error: str) -> Response:
    """The error body of the App Service endpoint, or of IMDS."""
    if route == "managed_identity":
        return json_response(status, {"statusCode": status, "message": message, "correlationId": correlation_id})
    return json_response(status, {"error": error, "error_description": message})


def _check(call: IdentityCall, state: State) -> tuple[str, ManagedIdentity]:
    request, route = call.request, call.route
    if request.method != "GET":
        raise _Failure(405, f"The managed identity endpoint serves GET, not {request.method}.")
    if route == "managed_identity":
        sent = request.headers.get("x-identity-header", "")
        if not hmac.compare_digest(sent.encode(), call.identity_header.encode()):
            raise _Failure(401, "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.")
    elif request.headers.get("metadata", "").lower() != "true":
        raise _Failure(400, "Required metadata header not specified")
    for parameter in ("api-version", "resource"):
        if not request.query.get(parameter):
            raise _Failure(400, f"Required query variable '{parameter}' is missing")
    if route == "managed_identity" and request.query["api-version"] < "2019-08-01":
        raise _Failure(400, f"The api-version '{request.query['api-version']}' is not supported; use 2019-08-01.")
    selectors = [(name, request.query[name]) for name in _SELECTORS[route] if request.query.get(name)]
    if len(selectors) > 1:
        raise _Failure(400, "Only one of " + ", ".join(_SELECTORS[route]) + " may be given.")
    identity = state.identities.find(selectors[0] if selectors else None)
    if identity is None:
        raise _Failure(400, _NOT_FOUND[route])
    resource = request.query["resource"]
    if not state.knows_resource(resource):
        message = AADSTS_ERRORS[500011].describe({"resource": resource, "tenant": state.default_tenant_id})
        status = 500 if route == "managed_identity" else 400  # App Service relays Entra's refusal as a vague 500
        raise _Failure(status, message, "invalid_resource")
    return resource, identity
