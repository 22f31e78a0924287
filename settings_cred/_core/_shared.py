"""The token core's side of the shared store: adopt what other processes stored, or take the lease.

Before asking Entra ID, a process looks in the store for a token another process obtained; if there
is none, it takes the account's fleet lease (waiting, bounded, while another process holds it and
adopting that process's result), asks Entra ID, and shares the outcome before releasing the lease.
Without a store, or while it is unavailable, the process simply asks Entra ID itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .._store._lease import Found
from ._config import TokenKey, TokenRequest
from ._flow import Flow, Grant
from ._refresh import Freshness, freshness, refresh_point

if TYPE_CHECKING:
    from .._store._account import AccountState


class SharedTokens:
    """Fleet-wide single flight for one credential: one sign-in or refresh per account at a time."""

    def __init__(self, account: AccountState | None, flow: Flow, clock: Callable[[], float]) -> None:
        self._account = account
        self._flow = flow
        self._clock = clock

    def _adoptable(self, key: TokenKey, *, newer_than: float | None = None) -> Grant | None:
        """A token another process stored for `key`: still valid, and fresh and newer when replacing one."""
        if self._account is None:
            return None
        stored = self._account.read_token(key.tenant_id, key.scopes, key.cae)
        if stored is None:
            return None
        state = freshness(stored.token, refresh_point(stored.token, stored.acquired_at), self._clock())
        if newer_than is not None and (stored.token.expires_on <= newer_than or state is not Freshness.FRESH):
            return None
        if state is Freshness.EXPIRED:
            return None
        self._flow.adopt_record(stored.record)
        return Grant(stored.token, "store", stored.acquired_at)

    def acquire(self, request: TokenRequest, *, force_refresh: bool, newer_than: float | None = None) -> Grant:
        """A token another process stored (see :meth:`_adoptable`; never for a claims challenge), else one from
        Entra ID (or msal's cache), obtained by one process of the fleet at a time."""
        if self._account is None:
            return self._flow.acquire(request, force_refresh=force_refresh)

        def poll() -> Grant | None:
            return None if request.claims else self._adoptable(request.key, newer_than=newer_than)

        found = poll()
        if found is not None:
            return found
        outcome = self._account.lease(poll)
        if isinstance(outcome, Found):
            return outcome.value
        with outcome as lease:
            if not lease.degraded:
                found = poll()
                if found is not None:
                    return found
            grant = self._flow.acquire(request, force_refresh=force_refresh, lease=lease)
            from .._store._account import StoredToken  # noqa: PLC0415 - loaded with the store already

            acquired_at = self._clock()
            stored = StoredToken(grant.token, acquired_at, self._flow.record)
            key = request.key
            self._account.write_token(key.tenant_id, key.scopes, key.cae, stored, lease.fence)
            return grant._replace(acquired_at=acquired_at)
