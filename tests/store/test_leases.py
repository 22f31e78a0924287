"""A sign-in lease held by another process: waited for with a bound, and gone when that process dies."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from settings_cred import SharedSignInTimeoutError, TokenCachePersistenceOptions, UsernamePasswordCredential
from settings_cred._store._open import open_store
from settings_cred.emulator import EntraEmulator
from settings_cred.health import check_readiness
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

HOLDER = Path(__file__).with_name("lease_holder.py")
ROOT = Path(__file__).parents[2]


def options_for(where: tuple[str, str], *, sign_in_wait: float = 60.0) -> TokenCachePersistenceOptions:
    """Persistence options for the store at `where`."""
    kind, location = where
    if kind == "files":
        return TokenCachePersistenceOptions(
            name="leases", directory=location, encryption_key=CACHE_KEY, sign_in_wait=sign_in_wait
        )
    return TokenCachePersistenceOptions(
        name="leases", url=location, encryption_key=CACHE_KEY, sign_in_wait=sign_in_wait
    )


@pytest.fixture
def holder(where: tuple[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Another process holding Alice's sign-in lease (as one stuck mid-sign-in would)."""
    store = open_store(options_for(where), {})
    key = store.key(store.account("https://login.microsoftonline.com", CLIENT_ID, USERNAME), "lease")
    process = subprocess.Popen(
        [sys.executable, str(HOLDER), *where, key],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() != "busy"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_lease_held_too_long_is_a_documented_error_and_readiness_says_unavailable(
    idp: EntraEmulator, where: tuple[str, str], holder: subprocess.Popen[str]
) -> None:
    """Past sign_in_wait, get_token raises SharedSignInTimeoutError (no sign-in of its own); readiness answers 503."""
    options = options_for(where, sign_in_wait=0.5)
    with UsernamePasswordCredential(
        CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
    ) as credential:
        started = time.monotonic()
        with pytest.raises(SharedSignInTimeoutError, match="held this account's sign-in lease"):
            credential.get_token(VAULT_SCOPE)
        assert time.monotonic() - started < 3
        readiness = check_readiness(credential, VAULT_SCOPE)
    assert (readiness.http_status, readiness.error) == (503, "SharedSignInTimeoutError")
    assert idp.count("token") == 0


def test_a_killed_holder_delays_the_next_sign_in_by_seconds_at_most(
    idp: EntraEmulator, where: tuple[str, str], holder: subprocess.Popen[str]
) -> None:
    """Once the holder is killed, a waiting process signs in: no lock is left behind."""
    if where[0] == "files":
        Path(where[1], "settings_cred.leases.lockfile").write_text("left by msal-extensions")
    holder.kill()
    options = options_for(where)
    with UsernamePasswordCredential(
        CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
    ) as credential:
        started = time.monotonic()
        assert credential.get_token(VAULT_SCOPE).token
    assert time.monotonic() - started < 3
    assert idp.count("token", grant_type="password") == 1
