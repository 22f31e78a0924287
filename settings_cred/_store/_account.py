"""One account's shared state: tokens, msal's cache, rejected passwords, and the fleet-wide lease.

The lease serializes every sign-in and refresh of an account across all processes that share the
store, which is what makes "one sign-in per deployment" and "at most one attempt per rejected
password" hold. A process that finds the lease taken polls, bounded, for the holder's result.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

from azure.core.credentials import AccessTokenInfo

from .._auth_record import AuthenticationRecord
from .._secret import Secret
from ..errors import SharedSignInTimeoutError
from ._backend import StoreUnavailable
from ._lease import FleetLease, Found
from ._options import DEFAULT_LEASE_WAIT

if TYPE_CHECKING:
    from ._store import Store

_T = TypeVar("_T")
LEASE_TTL: Final = 10.0
"""Seconds a lease outlives a holder that stopped renewing it (a killed process)."""
MSAL_STATE_TTL: Final = 90 * 24 * 3600.0
"""msal's cache (refresh tokens) lives as long as a refresh token can."""
REJECTIONS_TTL: Final = 30 * 24 * 3600.0
"""Rejected passwords are remembered for 30 days after the last rejection."""
MAX_REJECTIONS: Final = 16
_POLL_FIRST: Final = 0.01
_POLL_MAX: Final = 0.1


class StoredToken(NamedTuple):
    """A token as kept in the store: the token, when it was issued, and the account it belongs to."""

    token: AccessTokenInfo
    acquired_at: float
    record: AuthenticationRecord | None


class Rejection(NamedTuple):
    """A password Entra ID rejected, as recorded in the store: the error's fields and when."""

    error: dict[str, Any]
    at: float


