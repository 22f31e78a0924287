"""A store as the rest of the library sees it: named, sealed entries with fences, and leases.

One :class:`Store` exists per process for each backend, key and cache name, shared by every
credential that uses it, so its circuit breaker knows about every caller. An entry that fails
authentication (tampered, moved, sealed with another key) reads as absent, with a ``cache.unreadable``
audit event: nothing that others can write steers a request before it is authenticated.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final

from .. import _telemetry, audit
from .._secret import Secret
from ._backend import Lease, StoreUnavailable
from ._guard import Breaker
from ._sealing import Sealed, Sealer, UnreadableEntry

KEY_PREFIX: Final = "settings_cred"


class Store:
    """Sealed entries under one cache name (``TokenCachePersistenceOptions.name``) in one backend."""

    def __init__(self, breaker: Breaker, sealer: Sealer, namespace: str) -> None:
        self._breaker = breaker
        self._sealer = sealer
        self._namespace = namespace

    @property
    def location(self) -> str:
        """Where the entries live (directory or masked URL)."""
        return self._breaker.backend.location

    @property
    def available(self) -> bool:
        """False during an outage (the breaker is open or the last call failed)."""
        return self._breaker.available

    def ping(self) -> bool:
        """Whether the store answers right now."""
        return self._breaker.ping()

    def account(self, *identity: str) -> str:
        """The keyed id of an account (no username ever appears in a key)."""
        return self._sealer.name("account", *identity)

    def key(self, account: str, kind: str, *detail: str) -> str:
        """The storage key of an entry; the account in braces keeps a Redis Cluster script on one slot."""
        suffix = f":{self._sealer.name(kind, *detail)}" if detail else ""
        return f"{KEY_PREFIX}:{self._namespace}:{{{account}}}:{kind}{suffix}"

    def shared_key(self, kind: str, *detail: str) -> str:
        """The storage key of an entry no account owns (authority metadata)."""
        return f"{KEY_PREFIX}:{self._namespace}:{kind}:{self._sealer.name(kind, *detail)}"

    def fingerprint(self, secret: Secret) -> str | None:
        """A keyed HMAC of a secret, or None where there is no key to make one safe (plain text)."""
        return self._sealer.fingerprint(secret) or None

    def get(self, key: str) -> Sealed | None:
        """The opened entry, or None if absent, expired, unreadable or the store is unavailable."""
        blob = self._breaker.read(key)
        if blob is None:
            _telemetry.store_operation("read", "miss" if self._breaker.available else "unavailable")
            return None
        try:
            entry = self._sealer.open(key, blob)
        except UnreadableEntry as exc:
            audit.emit(audit.CACHE_UNREADABLE, location=self.location, reason=str(exc))
            _telemetry.store_operation("read", "unreadable")
            return None
        valid = entry.expires_at > time.time()
        _telemetry.store_operation("read", "hit" if valid else "miss")
        return entry if valid else None

    def put(self, key: str, payload: bytes, *, fence: int, ttl: float) -> bool:
        """Seal and store unless a newer fence holds the entry (or the store is down); whether it was stored."""
        blob = self._sealer.seal(key, fence, payload, time.time() + ttl)
        stored = self._breaker.write(key, blob, fence=fence, ttl=ttl)
        _telemetry.store_operation(
            "write", "stored" if stored else "refused" if self._breaker.available else "unavailable"
        )
        return stored

    def delete(self, key: str) -> None:
        """Remove an entry."""
        self._breaker.delete(key)

    def try_lease(self, key: str, ttl: float) -> Lease | StoreUnavailable | None:
        """See :meth:`Breaker.try_lease`."""
        outcome = self._breaker.try_lease(key, ttl)
        result = "unavailable" if isinstance(outcome, StoreUnavailable) else "busy" if outcome is None else "held"
        _telemetry.store_operation("lease", result)
        return outcome


_registry: dict[tuple[str, ...], Store] = {}
_registry_lock = threading.Lock()


def shared_store(identity: tuple[str, ...], build: Callable[[], Store]) -> Store:
    """The process's one store for `identity` (backend, key id, cache name), built on first use."""
    with _registry_lock:
        store = _registry.get(identity)
        if store is None:
            store = _registry[identity] = build()
        return store
