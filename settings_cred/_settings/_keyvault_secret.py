"""A ``SecretSource`` backed by a Key Vault reference: re-read after a TTL unless pinned to a version."""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from .. import audit
from .._secret import Secret
from ._keyvault import DEFAULT_REFRESH_INTERVAL, KeyVaultFetchError, VaultAccess, fetch_all
from ._references import KeyVaultReference

RETRY_AFTER_FAILURE: Final = 30.0
"""Seconds before a failed refresh is tried again (the last good value is served meanwhile)."""
_MASK: Final = "**********"
_LOGGER = logging.getLogger("settings_cred.settings")


class KeyVaultSecret:
    """A secret read from Key Vault; a versionless reference is re-read every ``refresh_interval`` seconds.

    A refresh that fails keeps the last good value and is retried later; a pinned version is read once.
    """

    __slots__ = ("_access", "_current", "_env_prefix", "_field", "_interval", "_lock", "_next", "_reference")

    def __init__(
        self,
        reference: KeyVaultReference,
        access: VaultAccess,
        *,
        initial: Secret | None = None,
        refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
        env_prefix: str = "",
        field: str = "password",
    ) -> None:
        if refresh_interval <= 0:
            raise ValueError("refresh_interval must be a positive number of seconds")
        self._reference = reference
        self._access = access
        self._interval = refresh_interval
        self._env_prefix = env_prefix
        self._field = field
        self._lock = threading.Lock()
        self._current = initial if initial is not None else self._fetch()
        self._next = time.monotonic() + refresh_interval

    @property
    def reference(self) -> KeyVaultReference:
        """The secret this source reads."""
        return self._reference

    def get(self) -> Secret:
        """The current value, re-read from Key Vault when the refresh interval has passed."""
        if self._reference.pinned or time.monotonic() < self._next:
            return self._current
        with self._lock:
            now = time.monotonic()
            if now < self._next:
                return self._current
            try:
                secret = self._fetch()
            except KeyVaultFetchError as problem:
                _LOGGER.warning("keeping the last good value of %s: %s", self._reference.secret_uri, problem.reason)
                self._next = now + min(RETRY_AFTER_FAILURE, self._interval)
                return self._current
            self._next = now + self._interval
            if secret != self._current:
                self._current = secret
                audit.emit(audit.SECRET_ROTATED, env_prefix=self._env_prefix, field=self._field, source="keyvault")
        return self._current

    def _fetch(self) -> Secret:
        result = fetch_all(self._access, {self._field: self._reference})[self._field]
        if isinstance(result, KeyVaultFetchError):
            raise result
        return result

    def __repr__(self) -> str:
        return f"KeyVaultSecret({self._reference.secret_uri!r}, '{_MASK}')"
