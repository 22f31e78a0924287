"""Secrets as a type: masked in every repr, read through one explicit method, compared by fingerprint."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Protocol, final, runtime_checkable

_MASK = "**********"
_PROCESS_SALT = secrets.token_bytes(32)


@final
class Secret:
    """A secret string whose `repr` and `str` never show it; `reveal()` is the only way in."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret must be a str")
        self._value = value

    def reveal(self) -> str:
        """The secret itself: call only where it leaves for Entra ID."""
        return self._value

    def fingerprint(self) -> bytes:
        """A salted HMAC of the value, stable within this process, useless outside it."""
        return hmac.new(_PROCESS_SALT, self._value.encode("utf-8"), hashlib.sha256).digest()

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode("utf-8"), other._value.encode("utf-8"))

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


@final
class SecretBytes:
    """Secret bytes (a certificate with its private key) whose `repr` never shows them; `reveal()` is the way in."""

    __slots__ = ("_value",)

    def __init__(self, value: bytes) -> None:
        self._value = bytes(value)

    def reveal(self) -> bytes:
        """The bytes themselves: call only where they are used."""
        return self._value

    def __repr__(self) -> str:
        return f"SecretBytes('{_MASK}')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("SecretBytes cannot be pickled")


@runtime_checkable
class SecretSource(Protocol):
    """Where a password comes from; asked on every sign-in, so a rotated secret is picked up."""

    def get(self) -> Secret:
        """The current value."""
        ...  # pragma: no cover


@final
class StaticSecret:
    """A secret fixed at construction (a password passed as a string)."""

    __slots__ = ("_secret",)

    def __init__(self, value: str | Secret) -> None:
        self._secret = value if isinstance(value, Secret) else Secret(value)

    def get(self) -> Secret:
        """The value given at construction."""
        return self._secret

    def __repr__(self) -> str:
        return f"StaticSecret('{_MASK}')"


def as_secret_source(password: str | Secret | SecretSource) -> SecretSource:
    """Accept a plain password, a `Secret`, or any `SecretSource`."""
    if isinstance(password, (str, Secret)):
        return StaticSecret(password)
    if isinstance(password, SecretSource):
        return password
    raise TypeError("password must be a str, a Secret or a SecretSource")
