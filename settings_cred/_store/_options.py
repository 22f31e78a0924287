"""``TokenCachePersistenceOptions``, and opening the store they describe.

Where entries go, in order: a Redis URL or client (``url``/``redis_client``, ``AZURE_TOKEN_CACHE_URL``),
shared by a fleet; otherwise files in a trusted directory, shared by the processes of one host.
How they are protected: AES-256-GCM under a configured key (``encryption_key``,
``AZURE_TOKEN_CACHE_KEY``), required for Redis; for files without one, a random key kept in the
platform's secret store (Keychain, DPAPI, libsecret); plain text only with
``allow_unencrypted_storage=True``, reported by a ``cache.unencrypted`` audit event.
"""

from __future__ import annotations

import hashlib
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .. import audit
from .._secret import Secret
from ._account import DEFAULT_LEASE_WAIT
from ._errors import StoreConfigurationError
from ._files import ENV_CACHE_DIR, FileBackend
from ._guard import Breaker
from ._platform_key import platform_key
from ._redis import ENV_CACHE_URL, RedisBackend, connect, masked_url
from ._sealing import ENV_CACHE_KEY, KEY_ADVICE, PlainText, Sealer, StoreKey
from ._store import Store, shared_store

__all__ = ["ENV_CACHE_DIR", "ENV_CACHE_KEY", "ENV_CACHE_URL", "TokenCachePersistenceOptions", "open_store"]

_NAME_CHARACTERS: Final = frozenset(string.ascii_letters + string.digits + "._-")


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
        if not self.name or self.name.startswith(".") or not set(self.name) <= _NAME_CHARACTERS:
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


def open_store(options: TokenCachePersistenceOptions, environ: Mapping[str, str]) -> Store:
    """The process's store for `options` (shared with every credential using the same one)."""
    secret = _secret(options.encryption_key, environ, ENV_CACHE_KEY)
    url = _secret(options.url, environ, ENV_CACHE_URL)
    if options.redis_client is not None or url is not None:
        return _redis_store(options, url, secret)
    return _file_store(options, secret, environ)


def _redis_store(options: TokenCachePersistenceOptions, url: Secret | None, secret: Secret | None) -> Store:
    if secret is None:
        raise StoreConfigurationError(
            f"{ENV_CACHE_URL} (a shared Redis store) needs {ENV_CACHE_KEY}: a shared store never holds a readable "
            f"token. Fix: give every process the same {ENV_CACHE_KEY}; {KEY_ADVICE}",
            setting=ENV_CACHE_KEY,
        )
    key = StoreKey(secret)
    client = options.redis_client
    if client is not None:
        where = ("client", str(id(client)))
    else:
        assert url is not None  # noqa: S101 - checked by the caller
        where = ("url", hashlib.sha256(url.reveal().encode("utf-8")).hexdigest())

    def build() -> Store:
        location = masked_url(url.reveal()) if url is not None else None
        backend = RedisBackend(client if client is not None else connect(url), location=location)  # type: ignore[arg-type]
        return Store(Breaker(backend), key, options.name, encrypted=True)

    return shared_store((*where, key.name("registry"), options.name), build)


def _file_store(options: TokenCachePersistenceOptions, secret: Secret | None, environ: Mapping[str, str]) -> Store:
    configured = options.directory or environ.get(ENV_CACHE_DIR)
    backend = FileBackend(Path(configured) if configured else Path.home() / ".IdentityService")
    sealer: Sealer
    if secret is None:
        secret = platform_key(backend.directory, options.name)
    if secret is not None:
        sealer = StoreKey(secret)
    elif options.allow_unencrypted_storage:
        sealer = PlainText()
        audit.emit(audit.CACHE_UNENCRYPTED, location=backend.location)
    else:
        raise StoreConfigurationError(
            "The persistent token cache cannot be encrypted on this machine (no usable Keychain, DPAPI or "
            f"libsecret). Fix: set {ENV_CACHE_KEY} (or TokenCachePersistenceOptions(encryption_key=...)) to a "
            f"random secret; {KEY_ADVICE}. Or pass allow_unencrypted_storage=True to store tokens in plain text.",
            setting=ENV_CACHE_KEY,
        )
    identity = ("files", backend.location, sealer.name("registry"), options.name)
    return shared_store(identity, lambda: Store(Breaker(backend), sealer, options.name, encrypted=secret is not None))


def _secret(given: str | Secret | None, environ: Mapping[str, str], variable: str) -> Secret | None:
    if isinstance(given, Secret):
        return given
    if given:
        return Secret(given)
    value = environ.get(variable)
    return Secret(value) if value else None
