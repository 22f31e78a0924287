"""Shared fixtures: the Entra emulator with a default user, and credentials driven sync or async."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from settings_cred import UsernamePasswordCredential
from settings_cred._core._lockout import LOCKOUT_GUARD
from settings_cred.aio import UsernamePasswordCredential as AsyncUsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.redis_server import BINARY as REDIS_SERVER
from tests.redis_server import HOW_TO_RUN as REDIS_HOW_TO_RUN
from tests.redis_server import RedisServer

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
USERNAME = "alice@contoso.onmicrosoft.com"
PASSWORD = "Canary-Pa55word-7f3e9c1b"  # a canary: tests scan captured output for it
VAULT_SCOPE = "https://vault.azure.net/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


CACHE_KEY = "Fleet-Key-1c9e7a0b5d3f42e8-a6b4c2d0e8f71935"
"""A strong AZURE_TOKEN_CACHE_KEY for tests (and a canary: it must never appear in output)."""


def pytest_report_header(config: pytest.Config) -> str | None:
    """One loud line at the top of the run when the Redis tests cannot run here."""
    return None if REDIS_SERVER else REDIS_HOW_TO_RUN


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A fresh redis-server on a free port; skipped (failed under CI=true) where the binary is missing."""
    if REDIS_SERVER is None:
        if os.environ.get("CI") == "true":
            pytest.fail(REDIS_HOW_TO_RUN)
        pytest.skip(REDIS_HOW_TO_RUN)
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.kill()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A private (0700) cache directory."""
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    return directory


@pytest.fixture(autouse=True)
def _fresh_lockout_guard() -> Iterator[None]:
    """Each test starts with no rejected password on record."""
    LOCKOUT_GUARD.clear()
    yield
    LOCKOUT_GUARD.clear()


@pytest.fixture
def idp(entra_emulator: EntraEmulator) -> EntraEmulator:
    """The emulator with Alice, a member of the default tenant."""
    entra_emulator.add_user(USERNAME, PASSWORD, display_name="Alice")
    return entra_emulator


class Driver:
    """Calls a sync or an async credential through one synchronous interface."""

    def __init__(self, credential: Any, loop: asyncio.AbstractEventLoop | None) -> None:
        self.credential = credential
        self._loop = loop
        self.is_async = loop is not None

    def _run(self, value: Any) -> Any:
        return self._loop.run_until_complete(value) if self._loop else value

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        return self._run(self.credential.get_token(*scopes, **kwargs))

    def get_token_info(self, *scopes: str, options: Any = None) -> Any:
        return self._run(self.credential.get_token_info(*scopes, options=options))

    def authenticate(self, **kwargs: Any) -> Any:
        return self._run(self.credential.authenticate(**kwargs))

    def gather(self, count: int, *scopes: str) -> list[Any]:
        """`count` concurrent get_token_info calls: threads for sync, tasks for async."""
        if self._loop is not None:

            async def all_at_once() -> list[Any]:
                return list(await asyncio.gather(*(self.credential.get_token_info(*scopes) for _ in range(count))))

            return self._loop.run_until_complete(all_at_once())
        from concurrent.futures import ThreadPoolExecutor

        barrier = __import__("threading").Barrier(count)

        def one() -> Any:
            barrier.wait()
            return self.credential.get_token_info(*scopes)

        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(lambda _: one(), range(count)))

    def close(self) -> None:
        self._run(self.credential.close())


class Drivers:
    """The drivers one test builds, all sync or all async (on one event loop), closed together at its end."""

    def __init__(self, mode: str) -> None:
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        self._made: list[Driver] = []

    def add(self, credential: Any) -> Driver:
        """Drive `credential` (sync or async, as this pool's mode) and close it with the others."""
        driver = Driver(credential, self.loop)
        self._made.append(driver)
        return driver

    def __enter__(self) -> Drivers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for driver in self._made:
            driver.close()
        if self.loop is not None:
            self.loop.run_until_complete(self.loop.shutdown_default_executor())
            self.loop.close()


CredentialFactory = Callable[..., Driver]


@pytest.fixture(params=["sync", "async"])
def make_credential(request: pytest.FixtureRequest, idp: EntraEmulator) -> Iterator[CredentialFactory]:
    """Build credentials pointed at the emulator (public-cloud authority, proxy mode), sync or async."""
    with Drivers(request.param) as drivers:

        def factory(**overrides: Any) -> Driver:
            arguments: dict[str, Any] = {
                "client_id": CLIENT_ID,
                "username": USERNAME,
                "password": PASSWORD,
                **idp.pipeline_options(),
                **overrides,
            }
            cls = AsyncUsernamePasswordCredential if drivers.loop else UsernamePasswordCredential
            return drivers.add(cls(**arguments))

        yield factory
