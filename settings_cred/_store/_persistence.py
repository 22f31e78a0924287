"""Persistent token caches: where the files live and how they are protected at rest.

Protection, in order: our AES-256-GCM with a configured key (``encryption_key`` or
``AZURE_TOKEN_CACHE_KEY``); the platform's store through msal-extensions (libsecret, Keychain,
DPAPI); plain text only with ``allow_unencrypted_storage=True``, reported by a ``cache.unencrypted``
audit event. Locking across processes is msal-extensions'.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import msal

from .. import audit
from .._secret import Secret
from ._cache_files import CacheFile, CacheKey

ENV_CACHE_KEY: Final = "AZURE_TOKEN_CACHE_KEY"
ENV_CACHE_DIR: Final = "SETTINGS_CRED_CACHE_DIR"
_OWN_FORMAT_SUFFIX: Final = ".sc"


@dataclass(frozen=True)
class TokenCachePersistenceOptions:
    """Options for the persistent token cache (azure-identity's, plus two of ours).

    :param name: prefix of the cache's file names, so applications can keep separate caches.
    :param allow_unencrypted_storage: store in plain text when no encryption is available.
    :param encryption_key: a secret of at least 32 characters; the cache is then encrypted with
        AES-256-GCM and works in any container. Defaults to ``AZURE_TOKEN_CACHE_KEY``.
    :param directory: where the files live; defaults to ``SETTINGS_CRED_CACHE_DIR`` or
        ``~/.IdentityService`` (azure-identity's location).
    """

    name: str = "msal.cache"
    allow_unencrypted_storage: bool = False
    encryption_key: str | Secret | None = field(default=None, repr=False)
    directory: str | os.PathLike[str] | None = None


class CacheLayout:
    """The files one set of options uses, and how they are protected."""

    def __init__(self, options: TokenCachePersistenceOptions, environ: Mapping[str, str]) -> None:
        configured = options.directory or environ.get(ENV_CACHE_DIR)
        self.directory = Path(configured) if configured else Path.home() / ".IdentityService"
        secret = options.encryption_key or environ.get(ENV_CACHE_KEY)
        self.key = CacheKey(secret) if secret else None
        self._options = options

    def token_cache(self, *, cae: bool) -> msal.TokenCache:
        """The msal token cache for CAE or non-CAE tokens (separate files, as in azure-identity)."""
        import msal_extensions  # noqa: PLC0415 - only needed once a persistent cache is asked for

        return msal_extensions.PersistedTokenCache(self.persistence(".cae" if cae else ".nocae"))

    def persistence(self, suffix: str) -> Any:
        """An msal-extensions persistence for the file ``<name><suffix>``."""
        location = self.directory / (self._options.name + suffix)
        if self.key is not None:
            return CacheFile(location.with_name(location.name + _OWN_FORMAT_SUFFIX), self.key)
        try:
            import msal_extensions  # noqa: PLC0415

            return msal_extensions.build_encrypted_persistence(str(location))
        except Exception as exc:
            if not self._options.allow_unencrypted_storage:
                raise ValueError(
                    "The persistent token cache cannot be encrypted on this machine (no usable libsecret, Keychain "
                    f"or DPAPI). Set {ENV_CACHE_KEY} (or TokenCachePersistenceOptions(encryption_key=...)) to a "
                    "random secret of 32+ characters, or pass allow_unencrypted_storage=True to store tokens in "
                    "plain text."
                ) from exc
        audit.emit(audit.CACHE_UNENCRYPTED, location=str(location))
        return CacheFile(location, None)

    @property
    def metadata_file(self) -> Path:
        """Where authority metadata is kept (public data; keys are hashed URLs)."""
        return self.directory / (self._options.name + ".metadata.json")
