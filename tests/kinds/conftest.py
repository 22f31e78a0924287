"""Fixtures for the application and managed identity kinds: a confidential app, and credentials sync or async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import settings_cred
import settings_cred.aio
from settings_cred.emulator import EntraEmulator
from tests.conftest import Driver

APP_ID = "a5c1e7f3-0b2d-4c6e-8f1a-3b5d7e9f0c2a"
SECRET = "Client-Secret-Canary-4e7a91"
VAULT_SCOPE = "https://vault.azure.net/.default"
Make = Callable[..., Driver]


@pytest.fixture
def tenant(entra_emulator: EntraEmulator) -> EntraEmulator:
    """The emulator with a confidential app (client secret) registered in its default tenant."""
    entra_emulator.add_app(APP_ID, allow_public_client_flows=False)
    entra_emulator.add_client_secret(APP_ID, SECRET)
    return entra_emulator


@pytest.fixture(params=["sync", "async"])
def make(request: pytest.FixtureRequest, tenant: EntraEmulator) -> Iterator[Make]:
    """Build any credential class by name (``ClientSecretCredential``...), sync or async, routed to the emulator."""
    loop = asyncio.new_event_loop() if request.param == "async" else None
    made: list[Driver] = []

    def factory(name: str, *args: Any, **kwargs: Any) -> Driver:
        namespace: Any = settings_cred.aio if loop else settings_cred
        credential = getattr(namespace, name)(*args, **{**tenant.pipeline_options(), **kwargs})
        driver = Driver(credential, loop)
        made.append(driver)
        return driver

    yield factory
    for driver in made:
        driver.close()
    if loop is not None:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
