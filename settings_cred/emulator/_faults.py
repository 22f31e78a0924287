"""Injected faults: fail, slow down or drop the next matching requests."""

from __future__ import annotations

from typing import Final, Literal, get_args

from ._errors import AADSTS_ERRORS

Route = Literal[
    "token", "instance_discovery", "openid_configuration", "user_realm", "keyvault", "managed_identity", "imds"
]
"""The endpoint a request was routed to."""
Endpoint = Literal[Route, "any"]
"""An endpoint to match faults and counts against; ``"any"`` matches every request."""
ENDPOINTS: Final = frozenset(get_args(Route)) | {"any"}


class Fault:
    """One injected fault; ``hits`` counts the requests it has answered so far."""

    __slots__ = ("_hits", "_remaining", "aadsts", "delay", "drop", "endpoint", "grant_type", "retry_after", "status")

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        status: int | None,
        aadsts: int | None,
        retry_after: int | None,
        drop: bool,
        delay: float,
        times: int | None,
        grant_type: str | None,
    ) -> None:
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {sorted(ENDPOINTS)}, got {endpoint!r}")
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"status must be an HTTP status code, got {status!r}")
        if aadsts is not None and aadsts not in AADSTS_ERRORS:
            raise ValueError(f"no AADSTS{aadsts} in the emulator's table; known: {sorted(AADSTS_ERRORS)}")
        if times is not None and times < 1:
            raise ValueError(f"times must be at least 1 (or None for until cleared), got {times!r}")
        if delay < 0 or (retry_after is not None and retry_after < 0):
            raise ValueError("delay and retry_after must not be negative")
        self.endpoint: Final = endpoint
        self.status: Final = status
        self.aadsts: Final = aadsts
        self.retry_after: Final = retry_after
        self.drop: Final = drop
        self.delay: Final = delay
        self.grant_type: Final = grant_type
        self._remaining = times
        self._hits = 0

    @property
    def hits(self) -> int:
        """How many requests this fault has answered."""
        return self._hits

    @property
    def remaining(self) -> int | None:
        """How many more requests it will answer (``None``: until cleared)."""
        return self._remaining

    @property
    def answers(self) -> bool:
        """Whether it replaces the answer (status, AADSTS code or drop) rather than only delaying it."""
        return self.drop or self.status is not None or self.aadsts is not None

    def matches(self, route: Route | None, grant_type: str | None) -> bool:
        """Whether a request to ``route`` (with this ``grant_type``, for token requests) triggers it."""
        if self.endpoint not in ("any", route):
            return False
        return self.grant_type is None or self.grant_type == grant_type

    def consume(self) -> bool:
        """Count one hit; ``True`` when the fault is used up."""
        self._hits += 1
        if self._remaining is None:
            return False
        self._remaining -= 1
        return self._remaining == 0

    def __repr__(self) -> str:
        names = ("endpoint", "status", "aadsts", "retry_after", "drop", "delay", "grant_type")
        values = {name: getattr(self, name, None) for name in names}  # robust while __init__ is failing
        spec = ", ".join(f"{name}={value!r}" for name, value in values.items() if value not in (None, False, 0.0))
        return f"Fault({spec}, hits={getattr(self, '_hits', 0)}, remaining={getattr(self, '_remaining', None)})"


class FaultPlan:
    """Faults in the order they were injected; callers hold the emulator's lock."""

    __slots__ = ("_faults",)

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault after those already injected."""
        self._faults.append(fault)

    def take(self, route: Route | None, grant_type: str | None) -> Fault | None:
        """The first fault matching this request, consumed once; ``None`` if none matches."""
        for index, fault in enumerate(self._faults):
            if fault.matches(route, grant_type):
                if fault.consume():
                    del self._faults[index]
                return fault
        return None

    def clear(self) -> None:
        """Forget every pending fault."""
        self._faults.clear()
