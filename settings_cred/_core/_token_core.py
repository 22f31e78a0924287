"""The token core shared by the sync and async credentials.

Front cache, refresh timing, tenant resolution, single-flight and audit live here once, for every
credential kind; how a kind gets a token from Entra ID is its :class:`~._flow.Flow`. The core is
synchronous: the async shell calls :meth:`TokenCore.fresh` and :meth:`TokenCore.cached` directly and
runs :meth:`TokenCore.acquire` in a worker thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from azure.core.credentials import TokenRequestOptions

from .. import _telemetry, audit
from .._auth_record import AuthenticationRecord
from .._masking import mask_username
from .._transport._msal_http import MsalHttpClient
from ..errors import EntraAuthenticationError, TenantNotAllowedError
from ._authority import resolve_tenant, validate_claims, validate_scopes
from ._background import BACKGROUND
from ._config import CoreConfig, TokenKey, TokenRequest
from ._flow import Flow, FlowContext, Grant
from ._front_cache import CachedToken, Entry
from ._refresh import Freshness, freshness, next_retry
from ._shared import SharedTokens

Spawn = Callable[[Callable[[], None]], None]


def spawn_daemon_thread(work: Callable[[], None]) -> None:
    """Run `work` on a background worker (background refreshes)."""
    BACKGROUND.submit(work)


class TokenCore:
    """Everything a credential does between "give me a token" and msal."""

    def __init__(
        self,
        config: CoreConfig,
        http_client: MsalHttpClient,
        flow: Callable[[FlowContext], Flow],
        *,
        spawn: Spawn = spawn_daemon_thread,
        clock: Callable[[], float] = time.time,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self._config = config
        self._http = http_client
        self._spawn = spawn
        self._clock = clock
        self._environ = environ
        self._entries: dict[TokenKey, Entry] = {}
        self._hot: dict[tuple[tuple[str, ...], bool], Entry] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[TokenKey, threading.Lock] = {}
        self._closed = False
        self.last_error: Exception | None = None
        """The last failure of a sign-in or refresh (for readiness checks); cleared by a success."""
        self._identity = {
            "kind": config.kind,
            "client_id": config.client_id,
            "tenant_id": config.tenant_id,
            "authority": config.authority,
        }
        if config.username:
            self._identity["username"] = mask_username(config.username)
        account = None
        if config.store is not None:
            from .._store._account import AccountState  # noqa: PLC0415 - loaded only with a store

            whose = (config.authority, config.client_id, config.principal)
            account = AccountState(config.store, whose, lease_wait=config.sign_in_wait)
        self._flow = flow(FlowContext(config, http_client, self._identity, clock, account))
        self._shared = SharedTokens(account, self._flow, clock)
        self.hits = 0
        """get_token calls answered from the front cache (read by the OpenTelemetry cache-hit counter)."""
        _telemetry.track(self)

    # -- requests --------------------------------------------------------------------------------

    def prepare(self, scopes: Sequence[str], options: TokenRequestOptions | None, method: str) -> TokenRequest:
        """Validate a request and resolve its tenant (raising when the tenant is not allowed)."""
        validate_scopes(scopes, method)
        self._flow.check_scopes(scopes)
        options = options or {}
        validate_claims(options.get("claims"))
        requested = options.get("tenant_id") if self._config.multi_tenant else None
        try:
            tenant = resolve_tenant(
                self._config.tenant_id,
                requested,
                additionally_allowed_tenants=self._config.additionally_allowed_tenants,
                environ=self._environ,
            )
        except TenantNotAllowedError:
            audit.emit(audit.TENANT_BLOCKED, **self._identity, requested_tenant_id=requested, scopes=list(scopes))
            raise
        key = TokenKey(tenant, tuple(sorted(scopes)), bool(options.get("enable_cae", False)))
        return TokenRequest(key, options.get("claims") or None)

    def fresh(self, scopes: tuple[str, ...], cae: bool) -> CachedToken | None:
        """The warm path: a fresh token for exactly these scopes in the configured tenant, or None.

        Callers use it only without claims and without a requested tenant; anything else, including
        a token due for refresh, goes through :meth:`cached` / :meth:`acquire`.
        """
        entry = self._hot.get((scopes, cae))
        if entry is None:
            return None
        cached = entry.cached
        now = self._clock()
        if now >= cached.refresh_at:
            return None
        self.hits += 1
        if audit.hit_events_enabled(now):
            self._emit_hit(self._identity["tenant_id"], cached, scopes=sorted(scopes), cae=cae)
        return cached

    def holds_usable(self, scopes: tuple[str, ...]) -> bool:
        """Whether a not-yet-expired token for exactly these scopes is cached (no side effects)."""
        entry = self._hot.get((scopes, False))
        return entry is not None and self._clock() < entry.cached.info.expires_on

    def fresh_for(self, scopes: tuple[str, ...], options: TokenRequestOptions | None) -> CachedToken | None:
        """:meth:`fresh` for ``get_token_info``-style options (None when they ask for more)."""
        if options is None:
            return self.fresh(scopes, False)
        if options.get("claims") or options.get("tenant_id"):
            return None
        return self.fresh(scopes, bool(options.get("enable_cae", False)))

    def cached(self, request: TokenRequest) -> CachedToken | None:
        """A token from the front cache, or None; starts a background refresh when one is due."""
        if request.claims:
            return None
        entry = self._entries.get(request.key)
        if entry is None:
            return None
        cached = entry.cached
        now = self._clock()
        state = freshness(cached.info, cached.refresh_at, now)
        if state is Freshness.EXPIRED:
            return None
        if state is Freshness.STALE and now >= entry.retry_at:
            self._start_refresh(request, entry)
        self.hits += 1
        if audit.hit_events_enabled(now):
            key = request.key
            self._emit_hit(key.tenant_id, cached, scopes=list(key.scopes), cae=key.cae)
        return cached

    def _emit_hit(self, tenant_id: str, cached: CachedToken, **request: Any) -> None:
        context = {**self._identity, "tenant_id": tenant_id}
        expires_in = int(cached.info.expires_on - self._clock())
        audit.emit(audit.TOKEN_CACHE_HIT, **context, **request, cache_hit=True, expires_in_s=expires_in)

    def acquire(self, request: TokenRequest) -> CachedToken:
        """A token from the caches, the shared store or Entra ID; concurrent callers share one request.

        Within the process, callers for one key share one request; with a shared store, the processes of
        the fleet do too (one holds the account's lease, the others adopt its result).
        """
        with self._key_lock(request.key):
            cached = self.cached(request)
            if cached is not None:
                return cached
            started = time.perf_counter()
            try:
                with _telemetry.span("settings_cred.acquire_token", self._request_fields(request)) as span:
                    grant = self._shared.acquire(request, force_refresh=bool(request.claims))
                    if span is not None:
                        span.set_attribute("settings_cred.grant", grant.grant)
            except EntraAuthenticationError as exc:
                self.last_error = exc
                self._emit_failure(request, exc, started)
                raise
            cached = self._keep(request, grant, audit.TOKEN_ACQUIRED, started)
            if self._clock() >= cached.refresh_at:  # an adopted token already due for refresh
                self._start_refresh(request, self._entries[request.key])
            return cached

    def get_token(self, scopes: tuple[str, ...], options: TokenRequestOptions | None, method: str) -> CachedToken:
        """The sync entry point: cache first, then a single-flight acquisition."""
        request = self.prepare(scopes, options, method)
        cached = self.cached(request) or self.acquire(request)
        self.remember(scopes, request)
        return cached

    def remember(self, scopes: tuple[str, ...], request: TokenRequest) -> None:
        """Let :meth:`fresh` answer these exact scopes from now on (configured tenant, no claims)."""
        if request.key.tenant_id == self._config.tenant_id and not request.claims:
            entry = self._entries.get(request.key)
            if entry is not None:
                self._hot[(scopes, request.key.cae)] = entry

    @property
    def authentication_record(self) -> AuthenticationRecord | None:
        """The account of the last sign-in, once there was one."""
        return self._flow.record

    @property
    def authority(self) -> str:
        """The configured authority URL."""
        return self._config.authority

    @property
    def identity(self) -> Mapping[str, str]:
        """Non-secret identity fields (username masked) for reprs and audit events."""
        return self._identity

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._closed = True
        self._http.close()

    # -- background refresh ----------------------------------------------------------------------

    def _start_refresh(self, request: TokenRequest, entry: Entry) -> None:
        with self._lock:
            if entry.refreshing or self._closed:
                return
            entry.refreshing = True
        self._spawn(lambda: self._refresh(request, entry))

    def _refresh(self, request: TokenRequest, entry: Entry) -> None:
        started = time.perf_counter()
        try:
            with (
                self._key_lock(request.key),
                _telemetry.span("settings_cred.refresh_token", self._request_fields(request)) as span,
            ):
                current = entry.cached.info.expires_on
                grant = self._shared.acquire(request, force_refresh=True, newer_than=current)
                if span is not None:
                    span.set_attribute("settings_cred.grant", grant.grant)
                self._keep(request, grant, audit.TOKEN_REFRESHED, started)
        except Exception as exc:  # noqa: BLE001 - a background refresh must never die loudly
            now = self._clock()
            entry.retry_at = next_retry(now)
            self.last_error = exc
            self._emit(
                audit.TOKEN_REFRESH_FAILED,
                request,
                cache_hit=True,
                duration_ms=_elapsed_ms(started),
                error=type(exc).__name__,
                error_code=getattr(exc, "error_code", None),
                correlation_id=getattr(exc, "correlation_id", None),
                expires_in_s=int(entry.cached.info.expires_on - now),
                retry_in_s=int(entry.retry_at - now),
            )
        finally:
            entry.refreshing = False

    # -- bookkeeping -----------------------------------------------------------------------------

    def _keep(self, request: TokenRequest, grant: Grant, event: str, started: float) -> CachedToken:
        self.last_error = None
        acquired_at = grant.acquired_at or self._clock()
        entry = self._entries.get(request.key)
        if entry is None:
            entry = self._entries[request.key] = Entry(grant.token, acquired_at)
        else:
            entry.replace(grant.token, acquired_at)
        self._emit(
            event,
            request,
            cache_hit=grant.grant in ("cache", "store"),
            grant=grant.grant,
            duration_ms=_elapsed_ms(started),
            expires_in_s=int(grant.token.expires_on - self._clock()),
        )
        return entry.cached

    def _request_fields(self, request: TokenRequest) -> dict[str, Any]:
        return {**self._identity, "tenant_id": request.key.tenant_id, "scopes": list(request.key.scopes)}

    def refresh_deadlines(self) -> list[tuple[dict[str, Any], float]]:
        """For each cached token: its request's fields and the seconds until it must be refreshed."""
        now = self._clock()
        return [
            ({"tenant_id": key.tenant_id, "scopes": list(key.scopes)}, entry.cached.refresh_at - now)
            for key, entry in list(self._entries.items())
        ]

    def _key_lock(self, key: TokenKey) -> threading.Lock:
        lock = self._key_locks.get(key)
        if lock is None:
            with self._lock:
                lock = self._key_locks.setdefault(key, threading.Lock())
        return lock

    def _emit_failure(self, request: TokenRequest, exc: EntraAuthenticationError, started: float) -> None:
        self._emit(
            audit.TOKEN_FAILED,
            request,
            cache_hit=False,
            duration_ms=_elapsed_ms(started),
            error=type(exc).__name__,
            error_code=exc.error_code,
            correlation_id=exc.correlation_id,
            lockout_guard=exc.from_lockout_guard,
        )

    def _emit(self, event: str, request: TokenRequest, **fields: Any) -> None:
        context = {**self._identity, "tenant_id": request.key.tenant_id}
        audit.emit(event, **context, scopes=list(request.key.scopes), cae=request.key.cae, **fields)


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
