"""The username/password kind: msal's cache, then the refresh token, then the password (lockout-guarded).

msal does the protocol over our azure-core pipeline; this is the only place that hands the password
to msal. With a shared store it runs under the account's fleet lease: msal's cache is read from the
store first and written back after, and rejected passwords are recorded there before the lease is
released.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import audit
from .._auth_record import AuthenticationRecord
from .._notice import silence_msal_ropc_warning
from .._secret import SecretSource
from .._store._lease import NO_LEASE, FleetLease
from ..errors import AccountLockedError, EntraAuthenticationError, EntraUnavailableError, InvalidCredentialsError
from ._config import TokenKey, TokenRequest
from ._flow import FlowContext, Grant
from ._msal_calls import MsalCalls, record_from, token_from
from ._secret_guard import SecretGuard

if TYPE_CHECKING:
    import msal


PASSWORD_REJECTIONS = (InvalidCredentialsError, AccountLockedError)
"""Answers that are a verdict on the password itself: it is never sent again until it changes."""


class PasswordFlow:
    """One user's msal applications (per tenant and CAE) and the ROPC sign-in logic over them."""

    def __init__(self, context: FlowContext, password: SecretSource) -> None:
        config = context.config
        assert config.username is not None  # noqa: S101 - the password kind always has a user
        self._config = config
        self._username = config.username
        self._password = password
        self._http = context.http
        self._calls = MsalCalls(context.http, config.authority)
        self._identity = context.identity
        self._clock = context.clock
        self._account = context.account
        self._guard = SecretGuard(context, PASSWORD_REJECTIONS)
        self._lock = threading.Lock()
        self._apps: dict[tuple[str, bool], msal.PublicClientApplication] = {}
        self._caches: dict[bool, msal.SerializableTokenCache] = {}
        self._fences: dict[bool, int] = {}
        self._record: AuthenticationRecord | None = None

    @property
    def record(self) -> AuthenticationRecord | None:
        """The account of the last sign-in, once there was one."""
        return self._record

    def adopt_record(self, record: AuthenticationRecord | None) -> None:
        """Keep the account of a token another process signed in for, if this process has none yet."""
        if self._record is None and record is not None:
            self._record = record

    def check_scopes(self, scopes: Sequence[str]) -> None:
        """Any scopes: a user's sign-in can ask for several."""

    def acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease = NO_LEASE) -> Grant:
        """A token from msal's cache, a refresh token, or the password, in that order."""
        cae = request.key.cae
        self._read_shared_cache(cae, lease)
        try:
            return self._acquire(request, force_refresh=force_refresh, lease=lease)
        finally:
            self._write_shared_cache(cae, lease)

    def _acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease) -> Grant:
        app = self._app(request.key)
        accounts = []
        if self._has_accounts(request):
            accounts = self._calls.call(lambda: app.get_accounts(username=self._username))
        if accounts:
            result = self._calls.call(
                lambda: app.acquire_token_silent_with_error(
                    list(request.key.scopes), accounts[0], claims_challenge=request.claims, force_refresh=force_refresh
                )
            )
            if result and "access_token" in result:
                return self._grant(result, "cache" if result.get("token_source") == "cache" else "refresh_token")
            if result:
                self._refresh_token_rejected(request, self._calls.error(result))
        return self._password_grant(app, request, lease)

    def _refresh_token_rejected(self, request: TokenRequest, error: EntraAuthenticationError) -> None:
        if isinstance(error, EntraUnavailableError):
            raise error
        audit.emit(
            audit.TOKEN_REFRESH_TOKEN_REJECTED,
            **{**self._identity, "tenant_id": request.key.tenant_id},
            scopes=list(request.key.scopes),
            cae=request.key.cae,
            error_code=error.error_code,
            correlation_id=error.correlation_id,
            fallback="password",
        )

    def _password_grant(self, app: msal.PublicClientApplication, request: TokenRequest, lease: FleetLease) -> Grant:
        secret = self._password.get()

        def attempt() -> Grant | EntraAuthenticationError:
            silence_msal_ropc_warning()
            result = self._calls.call(
                lambda: app.acquire_token_by_username_password(
                    self._username, secret.reveal(), list(request.key.scopes), claims_challenge=request.claims
                )
            )
            return self._grant(result, "password") if "access_token" in result else self._calls.error(result)

        return self._guard.send(request.key.tenant_id, secret, lease, attempt)

    def _has_accounts(self, request: TokenRequest) -> bool:
        """Whether msal's cache holds any account: if not, asking msal for one would only cost a discovery request."""
        cache = self._cache(request.key.cae)
        return next(iter(cache.search(cache.CredentialType.ACCOUNT)), None) is not None

    # -- msal's cache in the shared store

    def _read_shared_cache(self, cae: bool, lease: FleetLease) -> None:
        if self._account is None or lease.degraded:
            return
        shared = self._account.read_msal_state(cae)
        if shared is None:
            return
        fence, state = shared
        if fence <= self._fences.get(cae, -1):
            return
        try:
            self._cache(cae).deserialize(state)
        except ValueError:  # only a plain-text store can hold this: someone wrote it by hand
            audit.emit(audit.CACHE_UNREADABLE, location=self._account.store.location, reason="msal's cache is not JSON")
            return
        self._fences[cae] = fence

    def _write_shared_cache(self, cae: bool, lease: FleetLease) -> None:
        cache = self._caches.get(cae)
        if self._account is None or cache is None or not cache.has_state_changed:
            return
        if self._account.write_msal_state(cae, cache.serialize(), lease.fence):
            self._fences[cae] = lease.fence

    # -- msal

    def _cache(self, cae: bool) -> msal.SerializableTokenCache:
        cache = self._caches.get(cae)
        if cache is None:
            import msal  # noqa: PLC0415 - msal (and requests) load at the first sign-in, not at import

            cache = self._caches[cae] = msal.SerializableTokenCache()
        return cache

    def _app(self, key: TokenKey) -> msal.PublicClientApplication:
        app_key = (key.tenant_id, key.cae)
        app = self._apps.get(app_key)
        if app is not None:
            return app
        with self._lock:
            app = self._apps.get(app_key)
            if app is None:
                app = self._apps[app_key] = self._calls.call(lambda: self._new_app(key))
            return app

    def _new_app(self, key: TokenKey) -> msal.PublicClientApplication:
        import msal  # noqa: PLC0415

        return msal.PublicClientApplication(
            self._config.client_id,
            authority=f"{self._config.authority}/{key.tenant_id}",
            token_cache=self._cache(key.cae),
            http_client=self._http,
            instance_discovery=self._config.instance_discovery,
            enable_pii_log=self._config.enable_support_logging,
            client_capabilities=["CP1"] if key.cae else None,
        )

    def _grant(self, result: Mapping[str, Any], grant: str) -> Grant:
        token = token_from(result, self._clock())
        if grant != "cache" or self._record is None:
            self._record = record_from(result, self._config.client_id, self._username) or self._record
        return Grant(token, grant)
