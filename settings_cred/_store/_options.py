"""``TokenCachePersistenceOptions``: where the persistent cache lives, how it is protected, how it is shared.

Where entries go, in order: a Redis URL or client (``url``/``redis_client``, ``AZURE_TOKEN_CACHE_URL``),
shared by a fleet; otherwise files in a trusted directory, shared by the processes of one host.
How they are protected: AES-256-GCM under a configured key (``encryption_key``,
``AZURE_TOKEN_CACHE_KEY``), required for Redis; for files without one, a random key kept in the
platform's secret store (Keychain, DPAPI, libsecret); plain text only with
``allow_unencrypted_storage=True``, reported by a ``cache.unencrypted`` audit event.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from .._secret import Secret
from ._errors import StoreConfigurationError

__all__ = ["DEFAULT_LEASE_WAIT", "ENV_CACHE_DIR", "ENV_CACHE_KEY", "ENV_CACHE_URL", "TokenCachePersistenceOptions"]

ENV_CACHE_KEY: Final = "AZURE_TOKEN_CACHE_KEY"
ENV_CACHE_URL: Final = "AZURE_TOKEN_CACHE_URL"
REDIS_SCHEMES: Final = frozenset({"redis", "rediss", "unix"})
"""The URL schemes of a Redis store (``AZURE_TOKEN_CACHE_URL``)."""
ENV_CACHE_DIR: Final = "SETTINGS_CRED_CACHE_DIR"
_NAME_CHARACTERS: Final = frozenset(string.ascii_letters + string.digits + "._-")
DEFAULT_LEASE_WAIT: Final = 60.0
"""Seconds a process waits for another one's sign-in before giving up with an error."""


def valid_cache_name(value: str) -> bool:
    """Whether ``value`` is a cache name: letters, digits, ``.``, ``_`` and ``-``, not starting with ``.``."""
    return bool(value) and not value.startswith(".") and set(value) <= _NAME_CHARACTERS


def masked_url(url: str) -> str:
    """The URL with its password (and any user name) replaced by ``***``, for reports and events; so is the
    value of a ``password=`` query parameter (redis-py reads one, as in ``unix:///run/redis.sock?password=...``)."""
    parts = urlsplit(url)
    if "@" in parts.netloc:
        host = parts.netloc.rpartition("@")[2]
        url = urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))
    head, mark, query = url.partition("?")
    pairs = (pair.partition("=") for pair in query.split("&"))
    return head + mark + "&".join(f"{k}=***" if k.lower() == "password" else k + eq + v for k, eq, v in pairs)


@dataclass(frozen=True, repr=False)
class TokenCachePersistenceOptions:
    """Options for the persistent token cache (azure-identity's two, plus where and how to share it).

    :param name: the cache's name: separate names keep separate caches in one directory or Redis.
    :param allow_unencrypted_storage: store files in plain text when no key and no platform store exist.
    :param encryption_key: a random secret of at least 32 characters (``AZURE_TOKEN_CACHE_KEY``): entries
        are sealed with AES-256-GCM under keys derived from it. Required for Redis.
    :param directory: the cache directory (``SETTINGS_CRED_CACHE_DIR``, default ``~/.IdentityService``);
        it must belong to this user and be writable by nobody else.
    :param url: a Redis URL (``AZURE_TOKEN_CACHE_URL``): ``redis://``, ``rediss://`` (TLS) or ``unix://``;
        every process with the same URL and key shares sign-ins, refreshes and lockout records.
    :param redis_client: a ready ``redis.Redis`` client instead of a URL (Sentinel, custom TLS...).
    :param sign_in_wait: seconds a process waits for another process's sign-in to the same account before
        raising :class:`~settings_cred.SharedSignInTimeoutError` (it never signs in beside it).
    """

    name: str = "msal.cache"
    allow_unencrypted_storage: bool = False
    encryption_key: str | Secret | None = None
    directory: str | os.PathLike[str] | None = None
    url: str | Secret | None = None
    redis_client: Any = field(default=None, compare=False)
    sign_in_wait: float = DEFAULT_LEASE_WAIT

    def __post_init__(self) -> None:
        for name in ("encryption_key", "url"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, Secret(value) if value else None)
        if not self.sign_in_wait > 0:
            raise StoreConfigurationError(
                "TokenCachePersistenceOptions.sign_in_wait must be a positive number of seconds.",
                setting="sign_in_wait",
            )
        if not valid_cache_name(self.name):
            raise StoreConfigurationError(
                "The token cache name may use letters, digits, '.', '_' and '-' and must not start with '.' "
                "(TokenCachePersistenceOptions.name, AZURE_TOKEN_CACHE_NAME).",
                setting="AZURE_TOKEN_CACHE_NAME",
            )

    def __repr__(self) -> str:
        url = masked_url(self.url.reveal()) if isinstance(self.url, Secret) else None
        fields = {
            "name": self.name,
            "allow_unencrypted_storage": self.allow_unencrypted_storage,
            "encryption_key": "**********" if self.encryption_key else None,
            "directory": os.fspath(self.directory) if self.directory is not None else None,
            "url": url,
            "redis_client": None if self.redis_client is None else type(self.redis_client).__name__,
            "sign_in_wait": self.sign_in_wait,
        }
        return "TokenCachePersistenceOptions(" + ", ".join(f"{k}={v!r}" for k, v in fields.items()) + ")"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError(
            "TokenCachePersistenceOptions cannot be pickled: it may hold the cache key and a Redis password. "
            "Pass the settings to each process instead (AZURE_TOKEN_CACHE_KEY, AZURE_TOKEN_CACHE_URL)."
        )
