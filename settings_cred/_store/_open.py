"""Opening the store that ``TokenCachePersistenceOptions`` describe (loaded only when one is configured)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from .. import audit
from .._secret import Secret
from ._errors import StoreConfigurationError
from ._files import FileBackend
from ._guard import Breaker
from ._key_strength import KEY_ADVICE
from ._options import ENV_CACHE_DIR, ENV_CACHE_KEY, ENV_CACHE_URL, TokenCachePersistenceOptions, masked_url
from ._platform_key import platform_key
from ._redis import RedisBackend, connect
from ._sealing import PlainText, Sealer, StoreKey
from ._store import Store, shared_store


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
        return Store(Breaker(backend), key, options.name)

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
    return shared_store(identity, lambda: Store(Breaker(backend), sealer, options.name))


def _secret(given: str | Secret | None, environ: Mapping[str, str], variable: str) -> Secret | None:
    if isinstance(given, Secret):
        return given
    if given:
        return Secret(given)
    value = environ.get(variable)
    return Secret(value) if value else None