class AccountState:
    """The shared entries of one account in one store."""

    def __init__(self, store: Store, identity: tuple[str, ...], *, lease_wait: float = DEFAULT_LEASE_WAIT) -> None:
        self.store = store
        self._account = store.account(*identity)
        self._lease_wait = lease_wait

    # -- tokens

    def read_token(self, tenant_id: str, scopes: tuple[str, ...], cae: bool) -> StoredToken | None:
        """The token another process (or this one) stored for this request, if still valid."""
        entry = self.store.get(self._token_key(tenant_id, scopes, cae))
        if entry is None:
            return None
        try:
            return _token_from(json.loads(entry.payload))
        except (ValueError, KeyError, TypeError):
            return None

    def write_token(self, tenant_id: str, scopes: tuple[str, ...], cae: bool, stored: StoredToken, fence: int) -> bool:
        """Share a token until it expires (refused if a later lease holder already wrote one)."""
        ttl = stored.token.expires_on - time.time()
        if ttl <= 0:
            return False
        payload = json.dumps(_token_fields(stored)).encode("utf-8")
        return self.store.put(self._token_key(tenant_id, scopes, cae), payload, fence=fence, ttl=ttl)

    def _token_key(self, tenant_id: str, scopes: tuple[str, ...], cae: bool) -> str:
        return self.store.key(self._account, "token", tenant_id, " ".join(scopes), "cae" if cae else "nocae")

    # -- msal's cache (accounts, refresh tokens)

    def read_msal_state(self, cae: bool) -> tuple[int, str] | None:
        """msal's serialized cache and the fence it was written under."""
        entry = self.store.get(self.store.key(self._account, "msal", "cae" if cae else "nocae"))
        if entry is None:
            return None
        try:
            return entry.fence, entry.payload.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def write_msal_state(self, cae: bool, state: str, fence: int) -> bool:
        """Share msal's cache (compare-and-set on the fence)."""
        key = self.store.key(self._account, "msal", "cae" if cae else "nocae")
        return self.store.put(key, state.encode("utf-8"), fence=fence, ttl=MSAL_STATE_TTL)

    # -- rejected passwords

    def rejection_state(self, secret: Secret) -> tuple[Rejection | None, bool]:
        """From one read: the recorded rejection of this very password, if any, and whether a password was
        rejected and none has worked since (a new one that works then releases the lockout)."""
        entry = self._rejections_entry()
        items = _items(entry) if entry is not None else []
        awaiting_release = bool(entry and items and not entry.get("released"))
        fingerprint = self.store.fingerprint(secret)
        if fingerprint is not None:
            for item in items:
                if item.get("fingerprint") == fingerprint and isinstance(item.get("error"), dict):
                    return Rejection(item["error"], float(item.get("at", 0))), awaiting_release
        return None, awaiting_release

    def record_rejection(self, secret: Secret, error: dict[str, Any], fence: int) -> None:
        """Remember, for every process, that Entra ID rejected this password."""
        fingerprint = self.store.fingerprint(secret)
        if fingerprint is None:
            return
        items = [i for i in self._rejections() if i.get("fingerprint") != fingerprint]
        items.append({"fingerprint": fingerprint, "at": time.time(), "error": error})
        self._write_rejections(items[-MAX_REJECTIONS:], fence)

    def record_release(self, fence: int) -> None:
        """A new password worked: the rejected ones stay recorded (they are still wrong), the lockout is over."""
        entry = self._rejections_entry()
        if entry is not None and _items(entry):
            self._write_rejections(_items(entry), fence, released=True)

    def _rejections(self) -> list[dict[str, Any]]:
        entry = self._rejections_entry()
        return _items(entry) if entry is not None else []

    def _rejections_entry(self) -> dict[str, Any] | None:
        entry = self.store.get(self.store.key(self._account, "rejections"))
        if entry is None:
            return None
        try:
            data = json.loads(entry.payload)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _write_rejections(self, items: list[dict[str, Any]], fence: int, *, released: bool = False) -> None:
        payload = json.dumps({"rejections": items, "released": released}).encode("utf-8")
        self.store.put(self.store.key(self._account, "rejections"), payload, fence=fence, ttl=REJECTIONS_TTL)

    # -- the lease

    def lease(
        self,
        poll: Callable[[], _T | None],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> FleetLease | Found[_T]:
        """Take the account's lease, or return what `poll` finds in the store while another process holds it.

        Returns a degraded lease at once when the store is unavailable. Raises
        :class:`SharedSignInTimeoutError` when another process holds the lease past the wait limit.
        """
        key = self.store.key(self._account, "lease")
        deadline = clock() + self._lease_wait
        interval = _POLL_FIRST
        while True:
            outcome = self.store.try_lease(key, LEASE_TTL)
            if isinstance(outcome, StoreUnavailable):
                return FleetLease(None)
            if outcome is not None:
                return FleetLease(outcome)
            found = poll()
            if found is not None:
                return Found(found)
            if clock() >= deadline:
                raise SharedSignInTimeoutError(self._lease_wait, self.store.location)
            sleep(interval * random.uniform(0.5, 1.0))  # noqa: S311 - jitter, not cryptography
            interval = min(interval * 1.5, _POLL_MAX)


def _items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    items = entry.get("rejections")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _token_fields(stored: StoredToken) -> dict[str, Any]:
    token = stored.token
    record = stored.record
    return {
        "access_token": token.token,
        "expires_on": token.expires_on,
        "refresh_on": token.refresh_on,
        "token_type": token.token_type,
        "acquired_at": stored.acquired_at,
        "record": json.loads(record.serialize()) if record is not None else None,
    }


def _token_from(data: dict[str, Any]) -> StoredToken:
    record = data.get("record")
    token = AccessTokenInfo(
        str(data["access_token"]),
        int(data["expires_on"]),
        token_type=str(data.get("token_type") or "Bearer"),
        refresh_on=int(data["refresh_on"]) if data.get("refresh_on") else None,
    )
    authentication_record = AuthenticationRecord.deserialize(json.dumps(record)) if isinstance(record, dict) else None
    return StoredToken(token, float(data["acquired_at"]), authentication_record)
