"""Sign-ins through msal: its cache, then the refresh token, then the password (lockout-guarded).

msal does the protocol over our azure-core pipeline; this module turns what msal returns or raises
into our exceptions, and is the only place that hands the password to msal. With a shared store, it
runs under the account's fleet lease: msal's cache is read from the store first and written back
after, and rejected passwords are recorded there before the lease is released.

Failures are raised *outside* the ``except`` blocks that observed them and as detached copies, so
no exception chain or traceback reaches msal's or azure-core's frames, whose locals hold the
password, the request body or refresh tokens.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from azure.core.credentials import AccessTokenInfo
from azure.core.exceptions import AzureError, ClientAuthenticationError

from .. import audit
from .._auth_record import AuthenticationRecord
from .._notice import silence_msal_ropc_warning
from .._secret import Secret
from .._store._lease import FleetLease
from .._transport._msal_http import MsalHttpClient
from ..errors import (
    AccountLockedError,
    EntraAuthenticationError,
    EntraUnavailableError,
    InvalidCredentialsError,
    detached,
    error_from_result,
)
from ._config import CoreConfig, TokenKey, TokenRequest
from ._lockout import LOCKOUT_GUARD, LockoutKey, error_fields, error_from_fields

if TYPE_CHECKING:
    import msal

    from .._store._account import AccountState

_T = TypeVar("_T")
_LOCKOUT_ERRORS = (InvalidCredentialsError, AccountLockedError)
_NO_LEASE = FleetLease(None, waited=False)


class Grant(NamedTuple):
    """A token Entra ID (or a cache) issued, how (``cache``, ``store``, ``refresh_token`` or ``password``), and when."""

    token: AccessTokenInfo
    grant: str
    acquired_at: float | None = None


class EntraSignIn:
    """One credential's msal applications (per tenant and CAE) and the sign-in logic over them."""

    def __init__(
        self,
        config: CoreConfig,
        http_client: MsalHttpClient,
        identity: Mapping[str, str],
        clock: Callable[[], float],
        account: AccountState | None = None,
    ) -> None:
        self._config = config
        self._http = http_client
        self._identity = identity
        self._clock = clock
        self._account = account
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

    def acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease = _NO_LEASE) -> Grant:
        """A token from msal's cache, a refresh token, or the password, in that order."""
        cae = request.key.cae
        self._read_shared_cache(cae, lease)
        try:
            return self._acquire(request, force_refresh=force_refresh, lease=lease)
        finally:
            self._write_shared_cache(cae, lease)

    def _acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease) -> Grant:
        app = self._app(request.key)
        accounts = (
            self._msal(lambda: app.get_accounts(username=self._config.username)) if self._has_accounts(request) else []
        )
        if accounts:
            result = self._msal(
                lambda: app.acquire_token_silent_with_error(
                    list(request.key.scopes),
                    accounts[0],
                    claims_challenge=request.claims,
                    force_refresh=force_refresh,
                )
            )
            if result and "access_token" in result:
                source = "cache" if result.get("token_source") == "cache" else "refresh_token"
                return self._grant(result, source)
            if result:
                error = self._error(result)
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
        return self._password_grant(app, request, lease)

    def _password_grant(self, app: msal.PublicClientApplication, request: TokenRequest, lease: FleetLease) -> Grant:
        secret = self._config.password.get()
        fingerprint = secret.fingerprint()
        key = LockoutKey(
            self._config.authority, request.key.tenant_id, self._config.client_id, self._config.username.lower()
        )
        with LOCKOUT_GUARD.attempt_lock(key):
            rejection, released = LOCKOUT_GUARD.check(key, fingerprint)
            if rejection is None:
                shared = self._shared_rejection(secret, lease)
                if shared is not None:
                    LOCKOUT_GUARD.record(key, fingerprint, shared)
                    raise shared.as_guarded()
            else:
                raise rejection.error.as_guarded()
            awaiting_release = self._account is not None and not lease.degraded and self._account.awaiting_release()
            silence_msal_ropc_warning()
            result = self._msal(
                lambda: app.acquire_token_by_username_password(
                    self._config.username,
                    secret.reveal(),
                    list(request.key.scopes),
                    claims_challenge=request.claims,
                )
            )
            if "access_token" in result:
                if released or awaiting_release:
                    self._release(lease)
                return self._grant(result, "password")
            error = self._error(result)
            if isinstance(error, _LOCKOUT_ERRORS):
                self._engage(key, secret, error, lease)
            raise error

    def _shared_rejection(self, secret: Secret, lease: FleetLease) -> EntraAuthenticationError | None:
        if self._account is None or lease.degraded:
            return None
        recorded = self._account.rejection_of(secret)
        return error_from_fields(recorded.error) if recorded is not None else None

    def _engage(self, key: LockoutKey, secret: Secret, error: EntraAuthenticationError, lease: FleetLease) -> None:
        LOCKOUT_GUARD.record(key, secret.fingerprint(), error)
        if self._account is not None:
            self._account.record_rejection(secret, error_fields(error), lease.fence)
        audit.emit(
            audit.LOCKOUT_ENGAGED, **self._identity, error_code=error.error_code, correlation_id=error.correlation_id
        )

    def _release(self, lease: FleetLease) -> None:
        if self._account is not None and not lease.degraded:
            self._account.record_release(lease.fence)
        audit.emit(audit.LOCKOUT_RELEASED, **self._identity)

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
                app = self._msal(lambda: self._new_app(key))
                self._apps[app_key] = app
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

    def _msal(self, call: Callable[[], _T]) -> _T:
        """Call msal; its failures become our exceptions, raised with no chain back into msal's frames."""
        from msal.exceptions import MsalServiceError  # noqa: PLC0415 - loaded with msal by now

        self._http.clear_failure()
        try:
            return call()
        except ClientAuthenticationError as exc:
            failure: Exception = detached(exc)
        except MsalServiceError:
            failure = self._throttled()
        except AzureError as exc:
            self._http.forget_metadata()
            failure = EntraUnavailableError(description=f"Could not reach Microsoft Entra ID ({type(exc).__name__}).")
        except ValueError as exc:
            self._http.forget_metadata()
            failure = self._invalid(str(exc))
        except Exception as exc:  # noqa: BLE001 - msal's frames hold the password: never let them escape
            failure = EntraAuthenticationError(description=f"msal failed unexpectedly ({type(exc).__name__}).")
        raise failure

    def _throttled(self) -> EntraAuthenticationError:
        answer = self._http.last_failure()
        if answer is not None:
            return answer.to_error()
        return EntraUnavailableError(
            description="Microsoft Entra ID recently answered HTTP 429 or 5xx; msal holds further requests "
            "until the Retry-After time has passed."
        )

    def _invalid(self, message: str) -> ValueError | EntraAuthenticationError:
        answer = self._http.last_failure()
        if answer is not None:
            return answer.to_error()
        if "invalid_instance" in message:
            return ValueError(
                f"The authority {self._config.authority} is not well-known. If it is valid and "
                "trustworthy, pass disable_instance_discovery=True (AZURE_DISABLE_INSTANCE_DISCOVERY=true)."
            )
        return ValueError(f"msal refused the request: {message.splitlines()[0][:300] if message else 'no detail'}")

    def _error(self, result: Mapping[str, Any]) -> EntraAuthenticationError:
        failure = self._http.last_failure()
        return error_from_result(result, failure.status_code if failure else None)

    def _grant(self, result: Mapping[str, Any], grant: str) -> Grant:
        now = self._clock()
        refresh_on = result.get("refresh_on")
        token = AccessTokenInfo(
            result["access_token"],
            int(now + int(result["expires_in"])),
            token_type=str(result.get("token_type", "Bearer")),
            refresh_on=int(refresh_on) if refresh_on else None,
        )
        if grant != "cache" or self._record is None:
            self._record = self._record_from(result) or self._record
        return Grant(token, grant)

    def _record_from(self, result: Mapping[str, Any]) -> AuthenticationRecord | None:
        claims = result.get("id_token_claims")
        if not isinstance(claims, Mapping):
            return None
        issuer = str(claims.get("iss", ""))
        host = issuer.split("://", 1)[-1].split("/", 1)[0]
        tenant = str(claims.get("tid") or issuer.rstrip("/").split("/")[-2:][0])
        home_account_id = _home_account_id(result) or str(claims.get("sub", ""))
        return AuthenticationRecord(
            tenant_id=tenant,
            client_id=self._config.client_id,
            authority=host,
            home_account_id=home_account_id,
            username=str(claims.get("preferred_username") or self._config.username),
        )


def _home_account_id(result: Mapping[str, Any]) -> str | None:
    info = result.get("client_info")
    if isinstance(info, str):
        info = _decode_client_info(info)
    if isinstance(info, Mapping) and info.get("uid") and info.get("utid"):
        return f"{info['uid']}.{info['utid']}"
    return None


def _decode_client_info(raw: str) -> Mapping[str, Any] | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None
