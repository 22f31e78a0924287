"""Asyncio single-flight: concurrent awaiters of one key share one in-flight task."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

_T = TypeVar("_T")


class SingleFlight(Generic[_T]):
    """Run at most one coroutine per key at a time; other callers await its result."""

    def __init__(self) -> None:
        self._flights: dict[Hashable, asyncio.Future[_T]] = {}

    async def run(self, key: Hashable, start: Callable[[], Awaitable[_T]]) -> _T:
        """Await the flight for `key`, starting it with `start()` if none is in the air."""
        flight = self._flights.get(key)
        if flight is None:
            flight = asyncio.ensure_future(start())
            self._flights[key] = flight
            flight.add_done_callback(lambda _: self._flights.pop(key, None))
        return await asyncio.shield(flight)
