"""The managed identity kind: App Service, Container Apps, Functions and VMs (IMDS) hand out tokens.

msal's ``ManagedIdentityClient`` does the protocol (it reads ``IDENTITY_ENDPOINT``/``IDENTITY_HEADER``
itself) over our pipeline; the token core is the cache. No endpoint answering means no managed identity
here: :class:`CredentialUnavailableError`, so a chain moves on.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._auth_record import AuthenticationRecord
from .._store._lease import NO_LEASE, FleetLease
from ..errors import CredentialUnavailableError, EntraAuthenticationError, ManagedIdentityError
from ._config import TokenRequest
from ._flow import FlowContext, Grant
from ._msal_calls import MsalCalls, token_from

if TYPE_CHECKING:
    import msal

IDENTITY_CONFIG_KEYS = {
    "client_id": "ClientId",
    "object_id": "ObjectId",
    "resource_id": "ResourceId",
    "mi_res_id": "ResourceId",
}
"""azure-identity's ``identity_config`` keys, and msal's name for each kind of id."""


def _unreachable(kind: str) -> Exception:
    return CredentialUnavailableError(
        message=f"No managed identity endpoint answered ({kind}): this environment has no managed identity, or "
        "it is not enabled. Enable one on the App Service, Container App, Function or VM, or configure another "
        "credential kind (AZURE_CREDENTIAL_KIND)."
    )


def managed_identity_spec(client_id: str | None, identity_config: Mapping[str, str] | None) -> dict[str, Any]:
    """msal's description of the identity: system-assigned, or user-assigned by client, object or resource id."""
    given = {k: v for k, v in (identity_config or {}).items() if v}
    if client_id:
        given["client_id"] = client_id
    unknown = set(given) - set(IDENTITY_CONFIG_KEYS)
    if unknown or len(given) > 1:
        raise ValueError(
            "Name a user-assigned managed identity by one of client_id, object_id or resource_id (or none for the "
            f"system-assigned identity); got {sorted(given)}."
        )
    if not given:
        return {"ManagedIdentityIdType": "SystemAssigned", "Id": None}
    ((name, value),) = given.items()
    return {"ManagedIdentityIdType": IDENTITY_CONFIG_KEYS[name], "Id": value}


class ManagedIdentityFlow:
    """Tokens from the platform's managed identity endpoint."""

    def __init__(self, context: FlowContext, identity: Mapping[str, Any]) -> None:
        self._context = context
        self._identity = dict(identity)
        self._calls = MsalCalls(context.http, context.config.authority, unreachable=_unreachable)
        self._lock = threading.Lock()
        self._client: tuple[msal.ManagedIdentityClient, msal.TokenCache] | None = None

    @property
    def record(self) -> AuthenticationRecord | None:
        """Managed identities have no user account."""
        return None

    def adopt_record(self, record: AuthenticationRecord | None) -> None:
        """Nothing to keep."""

    def check_scopes(self, scopes: Sequence[str]) -> None:
        """Exactly one scope: a managed identity token is for one resource."""
        if len(scopes) != 1:
            raise ValueError("ManagedIdentityCredential.get_token requires exactly one scope")

    def acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease = NO_LEASE) -> Grant:
        """A token for the request's resource from the managed identity endpoint."""
        scope = request.key.scopes[0]
        resource = scope[: -len("/.default")] if scope.endswith("/.default") else scope
        client, cache = self._msal_client()
        cache.deserialize(None)
        try:
            result = self._calls.call(
                lambda: client.acquire_token_for_client(resource=resource, claims_challenge=request.claims)
            )
        except ValueError as exc:
            failure: Exception = CredentialUnavailableError(message=f"The managed identity is misconfigured: {exc}")
        else:
            if "access_token" in result:
                return Grant(token_from(result, self._context.clock()), "managed_identity")
            failure = self._error(result)
        raise failure

    def _error(self, result: Mapping[str, Any]) -> EntraAuthenticationError:
        error = self._calls.error(result)
        if type(error) is EntraAuthenticationError:
            return ManagedIdentityError(
                error=error.oauth_error,
                error_code=error.error_code,
                description=error.description,
                correlation_id=error.correlation_id,
                status_code=error.status_code,
            )
        return error

    def _msal_client(self) -> tuple[msal.ManagedIdentityClient, msal.TokenCache]:
        with self._lock:
            if self._client is None:
                import msal  # noqa: PLC0415 - msal loads at the first token request

                cache = msal.SerializableTokenCache()
                client = msal.ManagedIdentityClient(self._identity, http_client=self._context.http, token_cache=cache)
                self._client = (client, cache)
            return self._client
