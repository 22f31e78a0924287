"""pytest fixtures for testing code against the Entra emulator (registered as a ``pytest11`` plugin).

``entra_emulator`` gives each test a freshly reset emulator; the servers start once per session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from . import EntraEmulator


@pytest.fixture(scope="session")
def entra_emulator_session() -> Iterator[EntraEmulator]:
    """One running Entra emulator shared by the whole test session (state carries over between tests)."""
    from . import EntraEmulator  # noqa: PLC0415 - loading the plugin (every pytest run) must stay cheap

    with EntraEmulator() as emulator:
        yield emulator


@pytest.fixture
def entra_emulator(entra_emulator_session: EntraEmulator) -> EntraEmulator:
    """The session's Entra emulator, reset: only the default tenant, no users, faults or logged requests."""
    entra_emulator_session.reset()
    return entra_emulator_session
