"""Persistent token caches on msal-extensions, with azure-identity's option names and file names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msal

_CAE_SUFFIX = ".cae"
_NON_CAE_SUFFIX = ".nocae"


@dataclass(frozen=True)
class TokenCachePersistenceOptions:
    """Options for the persistent token cache (same names and defaults as azure-identity's).

    :param name: prefix of the cache's file name, so applications can keep separate caches.
    :param allow_unencrypted_storage: store the cache in plain text when no encryption is available.
    """

    name: str = "msal.cache"
    allow_unencrypted_storage: bool = False


def cache_directory() -> Path:
    """Where caches live: ``$SETTINGS_CRED_CACHE_DIR`` or ``~/.IdentityService`` like azure-identity."""
    configured = os.environ.get("SETTINGS_CRED_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".IdentityService"


def load_persistent_cache(options: TokenCachePersistenceOptions, *, cae: bool) -> msal.TokenCache:
    """An msal token cache persisted in a file shared by every process of this user."""
    import msal_extensions  # noqa: PLC0415 - optional until a persistent cache is asked for

    directory = cache_directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    location = str(directory / (options.name + (_CAE_SUFFIX if cae else _NON_CAE_SUFFIX)))
    persistence: Any
    try:
        persistence = msal_extensions.build_encrypted_persistence(location)
    except Exception as exc:
        if not options.allow_unencrypted_storage:
            raise ValueError(
                "No encryption is available for the persistent token cache on this machine (libsecret, "
                "Keychain or DPAPI). Pass TokenCachePersistenceOptions(allow_unencrypted_storage=True) to "
                "store it in plain text, or do not configure a persistent cache."
            ) from exc
        persistence = msal_extensions.FilePersistence(location)
    return msal_extensions.PersistedTokenCache(persistence)
