"""The lockout guard: a password Entra ID rejected is never sent again by this process.

Records are keyed by (authority, tenant, client id, username) and hold a salted fingerprint of the
rejected password, never the password. A different password releases the record. With a shared store,
the same rejections are also recorded there, for every process of the deployment (see ``_secret_guard``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

from .._errors._table import optional_text
from ..errors import ERROR_TABLE, EntraAuthenticationError, InvalidCredentialsError


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


def _guarded_class(name: object) -> type[EntraAuthenticationError]:
    """The error class another process recorded, by name (only classes of the error table)."""
    for cls in ERROR_TABLE.values():
        if cls.__name__ == name:
            return cls
    return InvalidCredentialsError


def error_fields(error: EntraAuthenticationError) -> dict[str, Any]:
    """The fields of a rejection worth sharing with other processes (no secret among them)."""
    return {
        "class": type(error).__name__,
        "error": error.oauth_error,
        "error_code": error.error_code,
        "description": error.description,
        "correlation_id": error.correlation_id,
        "trace_id": error.trace_id,
        "timestamp": error.timestamp,
    }


def error_from_fields(fields: Mapping[str, Any]) -> EntraAuthenticationError:
    """The rejection another process recorded, as the error it raised there."""
    code = fields.get("error_code")
    cls = _guarded_class(fields.get("class"))
    return cls(
        error=optional_text(fields.get("error")),
        error_code=code if isinstance(code, int) else None,
        description=optional_text(fields.get("description")),
        correlation_id=optional_text(fields.get("correlation_id")),
        trace_id=optional_text(fields.get("trace_id")),
        timestamp=optional_text(fields.get("timestamp")),
    )
