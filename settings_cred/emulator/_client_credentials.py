"""``grant_type=client_credentials``: an app-only token for ``<resource>/.default``, as
``ConfidentialClientApplication.acquire_token_for_client`` asks for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._client_auth import ClientAuth
from ._errors import Refusal
from ._http import NO_STORE, Response, json_response
from ._tokens import AppIssue, TokenService, TokenSettings

DEFAULT_SUFFIX: Final = "/.default"
_APPIDACR: Final = {"client_secret": "1", "certificate": "2", "federated": "2"}


def requested_resource(form: Mapping[str, str]) -> str:
    """The resource of the ``<resource>/.default`` scope; AADSTS1002012 for any other scope."""
    scopes = form.get("scope", "").split()
    if not scopes:
        raise Refusal(900144, parameter="scope")
    for scope in scopes:
        if not scope.endswith(DEFAULT_SUFFIX) or scope == DEFAULT_SUFFIX:
            raise Refusal(1002012, scope=scope)
    return scopes[0].removesuffix(DEFAULT_SUFFIX)


def client_credentials_answer(
    client: ClientAuth,
    resource: str,
    tokens: TokenService,
    settings: TokenSettings,
    *,
    tenant_id: str,
    now: float,
    cp1: bool,
) -> Response:
    """Entra's answer: ``token_type``, ``expires_in``, ``ext_expires_in`` and ``access_token``; no refresh
    token, no ID token, no ``scope``."""
    issue = AppIssue(
        client_id=client.app.client_id,
        object_id=client.app.object_id,
        tenant_id=tenant_id,
        resource=resource,
        roles=client.app.roles_for(resource),
        appidacr=_APPIDACR[client.kind],
        now=now,
        lifetime=settings.access_token_lifetime,
        cp1=cp1,
    )
    return json_response(200, settings.answer(tokens.app_access_token(issue)), *NO_STORE)
