"""Lockout records that survive restarts, stored (and protected) like the token cache.

A crash-looping container with a wrong password must not try it again on every start. Records hold
an HMAC of the rejected password under a random salt kept in the same protected file, never the
password itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from typing import Any

from msal_extensions import CrossPlatLock
from msal_extensions.persistence import PersistenceNotFound

from .._core._lockout import LockoutKey, Rejection
from .._secret import Secret
from ..errors import AccountLockedError, EntraAuthenticationError, InvalidCredentialsError

_GUARDED = {cls.__name__: cls for cls in (InvalidCredentialsError, AccountLockedError)}


class PersistedRejections:
    """The rejected passwords of one cache location, read and written under a cross-process lock."""

    def __init__(self, persistence: Any) -> None:
        self._persistence = persistence
        self._lock_location = persistence.get_location() + ".lockfile"

    def check(self, key: LockoutKey, secret: Secret) -> tuple[Rejection | None, bool]:
        """The stored rejection of this very password for `key`, and whether a record of another one was dropped."""
        data = self._load()
        record = data["records"].get(_name(key))
        if record is None:
            return None, False
        if hmac.compare_digest(record["fingerprint"], _fingerprint(data["salt"], secret)):
            return Rejection(b"", _error_from(record["error"]), float(record["at"])), False
        self.clear(key)
        return None, True

    def record(self, key: LockoutKey, secret: Secret, error: EntraAuthenticationError) -> None:
        """Remember that Entra ID rejected this password for `key`."""
        with CrossPlatLock(self._lock_location):
            data = self._load()
            data["records"][_name(key)] = {
                "fingerprint": _fingerprint(data["salt"], secret),
                "at": time.time(),
                "error": _error_fields(error),
            }
            self._persistence.save(json.dumps(data))

    def clear(self, key: LockoutKey) -> None:
        """Forget the record for `key`, if there is one."""
        with CrossPlatLock(self._lock_location):
            data = self._load()
            if data["records"].pop(_name(key), None) is not None:
                self._persistence.save(json.dumps(data))

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self._persistence.load())
        except (PersistenceNotFound, ValueError):
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("records"), dict) or "salt" not in data:
            return {"version": 1, "salt": base64.b64encode(os.urandom(32)).decode(), "records": {}}
        return data


def _name(key: LockoutKey) -> str:
    return "|".join(key)


def _fingerprint(salt: str, secret: Secret) -> str:
    digest = hmac.new(base64.b64decode(salt), secret.reveal().encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _error_fields(error: EntraAuthenticationError) -> dict[str, Any]:
    return {
        "class": type(error).__name__,
        "error": error.oauth_error,
        "error_code": error.error_code,
        "description": error.description,
        "correlation_id": error.correlation_id,
        "trace_id": error.trace_id,
        "timestamp": error.timestamp,
    }


def _error_from(fields: dict[str, Any]) -> EntraAuthenticationError:
    cls = _GUARDED.get(str(fields.get("class")), InvalidCredentialsError)
    return cls(
        error=fields.get("error"),
        error_code=fields.get("error_code"),
        description=fields.get("description"),
        correlation_id=fields.get("correlation_id"),
        trace_id=fields.get("trace_id"),
        timestamp=fields.get("timestamp"),
    )
