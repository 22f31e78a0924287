"""Sealed entries: AES-256-GCM bound to the entry's name and fence, and keyed names and fingerprints.

Everything derives from one configured secret (``AZURE_TOKEN_CACHE_KEY``) with HKDF-SHA256, one key
per purpose: entry encryption, entry names (so no username appears in a file or Redis key name), and
password fingerprints (so a rejected password is recorded as a keyed HMAC, never the password).

An entry's layout is ``MAGIC | fence (16 hex digits) | nonce | ciphertext``; the fence is readable by
a Redis script for compare-and-set and authenticated as associated data together with the name, so
entries can be neither swapped nor replayed under another fence.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import Final, NamedTuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .._secret import Secret
from ._backend import FENCE_DIGITS, fence_field
from ._key_strength import check_key_strength

MAGIC: Final = b"SCS1"
PLAIN_MAGIC: Final = b"SCP1"
HEADER_BYTES: Final = len(MAGIC) + FENCE_DIGITS
_NONCE_BYTES: Final = 12
_TAG_BYTES: Final = 16
_EXPIRY: Final = struct.Struct(">d")


class UnreadableEntry(ValueError):  # noqa: N818 - reads as what it is: an entry we cannot read
    """An entry that is not ours, was altered, or was sealed with another key."""


class Sealed(NamedTuple):
    """An opened entry: the fence it was written under, its payload, and when it stops being valid."""

    fence: int
    payload: bytes
    expires_at: float


def fence_of(blob: bytes) -> int:
    """The fence recorded in an entry's header (0 when the header is not ours); unauthenticated."""
    try:
        return int(blob[len(MAGIC) : HEADER_BYTES], 16) if blob[: len(MAGIC)] in (MAGIC, PLAIN_MAGIC) else 0
    except ValueError:
        return 0


class StoreKey:
    """Keys derived from the configured cache key; ``repr`` never shows anything of it."""

    __slots__ = ("_aead", "_fingerprints", "_names")

    def __init__(self, secret: str | Secret) -> None:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        check_key_strength(value)
        material = value.encode("utf-8")
        self._aead = AESGCM(_derive(material, b"settings_cred store v1 entries"))
        self._names = _derive(material, b"settings_cred store v1 names")
        self._fingerprints = _derive(material, b"settings_cred store v1 fingerprints")

    def name(self, *parts: str) -> str:
        """A stable keyed hash of `parts`: the same across the fleet, meaningless without the key."""
        joined = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._names, joined, hashlib.sha256).hexdigest()[:32]

    def fingerprint(self, secret: Secret) -> str:
        """A keyed HMAC of a secret (a rejected password), comparable across the fleet."""
        return hmac.new(self._fingerprints, secret.reveal().encode("utf-8"), hashlib.sha256).hexdigest()

    def seal(self, name: str, fence: int, payload: bytes, expires_at: float) -> bytes:
        """Encrypt and authenticate `payload` for entry `name` under `fence`."""
        header = MAGIC + fence_field(fence)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, _EXPIRY.pack(expires_at) + payload, header + name.encode("utf-8"))
        return header + nonce + sealed

    def open(self, name: str, blob: bytes) -> Sealed:
        """Decrypt entry `name`; :class:`UnreadableEntry` if it is not ours, was altered or moved."""
        if blob[: len(MAGIC)] != MAGIC or len(blob) < HEADER_BYTES + _NONCE_BYTES + _TAG_BYTES + _EXPIRY.size:
            raise UnreadableEntry("not a settings_cred sealed entry")
        header = blob[:HEADER_BYTES]
        nonce = blob[HEADER_BYTES : HEADER_BYTES + _NONCE_BYTES]
        try:
            plain = self._aead.decrypt(nonce, blob[HEADER_BYTES + _NONCE_BYTES :], header + name.encode("utf-8"))
        except InvalidTag:
            raise UnreadableEntry("sealed with another key, or altered, truncated or moved") from None
        (expires_at,) = _EXPIRY.unpack_from(plain)
        return Sealed(fence_of(blob), plain[_EXPIRY.size :], expires_at)

    def __repr__(self) -> str:
        return "StoreKey('**********')"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a StoreKey cannot be pickled")


class PlainText:
    """The opted-in plain-text format (``allow_unencrypted_storage=True``): same layout, no protection."""

    __slots__ = ()

    def name(self, *parts: str) -> str:
        """An unkeyed hash of `parts` (still no username in a file name)."""
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    def fingerprint(self, secret: Secret) -> str:
        """An unkeyed hash would make a guessable password checkable: plain text keeps no fingerprints."""
        return ""

    def seal(self, name: str, fence: int, payload: bytes, expires_at: float) -> bytes:
        """The payload in clear, with its header and expiry."""
        return PLAIN_MAGIC + fence_field(fence) + _EXPIRY.pack(expires_at) + payload

    def open(self, name: str, blob: bytes) -> Sealed:
        """The payload of a plain-text entry; :class:`UnreadableEntry` if it is not one."""
        if blob[: len(PLAIN_MAGIC)] != PLAIN_MAGIC or len(blob) < HEADER_BYTES + _EXPIRY.size:
            raise UnreadableEntry("not a settings_cred plain-text entry")
        (expires_at,) = _EXPIRY.unpack_from(blob, HEADER_BYTES)
        return Sealed(fence_of(blob), blob[HEADER_BYTES + _EXPIRY.size :], expires_at)

    def __repr__(self) -> str:
        return "PlainText()"


Sealer = StoreKey | PlainText


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)
