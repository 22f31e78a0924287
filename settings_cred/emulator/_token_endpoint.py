"""``POST /<tenant>/oauth2/v2.0/token``: the password, refresh-token and client-credentials grants."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ._client_auth import Audience, ClientAuth, authenticate
from ._client_credentials import client_credentials_answer, requested_resource
from ._directory import META_TENANTS, STATE_ERRORS, Directory, EmulatedUser
from ._errors import Refusal, Trace, entra_error
from ._http import NO_STORE, Outcome, Request, Response, json_response
from ._tokens import REFRESH_TOKEN_PREFIX, Issue, Revoked, TokenService, TokenSettings, client_info, iso_time

if TYPE_CHECKING:
    from ._state import State

GRANT_TYPES: Final = frozenset({"password", "refresh_token", "client_credentials"})
RESERVED_SCOPES: Final = frozenset({"openid", "profile", "offline_access"})
GRAPH_RESOURCE: Final = "https://graph.microsoft.com"


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """One token request and what it needs from the emulator."""

    request: Request
    tenant: str
    """The tenant segment of the path: a GUID, a domain, ``organizations``, ``common`` or ``consumers``."""
    trace: Trace
    now: float


def serve_token(call: TokenRequest, state: State) -> Outcome:
    """Answer a token request as Entra would: tokens, or an AADSTS error (callers hold the state's lock)."""
    form = call.request.form
    settings = TokenSettings(state.settings.access_token_lifetime, state.settings.refresh_in)
    client: ClientAuth | None = None
    try:
        tenant_id = _check_request(call, state.directory)
        client = authenticate(form, state.apps, state.issuers, _audience(call, tenant_id), call.now)
        if form["grant_type"] == "client_credentials":
            return _client_credentials(call, client, tenant_id, state, settings)
        if client is None:
            _check_public_client(form, state, tenant_id or call.tenant)
        if form["grant_type"] == "password":
            _require(form, "username", "password", "scope")
            scopes = form["scope"].split()
            check_resource(resource_of(scopes), state, tenant_id or call.tenant)
            user = _password_grant(form, state.directory, call.tenant, tenant_id)
        else:
            user, grant_scopes = _refresh_grant(form, state.directory, state.tokens)
            scopes = form.get("scope", "").split() or list(grant_scopes)
            check_resource(resource_of(scopes), state, tenant_id or call.tenant)
        home = _sign_in_tenant(user, call.tenant, tenant_id)
        _check_active(user)
    except Refusal as refusal:
        details = {
            "tenant": call.tenant,
            "client_id": form.get("client_id", ""),
            "grant_type": form.get("grant_type", ""),
            "resource": resource_of(form.get("scope", "").split()),
        }
        response = entra_error(refusal.code, call.trace, details | refusal.details)
        return Outcome(response, refusal.username or form.get("username"), client.kind if client else None)
    response = _tokens_answer(call, user=user, tenant_id=home, requested=scopes, tokens=state.tokens, settings=settings)
    return Outcome(response, user.username, client.kind if client else None)


def check_resource(resource: str, state: State, tenant: str) -> None:
    """AADSTS500011 unless ``resource`` is well known, registered, or a registered app's identifier."""
    if not state.knows_resource(resource):
        raise Refusal(500011, resource=resource, tenant=tenant)


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
        raise Refusal(90002)
    for parameter in ("grant_type", "client_id"):
        if not form.get(parameter):
            raise Refusal(900144, parameter=parameter)
    if form["grant_type"] not in GRANT_TYPES:
        raise Refusal(70003)
    return tenant_id


def _check_public_client(form: Mapping[str, str], state: State, tenant: str) -> None:
    code = state.apps.public_client_error(form["client_id"])
    if code is not None:
        raise Refusal(code, tenant=tenant)


def _audience(call: TokenRequest, tenant_id: str | None) -> Audience:
    """The ``aud`` values a client assertion sent to this endpoint may carry."""
    request = call.request
    accepted = {f"https://{request.netloc}{request.path}", f"https://{request.host}{request.path}"}
    for tenant in {call.tenant, tenant_id or call.tenant}:
        base = f"https://{request.host}/{tenant}"
        accepted |= {f"{base}/oauth2/v2.0/token", f"{base}/oauth2/token", f"{base}/v2.0"}
    return Audience(frozenset(accepted), tenant_id)


def _client_credentials(
    call: TokenRequest, client: ClientAuth | None, tenant_id: str | None, state: State, settings: TokenSettings
) -> Outcome:
    if client is None:
        raise Refusal(7000218)
    if tenant_id is None:
        raise Refusal(50059)
    resource = requested_resource(call.request.form)
    check_resource(resource, state, tenant_id)
    cp1 = wants_cp1(call.request.form.get("claims"))
    answer = client_credentials_answer(
        client, resource, state.tokens, settings, tenant_id=tenant_id, now=call.now, cp1=cp1
    )
    return Outcome(answer, client_auth=client.kind)


def _require(form: Mapping[str, str], *parameters: str) -> None:
    for parameter in parameters:
        if not form.get(parameter):
            raise Refusal(900144, parameter=parameter)


def _password_grant(form: Mapping[str, str], directory: Directory, segment: str, tenant_id: str | None) -> EmulatedUser:
    user = directory.user(form["username"])
    if user is None:
        raise Refusal(50034)
    _sign_in_tenant(user, segment, tenant_id)
    if user.state == "locked":
        raise Refusal(STATE_ERRORS["locked"], user.username)
    if not directory.password_matches(user.username, form["password"]):
        raise Refusal(50126, user.username)
    return user


def _refresh_grant(
    form: Mapping[str, str], directory: Directory, tokens: TokenService
) -> tuple[EmulatedUser, tuple[str, ...]]:
    token = form.get("refresh_token", "")
    if not token:
        raise Refusal(900144, parameter="refresh_token")
    grant = tokens.redeem(token)
    if grant is None:
        raise Refusal(70008 if token.startswith(REFRESH_TOKEN_PREFIX) else 9002313)
    if isinstance(grant, Revoked):
        issued, valid_from = iso_time(grant.grant.issued_at), iso_time(grant.valid_from)
        raise Refusal(50173, grant.grant.username, issued=issued, valid_from=valid_from)
    if grant.client_id != form["client_id"]:
        raise Refusal(70000, grant.username)
    user = directory.user(grant.username)
    if user is None:
        raise Refusal(50034, grant.username)
    return user, grant.scopes


def _sign_in_tenant(user: EmulatedUser, segment: str, tenant_id: str | None) -> str:
    """The tenant a token is issued in: the home tenant for the aliases, else the named tenant."""
    if segment.lower() in ("organizations", "common"):
        return user.home_tenant_id
    if tenant_id is not None and user.belongs_to(tenant_id):
        return tenant_id
    raise Refusal(50034, user.username)


def _check_active(user: EmulatedUser) -> None:
    if user.state != "active":
        raise Refusal(STATE_ERRORS[user.state], user.username)


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
    body = settings.answer(tokens.access_token(issue), scope=" ".join(scopes))
    if "offline_access" in requested:
        body["refresh_token"] = tokens.refresh_token(issue, tuple(requested))
    if "openid" in requested:
        body["id_token"] = tokens.id_token(issue)
    if form.get("client_info") == "1":
        body["client_info"] = client_info(user)
    return json_response(200, body, *NO_STORE)
