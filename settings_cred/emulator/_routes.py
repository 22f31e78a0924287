"""Routing by Host header and path, fault injection, and the request log around every answer."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import unquote

from ._discovery import instance_discovery, openid_configuration, user_realm
from ._errors import AADSTS_ERRORS, Trace, code_for_status, entra_error
from ._faults import Fault, Route
from ._hosts import AUTHORITY_HOSTS, LOCAL_HOSTS, is_vault_host
from ._http import Outcome, Request, Response, json_response
from ._identity_endpoint import APP_SERVICE_PATH, IMDS_PATH, IdentityCall, identity_error, serve_identity
from ._keyvault import kv_status_error, serve_keyvault
from ._log import RecordedRequest
from ._state import State
from ._token_endpoint import TokenRequest, resource_of, serve_token


@dataclass(frozen=True, slots=True)
class Match:
    """Where a request goes: the endpoint and the path parameters it carries."""

    route: Route | None
    tenant: str = ""
    username: str = ""


_PATHS: Final[tuple[tuple[re.Pattern[str], Route], ...]] = (
    (re.compile(r"/common/discovery/instance"), "instance_discovery"),
    (re.compile(r"/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration"), "openid_configuration"),
    (re.compile(r"/common/userrealm/(?P<username>[^/]+)"), "user_realm"),
    (re.compile(r"/(?P<tenant>[^/]+)/oauth2/v2\.0/token"), "token"),
)
"""Entra's endpoints by path, on the authority hosts."""


IDENTITY_ROUTES: Final = ("managed_identity", "imds")
_TIMED_ROUTES: Final = ("token", *IDENTITY_ROUTES)
"""Token-issuing endpoints: the ones ``latency`` slows down."""


def match_identity(request: Request) -> Match:
    """Route a request to the managed identity endpoint (plain HTTP) by path."""
    path = request.path.rstrip("/")
    if path.lower() == APP_SERVICE_PATH:
        return Match("managed_identity")
    return Match("imds" if path == IMDS_PATH else None)


def match(request: Request) -> Match:
    """Route by Host header, then by path."""
    if is_vault_host(request.host):
        return Match("keyvault")
    if request.host in AUTHORITY_HOSTS or request.host in LOCAL_HOSTS:
        for pattern, route in _PATHS:
            found = pattern.fullmatch(request.path)
            if found:
                return Match(route, **{name: unquote(value) for name, value in found.groupdict().items()})
    return Match(None)


class Dispatcher:
    """Answers each request from the emulator's state: the TLS server's ``dispatch``, or, given the
    ``identity_header`` the endpoint expects, the managed identity server's."""

    __slots__ = ("_identity_header", "_state")

    def __init__(self, state: State, *, identity_header: str | None = None) -> None:
        self._state = state
        self._identity_header = identity_header

    def __call__(self, request: Request) -> Response | None:
        """The response to ``request``, or ``None`` to drop the connection."""
        found = match(request) if self._identity_header is None else match_identity(request)
        form = request.form if found.route == "token" else request.query if found.route in IDENTITY_ROUTES else {}
        state = self._state
        with state.lock:
            fault = state.faults.take(found.route, form.get("grant_type"))
            pause = state.settings.latency if found.route in _TIMED_ROUTES else 0.0
        pause += fault.delay if fault else 0.0
        if pause:
            time.sleep(pause)
        now = time.time()
        trace = Trace.of(request, now)
        with state.lock:
            if fault is not None and fault.answers:
                outcome = _fault_outcome(fault, found, request, trace)
            else:
                outcome = self._answer(found, request, trace, now)
            state.log.append(
                RecordedRequest(
                    method=request.method,
                    host=request.host,
                    path=request.path,
                    endpoint=found.route,
                    grant_type=form.get("grant_type"),
                    client_id=form.get("client_id"),
                    username=(outcome and outcome.username) or form.get("username") or found.username or None,
                    scope=form.get("scope") or form.get("resource"),
                    claims_present=bool(form.get("claims")),
                    client_auth=outcome.client_auth if outcome else None,
                    status=outcome.response.status if outcome else None,
                    at=now,
                )
            )
        if outcome is None:
            return None
        if found.route == "keyvault" or self._identity_header is not None:
            return outcome.response
        echo = request.headers.get("client-request-id")
        extra = (("client-request-id", trace.correlation_id),) if echo else ()
        return outcome.response.with_headers(("x-ms-request-id", trace.trace_id), *extra)

    def _answer(self, found: Match, request: Request, trace: Trace, now: float) -> Outcome:
        state = self._state
        if found.route == "token":
            if request.method != "POST":
                return Outcome(entra_error(900561, trace, {"method": request.method}))
            return serve_token(TokenRequest(request, found.tenant, trace, now), state)
        if found.route in IDENTITY_ROUTES and self._identity_header is not None:
            call = IdentityCall(
                found.route, request, self._identity_header, correlation_id=trace.correlation_id, now=now
            )
            return serve_identity(call, state)
        if found.route == "keyvault":
            tenant = state.default_tenant_id
            return Outcome(serve_keyvault(request, state.vaults, state.tokens, challenge_tenant=tenant, now=now))
        return Outcome(self._discovery(found, request, trace), found.username or None)

    def _discovery(self, found: Match, request: Request, trace: Trace) -> Response:
        if found.route is None or request.method not in ("GET", "HEAD"):
            status, error = (404, "not_found") if found.route is None else (405, "method_not_allowed")
            return json_response(status, {"error": error, "error_description": "Not served by the emulator."})
        if found.route == "instance_discovery":
            return instance_discovery(request, trace)
        if found.route == "openid_configuration":
            return openid_configuration(request, found.tenant, self._state.directory, trace)
        return user_realm(found.username, self._state.directory)


def _fault_outcome(fault: Fault, found: Match, request: Request, trace: Trace) -> Outcome | None:
    if fault.drop:
        return None
    if found.route == "keyvault" and fault.aadsts is None:
        response = kv_status_error(fault.status or 500)
    elif found.route in IDENTITY_ROUTES:
        row = AADSTS_ERRORS.get(fault.aadsts or 0)
        status = fault.status or (row.status if row else 500)
        message = row.describe({}) if row else f"The emulator was told to answer {status}."
        response = identity_error(found.route, status, message, trace.correlation_id, row.error if row else "error")
    else:
        form = request.form
        code = fault.aadsts if fault.aadsts is not None else code_for_status(fault.status or 500)
        details = {
            "tenant": found.tenant or "organizations",
            "client_id": form.get("client_id", ""),
            "grant_type": form.get("grant_type", ""),
            "resource": resource_of(form.get("scope", "").split()),
            "method": request.method,
        }
        response = entra_error(code, trace, details, status=fault.status)
    if fault.retry_after is not None:
        response = response.with_headers(("Retry-After", str(fault.retry_after)))
    return Outcome(response)
