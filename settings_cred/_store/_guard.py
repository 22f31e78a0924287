"""The circuit breaker that keeps a dead or hung store from costing callers anything.

Every backend call goes through :class:`Breaker`. The first failure opens it: for ``cooldown`` seconds
every call returns its fallback at once, then one call probes the store again. One
``store.unavailable`` event per outage and one ``store.recovered`` event when it ends. Writes that
failed during an outage are kept (the latest per entry) and written back once the store answers again,
so a store that restarted empty is filled again by the processes that kept working meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final, NamedTuple, TypeVar

from .. import audit
from ._backend import Backend, Lease, StoreUnavailable

_T = TypeVar("_T")
DEFAULT_COOLDOWN: Final = 5.0
MAX_PENDING_WRITES: Final = 256


class PendingWrite(NamedTuple):
    """A write that failed during an outage, to be tried again on recovery."""

    blob: bytes
    fence: int
    expires_at: float


class Breaker:
    """A backend behind a circuit breaker, with outage audit events and write-back on recovery."""

    def __init__(
        self, backend: Backend, *, cooldown: float = DEFAULT_COOLDOWN, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.backend = backend
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._outage_since: float | None = None
        self._pending: dict[str, PendingWrite] = {}
        self._probe: threading.Timer | None = None

    @property
    def available(self) -> bool:
        """Whether the last call reached the store (false during an outage)."""
        return self._outage_since is None

    def read(self, key: str) -> bytes | None:
        """The entry, or None when it is absent or the store is unavailable."""
        return self._call(lambda: self.backend.read(key), None)

    def write(self, key: str, blob: bytes, *, fence: int, ttl: float) -> bool:
        """Compare-and-set; during an outage the write is kept for later and False is returned."""
        stored = self._call(lambda: self.backend.write(key, blob, fence=fence, ttl=ttl), None)
        if stored is None:
            self._keep(key, PendingWrite(blob, fence, time.time() + ttl))
            return False
        return stored

    def delete(self, key: str) -> None:
        """Remove the entry (nothing happens during an outage)."""
        with self._lock:
            self._pending.pop(key, None)
        self._call(lambda: self.backend.delete(key), None)

    def try_lease(self, key: str, ttl: float) -> Lease | StoreUnavailable | None:
        """The lease, None if another process holds it, or :class:`StoreUnavailable` during an outage."""

        def lease() -> Lease | StoreUnavailable | None:
            return self.backend.try_lease(key, ttl)

        unavailable: Lease | StoreUnavailable | None = StoreUnavailable("outage")
        return self._call(lease, unavailable)

    def ping(self) -> bool:
        """Whether the store answers now (bypasses the breaker; records recovery or outage)."""
        with self._lock:
            self._open_until = 0.0
        return self._call(self._ping, False)

    def _ping(self) -> bool:
        self.backend.ping()
        return True

    def _call(self, operation: Callable[[], _T], fallback: _T) -> _T:
        """Run `operation` unless the breaker is open; `fallback` when it is, or when the store fails."""
        if self._open_until and self._clock() < self._open_until:
            return fallback
        try:
            result = operation()
        except StoreUnavailable as exc:
            self._failed(exc.reason)
            return fallback
        if self._outage_since is not None:
            self._recovered()
        return result

    def _failed(self, reason: str) -> None:
        with self._lock:
            now = self._clock()
            self._open_until = now + self._cooldown
            first = self._outage_since is None
            if first:
                self._outage_since = now
        if first:
            audit.emit(audit.STORE_UNAVAILABLE, location=self.backend.location, reason=reason)

    def _recovered(self) -> None:
        with self._lock:
            since, self._outage_since = self._outage_since, None
            self._open_until = 0.0
            pending, self._pending = self._pending, {}
        if since is None:
            return
        audit.emit(
            audit.STORE_RECOVERED,
            location=self.backend.location,
            outage_s=round(self._clock() - since, 3),
            written_back=len(pending),
        )
        for key, write in pending.items():
            self._write_back(key, write)

    def _write_back(self, key: str, write: PendingWrite) -> None:
        ttl = write.expires_at - time.time()
        if ttl > 0:
            self._call(lambda: self.backend.write(key, write.blob, fence=write.fence, ttl=ttl), None)

    def _keep(self, key: str, write: PendingWrite) -> None:
        with self._lock:
            if key in self._pending or len(self._pending) < MAX_PENDING_WRITES:
                self._pending[key] = write
            if self._probe is None or not self._probe.is_alive():
                self._probe = threading.Timer(self._cooldown, self._probe_until_recovered)
                self._probe.daemon = True
                self._probe.start()

    def _probe_until_recovered(self) -> None:
        """Background: keep probing (every cooldown) while writes wait, so they land without any caller."""
        while True:
            with self._lock:
                if not self._pending:
                    return
            if self.ping():
                return
            time.sleep(self._cooldown)
