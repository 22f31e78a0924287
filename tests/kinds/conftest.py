"""Fixtures for the application and managed identity kinds: a confidential app, and credentials sync or async."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import settings_cred
import settings_cred.aio
from settings_cred.emulator import EntraEmulator
from tests.conftest import Driver, Drivers

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
    with Drivers(request.param) as drivers:

        def factory(name: str, *args: Any, **kwargs: Any) -> Driver:
            namespace: Any = settings_cred.aio if drivers.loop else settings_cred
            return drivers.add(getattr(namespace, name)(*args, **{**tenant.pipeline_options(), **kwargs}))

        yield factory
