"""Cache files at rest: atomic 0600 writes, AES-256-GCM when a key is configured, never a crash on bad data.

``CacheFile`` is an msal-extensions persistence (msal-extensions supplies cross-process locking);
the same class stores the lockout records. A file that cannot be decrypted (wrong key, truncated,
tampered, or not ours) is reported as an audit event and read as empty; the next save replaces it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from msal_extensions.persistence import BasePersistence, PersistenceNotFound

from .. import audit
from .._secret import Secret

MAGIC: Final = b"SCC1"
_NONCE_BYTES: Final = 12
MIN_KEY_CHARACTERS: Final = 32
EMPTY: Final = "{}"


class CacheKey:
    """An AES-256-GCM key derived (HKDF-SHA256) from a configured secret of at least 32 characters."""

    __slots__ = ("_aead",)

    def __init__(self, secret: str | Secret) -> None:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if len(value) < MIN_KEY_CHARACTERS:
            raise ValueError(
                f"The token cache key (AZURE_TOKEN_CACHE_KEY) must have at least {MIN_KEY_CHARACTERS} characters of "
                'randomness; generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"settings_cred token cache v1")
        self._aead = AESGCM(derived.derive(value.encode("utf-8")))

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        """Encrypt and authenticate `plaintext`, bound to `context` (the file's name)."""
        nonce = os.urandom(_NONCE_BYTES)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, MAGIC + context)

    def open(self, blob: bytes, context: bytes) -> bytes:
        """Decrypt `blob`; raises ``ValueError`` if it is not ours, was altered, or the key is wrong."""
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _NONCE_BYTES + 16:
            raise ValueError("not a settings_cred encrypted cache file")
        nonce = blob[len(MAGIC) : len(MAGIC) + _NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[len(MAGIC) + _NONCE_BYTES :], MAGIC + context)
        except InvalidTag:
            raise ValueError("wrong key, or the file was truncated or altered") from None

    def __repr__(self) -> str:
        return "CacheKey('**********')"


def private_directory(path: Path) -> Path:
    """Create `path` (mode 0700) if needed and return it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def write_atomically(location: Path, data: bytes) -> None:
    """Replace `location` with `data` in one rename; readers see the old or the new file, never half."""
    handle, temporary = tempfile.mkstemp(dir=location.parent, prefix=f".{location.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, location)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class CacheFile(BasePersistence):  # type: ignore[misc]
    """A file persistence for msal-extensions: encrypted with `key` when given, plain text otherwise."""

    def __init__(self, location: Path, key: CacheKey | None) -> None:
        self._location = location
        self._key = key
        self.is_encrypted = key is not None
        private_directory(location.parent)

    def save(self, content: str) -> None:
        """Write `content` (sealed when a key is configured) atomically with mode 0600."""
        data = content.encode("utf-8")
        if self._key is not None:
            data = self._key.seal(data, self._location.name.encode("utf-8"))
        write_atomically(self._location, data)
        audit.emit(audit.CACHE_SAVED, location=str(self._location), encrypted=self.is_encrypted)

    def load(self) -> str:
        """The content, or an empty cache when it cannot be read back (reported, never raised)."""
        try:
            blob = self._location.read_bytes()
        except FileNotFoundError:
            raise PersistenceNotFound(
                err_no=errno.ENOENT, message="no cache file yet", location=str(self._location)
            ) from None
        try:
            text = self._decode(blob)
        except ValueError as exc:
            audit.emit(audit.CACHE_UNREADABLE, location=str(self._location), reason=str(exc))
            return EMPTY
        audit.emit(audit.CACHE_LOADED, location=str(self._location), encrypted=self.is_encrypted)
        return text

    def _decode(self, blob: bytes) -> str:
        if self._key is not None:
            blob = self._key.open(blob, self._location.name.encode("utf-8"))
        elif blob.startswith(MAGIC):
            raise ValueError("the file is encrypted but no token cache key is configured")
        try:
            return blob.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the file is not valid UTF-8 text") from None

    def time_last_modified(self) -> float:
        """The file's modification time (msal-extensions reloads when it changes)."""
        try:
            return self._location.stat().st_mtime
        except FileNotFoundError:
            raise PersistenceNotFound(
                err_no=errno.ENOENT, message="no cache file yet", location=str(self._location)
            ) from None

    def get_location(self) -> str:
        """The file's path (msal-extensions puts its lock file beside it)."""
        return str(self._location)
