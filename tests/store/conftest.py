"""Fixtures for the store's tests: each backend (files, Redis), raw and sealed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from settings_cred._secret import Secret
from settings_cred._store._backend import Backend
from settings_cred._store._files import FileBackend
from settings_cred._store._guard import Breaker
from settings_cred._store._redis import RedisBackend, connect
from settings_cred._store._sealing import StoreKey
from settings_cred._store._store import Store
from tests.conftest import CACHE_KEY


def make_backend(kind: str, location: str) -> Backend:
    """A backend of `kind` (``files`` or ``redis``) at `location` (a directory or a URL)."""
    if kind == "files":
        return FileBackend(Path(location))
    return RedisBackend(connect(Secret(location)))


@pytest.fixture(params=["files", "redis"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """``(kind, location)`` of a fresh, empty store of each kind."""
    if request.param == "files":
        return "files", str(tmp_path / "store")
    return "redis", request.getfixturevalue("redis_server").url


@pytest.fixture
def backend(where: tuple[str, str]) -> Iterator[Backend]:
    """A raw backend of each kind."""
    made = make_backend(*where)
    yield made
    made.close()


@pytest.fixture
def store(backend: Backend) -> Store:
    """A sealed store over each backend."""
    return Store(Breaker(backend), StoreKey(CACHE_KEY), "tests")
