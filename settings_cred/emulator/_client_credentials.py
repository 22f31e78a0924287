"""``grant_type=client_credentials``: an app-only token for ``<resource>/.default``, as
``ConfidentialClientApplication.acquire_token_for_client`` asks for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._client_auth import ClientAuth
from ._errors import Refusal
from ._http import NO_STORE, Response, json_response
from ._tokens import AppIssue, TokenService

DEFAULT_SUFFIX: Final = "/.default"
_APPIDACR: Final = {"client_secret": "1", "certificate": "2", "federated": "2"}


@dataclass(frozen=True, slots=True)
class AppToken:
    """The knobs and facts that shape an app-only token answer."""

    tenant_id: str
    now: float
    lifetime: int
    refresh_in: int | None
    cp1: bool


def requested_resource(form: Mapping[str, str]) -> str:
    """The resource of the ``<resource>/.default`` scope; AADSTS1002012 for any other scope."""
    scopes = form.get("scope", "").split()
    if not scopes:
        raise Refusal(900144, parameter="scope")
    for scope in scopes:
        if not scope.endswith(DEFAULT_SUFFIX) or scope == DEFAULT_SUFFIX:
            raise Refusal(1002012, scope=scope)
    return scopes[0].removesuffix(DEFAULT_SUFFIX)


def client_credentials_answer(client: ClientAuth, resource: str, tokens: TokenService, token: AppToken) -> Response:
    """Entra's answer: ``token_type``, ``expires_in``, ``ext_expires_in`` and ``access_token``; no refresh
    token, no ID token, no ``scope``."""
    issue = AppIssue(
        client_id=client.app.client_id,
        object_id=client.app.object_id,
        tenant_id=token.tenant_id,
        resource=resource,
        roles=client.app.roles_for(resource),
        appidacr=_APPIDACR[client.kind],
        now=token.now,
        lifetime=token.lifetime,
        cp1=token.cp1,
    )
    body: dict[str, Any] = {
        "token_type": "Bearer",
        "expires_in": token.lifetime,
        "ext_expires_in": token.lifetime,
    }
    if token.refresh_in is not None:
        body["refresh_in"] = token.refresh_in
    body["access_token"] = tokens.app_access_token(issue)
    return json_response(200, body, *NO_STORE)
