"""What a process holds while it signs in for the fleet, or what it found while it waited."""

from __future__ import annotations

from types import TracebackType
from typing import Generic, TypeVar

from ._backend import Lease

_T = TypeVar("_T")


class FleetLease:
    """The right to sign in or refresh for the account; ``degraded`` when the store could not be asked."""

    __slots__ = ("_lease",)

    def __init__(self, lease: Lease | None) -> None:
        self._lease = lease

    @property
    def fence(self) -> int:
        """The fence writes carry (0 without a lease: such writes only fill an empty entry)."""
        return self._lease.fence if self._lease is not None else 0

    @property
    def degraded(self) -> bool:
        """True when the store was unavailable: this process acts on its own."""
        return self._lease is None

    def __enter__(self) -> FleetLease:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._lease is not None:
            self._lease.release()


class Found(Generic[_T]):
    """What another process's sign-in left in the store while this one waited."""

    __slots__ = ("value",)

    def __init__(self, value: _T) -> None:
        self.value = value


NO_LEASE = FleetLease(None)
"""What a credential without a store signs in under: nobody else to coordinate with."""
