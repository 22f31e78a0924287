"""A random store key kept in the platform's secret store (Keychain, DPAPI, libsecret) through msal-extensions.

Used when a persistent cache is asked for without ``AZURE_TOKEN_CACHE_KEY``: the entries are then
sealed exactly as with a configured key, and only the key lives in the platform's store. Headless
Linux containers have no such store; there a configured key is required.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from .._secret import Secret
from ._files import locked


def platform_key(directory: Path, name: str) -> Secret | None:
    """The key for cache `name`, created on first use; None when no platform store is usable."""
    try:
        import msal_extensions  # noqa: PLC0415 - loaded only for this case

        persistence = msal_extensions.build_encrypted_persistence(str(directory / f"{name}.key"))
        return Secret(_load_or_create(persistence, directory / f".{name}.key.lock"))
    except Exception:  # noqa: BLE001 - whatever the platform store raises means "not usable here"
        return None


def _load_or_create(persistence: object, lock_path: Path) -> str:
    with locked(lock_path):
        try:
            value = str(persistence.load() or "")  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - PersistenceNotFound and friends: no key yet
            value = ""
        if not value:
            value = secrets.token_urlsafe(32)
            persistence.save(value)  # type: ignore[attr-defined]
        return value
