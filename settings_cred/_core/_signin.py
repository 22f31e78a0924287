"""Sign-ins through msal: its cache, then the refresh token, then the password (lockout-guarded).

msal does the protocol over our azure-core pipeline; this module turns what msal returns or raises
into our exceptions, and is the only place that hands the password to msal.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

import msal
from azure.core.credentials import AccessTokenInfo
from azure.core.exceptions import AzureError
from msal.exceptions import MsalServiceError

from .. import audit
from .._auth_record import AuthenticationRecord
from .._notice import silence_msal_ropc_warning
from .._store._lockout_store import PersistedRejections
from .._transport._msal_http import MsalHttpClient
from ..errors import (
    AccountLockedError,
    EntraAuthenticationError,
    EntraUnavailableError,
    InvalidCredentialsError,
    error_from_result,
)
from ._config import CoreConfig, TokenKey, TokenRequest
from ._lockout import LOCKOUT_GUARD, LockoutKey

_T = TypeVar("_T")
_LOCKOUT_ERRORS = (InvalidCredentialsError, AccountLockedError)


class Grant(NamedTuple):
    """A token Entra ID (or msal's cache) issued, and how: ``cache``, ``refresh_token`` or ``password``."""

    token: AccessTokenInfo
    grant: str


class EntraSignIn:
    """One credential's msal applications (per tenant and CAE) and the sign-in logic over them."""

    def __init__(
        self,
        config: CoreConfig,
        http_client: MsalHttpClient,
        identity: Mapping[str, str],
        clock: Callable[[], float],
    ) -> None:
        self._config = config
        self._http = http_client
        self._identity = identity
        self._clock = clock
        self._lock = threading.Lock()
        self._apps: dict[tuple[str, bool], msal.PublicClientApplication] = {}
        self._caches: dict[bool, msal.TokenCache] = {}
        self._record: AuthenticationRecord | None = None
        layout = config.cache_layout
        self._rejections = PersistedRejections(layout.persistence(".lockout")) if layout else None

    @property
    def record(self) -> AuthenticationRecord | None:
        """The account of the last sign-in, once there was one."""
        return self._record

    def acquire(self, request: TokenRequest, *, force_refresh: bool) -> Grant:
        """A token from msal's cache, a refresh token, or the password, in that order."""
        app = self._app(request.key)
        accounts = self._msal(lambda: app.get_accounts(username=self._config.username))
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
        return self._password_grant(app, request)

    def _password_grant(self, app: msal.PublicClientApplication, request: TokenRequest) -> Grant:
        secret = self._config.password.get()
        fingerprint = secret.fingerprint()
        key = LockoutKey(
            self._config.authority, request.key.tenant_id, self._config.client_id, self._config.username.lower()
        )
        with LOCKOUT_GUARD.attempt_lock(key):
            rejection, released = LOCKOUT_GUARD.check(key, fingerprint)
            if rejection is None and self._rejections is not None:
                rejection, released_on_disk = self._rejections.check(key, secret)
                released = released or released_on_disk
                if rejection is not None:
                    LOCKOUT_GUARD.record(key, fingerprint, rejection.error)
            if released:
                audit.emit(audit.LOCKOUT_RELEASED, **self._identity)
            if rejection is not None:
                raise rejection.error.as_guarded()
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
                return self._grant(result, "password")
            error = self._error(result)
            if isinstance(error, _LOCKOUT_ERRORS):
                LOCKOUT_GUARD.record(key, fingerprint, error)
                if self._rejections is not None:
                    self._rejections.record(key, secret, error)
                audit.emit(
                    audit.LOCKOUT_ENGAGED,
                    **self._identity,
                    error_code=error.error_code,
                    correlation_id=error.correlation_id,
                )
            raise error

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
        cache = self._caches.get(key.cae)
        if cache is None:
            layout = self._config.cache_layout
            cache = layout.token_cache(cae=key.cae) if layout else msal.TokenCache()
            self._caches[key.cae] = cache
        return msal.PublicClientApplication(
            self._config.client_id,
            authority=f"{self._config.authority}/{key.tenant_id}",
            token_cache=cache,
            http_client=self._http,
            instance_discovery=self._config.instance_discovery,
            enable_pii_log=self._config.enable_support_logging,
            client_capabilities=["CP1"] if key.cae else None,
        )

    def _msal(self, call: Callable[[], _T]) -> _T:
        """Call msal, turning transport failures and discovery errors into our exceptions."""
        self._http.clear_failure()
        try:
            return call()
        except EntraAuthenticationError:
            raise
        except MsalServiceError as exc:
            failure = self._http.last_failure()
            if failure is not None:
                raise failure.to_error() from None
            raise EntraUnavailableError(
                description="Microsoft Entra ID recently answered HTTP 429 or 5xx; msal holds further requests "
                "until the Retry-After time has passed."
            ) from exc
        except AzureError as exc:
            self._http.forget_metadata()
            raise EntraUnavailableError(
                description=f"Could not reach Microsoft Entra ID ({type(exc).__name__})."
            ) from exc
        except ValueError as exc:
            self._http.forget_metadata()
            failure = self._http.last_failure()
            if failure is not None:
                raise failure.to_error() from None
            if "invalid_instance" in str(exc):
                raise ValueError(
                    f"The authority {self._config.authority} is not well-known. If it is valid and "
                    "trustworthy, pass disable_instance_discovery=True "
                    "(AZURE_DISABLE_INSTANCE_DISCOVERY=true)."
                ) from None
            raise

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
