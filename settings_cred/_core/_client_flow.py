"""The application kinds: client secret, certificate and workload identity (client credentials grant).

msal's ``ConfidentialClientApplication`` does the protocol; the token core is the cache, so msal's own
cache is emptied before each request. A credential Entra ID rejected (a wrong or expired secret, an
unknown certificate, a federated token no credential matches) is not sent again until it changes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from .._auth_record import AuthenticationRecord
from .._store._lease import NO_LEASE, FleetLease
from ..errors import (
    CertificateRejectedError,
    ClientAssertionExpiredError,
    ClientSecretExpiredError,
    EntraAuthenticationError,
    FederatedCredentialMismatchError,
    InvalidClientSecretError,
)
from ._client_material import ClientMaterial
from ._config import TokenKey, TokenRequest
from ._flow import FlowContext, Grant
from ._msal_calls import MsalCalls, token_from
from ._secret_guard import SecretGuard

if TYPE_CHECKING:
    import msal

    from .._secret import Secret

CLIENT_REJECTIONS = (
    InvalidClientSecretError,
    ClientSecretExpiredError,
    CertificateRejectedError,
    ClientAssertionExpiredError,
    FederatedCredentialMismatchError,
)
"""Answers that are a verdict on the credential itself: it is not sent again until it changes."""


class _App(NamedTuple):
    """An msal application for one credential value (a rotated secret gets a new one)."""

    identity: bytes
    app: msal.ConfidentialClientApplication
    cache: msal.SerializableTokenCache


class ClientFlow:
    """An application signing in as itself with the client credentials grant."""

    def __init__(self, context: FlowContext, material: ClientMaterial) -> None:
        self._context = context
        self._material = material
        self._calls = MsalCalls(context.http, context.config.authority)
        self._guard = SecretGuard(context, CLIENT_REJECTIONS)
        self._lock = threading.Lock()
        self._apps: dict[tuple[str, bool], _App] = {}

    @property
    def record(self) -> AuthenticationRecord | None:
        """Applications have no user account."""
        return None

    def adopt_record(self, record: AuthenticationRecord | None) -> None:
        """Nothing to keep: applications have no user account."""

    def check_scopes(self, scopes: Sequence[str]) -> None:
        """Any scopes (Entra ID insists on ``<resource>/.default`` and says so)."""

    def acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease = NO_LEASE) -> Grant:
        """A token from the client credentials grant (msal's cache is bypassed: the core is the cache)."""
        secret = self._material.current()

        def attempt() -> Grant | EntraAuthenticationError:
            built = self._app(request.key, secret)
            built.cache.deserialize(None)
            result = self._calls.call(
                lambda: built.app.acquire_token_for_client(list(request.key.scopes), claims_challenge=request.claims)
            )
            if "access_token" in result:
                return Grant(token_from(result, self._context.clock()), "client_credentials")
            return self._calls.error(result)

        return self._guard.send(request.key.tenant_id, secret, lease, attempt)

    def _app(self, key: TokenKey, secret: Secret) -> _App:
        identity = secret.fingerprint()
        app_key = (key.tenant_id, key.cae)
        with self._lock:
            built = self._apps.get(app_key)
            if built is None or built.identity != identity:
                built = self._apps[app_key] = self._calls.call(lambda: self._new_app(key, identity))
            return built

    def _new_app(self, key: TokenKey, identity: bytes) -> _App:
        import msal  # noqa: PLC0415 - msal loads at the first sign-in

        config = self._context.config
        cache = msal.SerializableTokenCache()
        app = msal.ConfidentialClientApplication(
            config.client_id,
            client_credential=self._material.for_msal(),
            authority=f"{config.authority}/{key.tenant_id}",
            token_cache=cache,
            http_client=self._context.http,
            instance_discovery=config.instance_discovery,
            enable_pii_log=config.enable_support_logging,
            client_capabilities=["CP1"] if key.cae else None,
        )
        return _App(identity, app, cache)
