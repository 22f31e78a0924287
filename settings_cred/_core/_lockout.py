"""The lockout guard: a password Entra ID rejected is never sent again by this process.

Records are keyed by (authority, tenant, client id, username) and hold a salted fingerprint of the
rejected password, never the password. A different password releases the record.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from ..errors import EntraAuthenticationError


class LockoutKey(NamedTuple):
    """Whose sign-ins a record guards."""

    authority: str
    tenant_id: str
    client_id: str
    username: str


class Rejection(NamedTuple):
    """A password Entra ID rejected: its fingerprint, the error, and when."""

    fingerprint: bytes
    error: EntraAuthenticationError
    at: float


class LockoutGuard:
    """Process-wide registry of rejected passwords, with one sign-in attempt at a time per key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rejections: dict[LockoutKey, Rejection] = {}
        self._attempt_locks: dict[LockoutKey, threading.Lock] = {}

    def attempt_lock(self, key: LockoutKey) -> threading.Lock:
        """The lock that serializes password sign-ins for `key` across every credential instance."""
        with self._lock:
            return self._attempt_locks.setdefault(key, threading.Lock())

    def check(self, key: LockoutKey, fingerprint: bytes) -> tuple[Rejection | None, bool]:
        """The recorded rejection for this password, and whether a rejection of another one was released."""
        with self._lock:
            rejection = self._rejections.get(key)
            if rejection is None:
                return None, False
            if rejection.fingerprint == fingerprint:
                return rejection, False
            del self._rejections[key]
            return None, True

    def record(self, key: LockoutKey, fingerprint: bytes, error: EntraAuthenticationError) -> None:
        """Remember that Entra ID rejected this password for `key`."""
        with self._lock:
            self._rejections[key] = Rejection(fingerprint, error, time.time())

    def clear(self) -> None:
        """Forget every record (for tests and for an operator's explicit reset)."""
        with self._lock:
            self._rejections.clear()


LOCKOUT_GUARD = LockoutGuard()
"""The process's guard, shared by every credential instance."""
