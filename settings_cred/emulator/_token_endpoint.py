"""``POST /<tenant>/oauth2/v2.0/token``: the password and refresh-token grants."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._directory import META_TENANTS, STATE_ERRORS, Directory, EmulatedUser
from ._errors import Trace, entra_error
from ._http import Outcome, Request, Response, json_response
from ._tokens import REFRESH_TOKEN_PREFIX, Issue, Revoked, TokenService, client_info, iso_time

RESERVED_SCOPES: Final = frozenset({"openid", "profile", "offline_access"})
GRAPH_RESOURCE: Final = "https://graph.microsoft.com"
_NO_STORE: Final = (("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache"))


@dataclass(frozen=True, slots=True)
class TokenSettings:
    """The run-time knobs that shape a token answer."""

    access_token_lifetime: int
    refresh_in: int | None


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One token request and what it needs from the emulator."""

    request: Request
    tenant: str
    """The tenant segment of the path: a GUID, a domain, ``organizations``, ``common`` or ``consumers``."""
    trace: Trace
    now: float


class _Refusal(Exception):  # noqa: N818 - control flow inside this module, never raised to callers
    """Entra refuses the request with an AADSTS code."""

    def __init__(self, code: int, username: str | None = None, **details: str) -> None:
        super().__init__(code)
        self.code = code
        self.username = username
        self.details = details


def serve_token(call: TokenRequest, directory: Directory, tokens: TokenService, settings: TokenSettings) -> Outcome:
    """Answer a token request as Entra would: tokens, or an AADSTS error."""
    form = call.request.form
    try:
        tenant_id = _check_request(call, directory)
        if form["grant_type"] == "password":
            user = _password_grant(form, directory, call.tenant, tenant_id)
            scopes = form["scope"].split()
        else:
            user, grant_scopes = _refresh_grant(form, directory, tokens)
            scopes = form.get("scope", "").split() or list(grant_scopes)
        home = _sign_in_tenant(user, call.tenant, tenant_id)
        _check_active(user)
    except _Refusal as refusal:
        details = {
            "tenant": call.tenant,
            "client_id": form.get("client_id", ""),
            "grant_type": form.get("grant_type", ""),
            "resource": resource_of(form.get("scope", "").split()),
        }
        response = entra_error(refusal.code, call.trace, details | refusal.details)
        return Outcome(response, refusal.username or form.get("username"))
    response = _tokens_answer(call, user=user, tenant_id=home, requested=scopes, tokens=tokens, settings=settings)
    return Outcome(response, user.username)


def resource_of(scopes: list[str]) -> str:
    """The resource (token audience) of the first non-reserved scope; bare names are Microsoft Graph's."""
    scope = next((s for s in scopes if s not in RESERVED_SCOPES), "")
    if "/" not in scope:
        return GRAPH_RESOURCE
    base, _, _permission = scope.rpartition("/")
    return scope if base.endswith(":/") else base


def wants_cp1(claims: str | None) -> bool:
    """Whether a ``claims`` request parameter declares the CAE client capability ``CP1``."""
    try:
        values = json.loads(claims or "{}")["access_token"]["xms_cc"]["values"]
    except (ValueError, KeyError, TypeError):
        return False
    return isinstance(values, list) and "CP1" in values


def _check_request(call: TokenRequest, directory: Directory) -> str | None:
    """The tenant id the path names (``None`` for the multi-tenant aliases), after Entra's checks."""
    form = call.request.form
    tenant_id = directory.find_tenant(call.tenant)
    if call.tenant.lower() not in META_TENANTS and tenant_id is None:
        raise _Refusal(90002)
    for parameter in ("grant_type", "client_id"):
        if not form.get(parameter):
            raise _Refusal(900144, parameter=parameter)
    if form["grant_type"] not in ("password", "refresh_token"):
        raise _Refusal(70003)
    client_code = directory.client_error(form["client_id"])
    if client_code is not None:
        raise _Refusal(client_code, tenant=tenant_id or call.tenant)
    return tenant_id


def _password_grant(form: Mapping[str, str], directory: Directory, segment: str, tenant_id: str | None) -> EmulatedUser:
    for parameter in ("username", "password", "scope"):
        if not form.get(parameter):
            raise _Refusal(900144, parameter=parameter)
    user = directory.user(form["username"])
    if user is None:
        raise _Refusal(50034)
    _sign_in_tenant(user, segment, tenant_id)
    if user.state == "locked":
        raise _Refusal(STATE_ERRORS["locked"], user.username)
    if not directory.password_matches(user.username, form["password"]):
        raise _Refusal(50126, user.username)
    return user


def _refresh_grant(
    form: Mapping[str, str], directory: Directory, tokens: TokenService
) -> tuple[EmulatedUser, tuple[str, ...]]:
    token = form.get("refresh_token", "")
    if not token:
        raise _Refusal(900144, parameter="refresh_token")
    grant = tokens.redeem(token)
    if grant is None:
        raise _Refusal(70008 if token.startswith(REFRESH_TOKEN_PREFIX) else 9002313)
    if isinstance(grant, Revoked):
        issued, valid_from = iso_time(grant.grant.issued_at), iso_time(grant.valid_from)
        raise _Refusal(50173, grant.grant.username, issued=issued, valid_from=valid_from)
    if grant.client_id != form["client_id"]:
        raise _Refusal(70000, grant.username)
    user = directory.user(grant.username)
    if user is None:
        raise _Refusal(50034, grant.username)
    return user, grant.scopes


def _sign_in_tenant(user: EmulatedUser, segment: str, tenant_id: str | None) -> str:
    """The tenant a token is issued in: the home tenant for the aliases, else the named tenant."""
    if segment.lower() in ("organizations", "common"):
        return user.home_tenant_id
    if tenant_id is not None and user.belongs_to(tenant_id):
        return tenant_id
    raise _Refusal(50034, user.username)


def _check_active(user: EmulatedUser) -> None:
    if user.state != "active":
        raise _Refusal(STATE_ERRORS[user.state], user.username)


def _tokens_answer(
    call: TokenRequest,
    *,
    user: EmulatedUser,
    tenant_id: str,
    requested: list[str],
    tokens: TokenService,
    settings: TokenSettings,
) -> Response:
    scopes = tuple(dict.fromkeys(s for s in requested if s not in RESERVED_SCOPES))
    form = call.request.form
    issue = Issue(
        user=user,
        tenant_id=tenant_id,
        client_id=form["client_id"],
        scopes=scopes,
        resource=resource_of(list(scopes)),
        issuer_host=call.trace.host,
        now=call.now,
        lifetime=settings.access_token_lifetime,
        cp1=wants_cp1(form.get("claims")),
    )
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "scope": " ".join(scopes),
        "expires_in": settings.access_token_lifetime,
        "ext_expires_in": settings.access_token_lifetime,
    }
    if settings.refresh_in is not None:
        body["refresh_in"] = settings.refresh_in
    body["access_token"] = tokens.access_token(issue)
    if "offline_access" in requested:
        body["refresh_token"] = tokens.refresh_token(issue, tuple(requested))
    if "openid" in requested:
        body["id_token"] = tokens.id_token(issue)
    if form.get("client_info") == "1":
        body["client_info"] = client_info(user)
    return json_response(200, body, *_NO_STORE)
