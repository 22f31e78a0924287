"""What every scenario is given: the running emulator, the route to it, and how thorough to be; and the
concurrent first calls that the single-flight scenarios share."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from settings_cred.emulator import EntraEmulator

from ._contenders import PASSWORD, SCOPE, USERNAME, Route
from ._figures import Section

THREADS = 32
"""How many threads the single-flight scenarios release together on one fresh credential."""


@dataclass(frozen=True, slots=True)
class Run:
    """One benchmark run: `quick` trades precision for time (smoke tests, a first look)."""

    idp: EntraEmulator
    quick: bool = False

    @property
    def route(self) -> Route:
        """The emulator's proxy and CA bundle."""
        return Route(self.idp.proxy_url, self.idp.ca_bundle)

    def scale(self, full: int, quick: int) -> int:
        """`full` repetitions normally, `quick` ones in a quick run."""
        return quick if self.quick else full


Scenario = Callable[[Run], Section]
"""A scenario measures both contenders and returns its section of the report."""


@contextmanager
def emulator() -> Iterator[EntraEmulator]:
    """The emulator with the benchmark's user, every setting at its default."""
    with EntraEmulator() as idp:
        idp.add_user(USERNAME, PASSWORD)
        yield idp


@contextmanager
def pristine(idp: EntraEmulator) -> Iterator[EntraEmulator]:
    """Leave the emulator as a scenario found it: no latency, no faults, no refresh_in, an empty log."""
    try:
        yield idp
    finally:
        idp.latency, idp.refresh_in = 0.0, None
        idp.clear_faults()
        idp.clear_requests()


def first_calls(held: Any) -> None:
    """:data:`THREADS` threads, released together by a barrier, each call ``held.get_token(SCOPE)`` once."""
    barrier = threading.Barrier(THREADS)

    def call(_: int) -> None:
        barrier.wait()
        held.get_token(SCOPE)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(call, range(THREADS)))
