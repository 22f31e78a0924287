"""The seam every shared store implements: opaque entries with compare-and-set, and leases with fences.

Backends see only storage keys and sealed bytes; sealing, naming and the meaning of entries live
above them. A backend reports any failure to reach or use its storage as :class:`StoreUnavailable`,
never as its library's own exception.
"""

from __future__ import annotations

from typing import Final, Protocol

FENCE_DIGITS: Final = 16
"""Hex digits of a fence as backends store and compare it."""


def fence_field(fence: int) -> bytes:
    """The fence as entries and lease files record it (fixed width, so byte order is numeric order)."""
    return b"%016x" % fence


class StoreUnavailable(Exception):  # noqa: N818 - a state, reported by audit events, never raised to callers
    """The store could not be used right now; ``reason`` names the failure's kind, never data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Lease(Protocol):
    """Exclusive right to sign in or refresh for one account, fleet-wide, while it is held."""

    @property
    def fence(self) -> int:
        """Larger than every fence handed out before for the same lease name: writes carry it."""
        ...  # pragma: no cover

    def release(self) -> None:
        """Give the lease up (idempotent)."""
        ...  # pragma: no cover


class Backend(Protocol):
    """Storage for sealed entries and leases (files on one host, or Redis for a fleet)."""

    @property
    def location(self) -> str:
        """Where the store is, for people: a directory or a URL with its password masked."""
        ...  # pragma: no cover

    def read(self, key: str) -> bytes | None:
        """The entry stored under `key`, or None."""
        ...  # pragma: no cover

    def write(self, key: str, blob: bytes, *, fence: int, ttl: float) -> bool:
        """Store `blob` unless the stored entry has a larger fence; whether it was stored."""
        ...  # pragma: no cover

    def delete(self, key: str) -> None:
        """Remove the entry under `key`, if any."""
        ...  # pragma: no cover

    def try_lease(self, key: str, ttl: float) -> Lease | None:
        """The lease `key` if nobody holds it (kept alive while held, lost when the holder dies), else None."""
        ...  # pragma: no cover

    def ping(self) -> None:
        """Raise :class:`StoreUnavailable` unless the store answers."""
        ...  # pragma: no cover

    def close(self) -> None:
        """Release connections and descriptors."""
        ...  # pragma: no cover
