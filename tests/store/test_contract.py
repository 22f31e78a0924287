"""The contract every store backend keeps (files and Redis alike): entries, compare-and-set, leases, sealing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from azure.core.credentials import AccessTokenInfo

from settings_cred._secret import Secret
from settings_cred._store._account import AccountState, StoredToken
from settings_cred._store._backend import Backend, fence_field
from settings_cred._store._sealing import StoreKey
from settings_cred._store._store import Store
from settings_cred.audit import CACHE_UNREADABLE, capture_audit
from tests.conftest import USERNAME

HOLDER = Path(__file__).with_name("lease_holder.py")
ROOT = Path(__file__).parents[2]


def blob(fence: int, text: bytes = b"payload") -> bytes:
    """A minimal entry with `fence` in its header, as the sealing layer writes them."""
    return b"SCS1" + fence_field(fence) + text


class TestEntries:
    def test_a_missing_entry_reads_as_none(self, backend: Backend) -> None:
        """Nothing was written: nothing is read."""
        assert backend.read("settings_cred:t:{a}:token") is None

    def test_what_is_written_is_read_back(self, backend: Backend) -> None:
        """An entry reads back byte for byte."""
        assert backend.write("settings_cred:t:{a}:token", blob(1), fence=1, ttl=60)
        assert backend.read("settings_cred:t:{a}:token") == blob(1)

    @pytest.mark.parametrize(("stored", "new", "accepted"), [(5, 4, False), (5, 5, True), (5, 6, True), (0, 0, True)])
    def test_compare_and_set_refuses_a_smaller_fence(
        self, backend: Backend, stored: int, new: int, accepted: bool
    ) -> None:
        """A writer whose fence is older than the stored entry's cannot overwrite it."""
        backend.write("settings_cred:t:{a}:token", blob(stored, b"old"), fence=stored, ttl=60)
        assert backend.write("settings_cred:t:{a}:token", blob(new, b"new"), fence=new, ttl=60) is accepted
        assert backend.read("settings_cred:t:{a}:token") == (blob(new, b"new") if accepted else blob(stored, b"old"))

    def test_delete_removes_an_entry(self, backend: Backend) -> None:
        """A deleted entry reads as none, and deleting it again is fine."""
        backend.write("settings_cred:t:{a}:token", blob(1), fence=1, ttl=60)
        backend.delete("settings_cred:t:{a}:token")
        backend.delete("settings_cred:t:{a}:token")
        assert backend.read("settings_cred:t:{a}:token") is None


class TestLeases:
    def test_one_holder_at_a_time(self, backend: Backend) -> None:
        """While a lease is held nobody else gets it; once released, the next holder gets a larger fence."""
        first = backend.try_lease("settings_cred:t:{a}:lease", 5)
        assert first is not None
        assert backend.try_lease("settings_cred:t:{a}:lease", 5) is None
        first.release()
        second = backend.try_lease("settings_cred:t:{a}:lease", 5)
        assert second is not None
        assert second.fence > first.fence
        second.release()

    def test_leases_of_different_accounts_are_independent(self, backend: Backend) -> None:
        """Holding one account's lease does not block another's."""
        one = backend.try_lease("settings_cred:t:{a}:lease", 5)
        other = backend.try_lease("settings_cred:t:{b}:lease", 5)
        assert one is not None
        assert other is not None
        one.release()
        other.release()

    def test_a_killed_holder_loses_its_lease_within_seconds(self, backend: Backend, where: tuple[str, str]) -> None:
        """A process killed while holding the lease blocks nobody for long, and leaves no lock behind."""
        key = "settings_cred:t:{a}:lease"
        holder = subprocess.Popen(
            [sys.executable, str(HOLDER), *where, key],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert holder.stdout is not None
        held_fence = int(holder.stdout.readline())
        assert backend.try_lease(key, 5) is None
        holder.kill()
        holder.wait()
        holder.stdout.close()
        started = time.monotonic()
        lease = None
        while lease is None and time.monotonic() - started < 10:
            lease = backend.try_lease(key, 5)
            time.sleep(0.05)
        assert lease is not None
        assert lease.fence > held_fence
        assert time.monotonic() - started < 3
        lease.release()


class TestSealed:
    def test_a_sealed_entry_reads_back_and_is_not_readable_in_the_backend(self, store: Store, backend: Backend) -> None:
        """The backend holds ciphertext; the store gives back the payload and its fence."""
        key = store.key("acct", "token")
        store.put(key, b"Token-Canary-3f1e", fence=7, ttl=60)
        assert b"Token-Canary-3f1e" not in (backend.read(key) or b"")
        entry = store.get(key)
        assert entry is not None
        assert (entry.payload, entry.fence) == (b"Token-Canary-3f1e", 7)

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="ciphertext altered"),
            pytest.param(lambda data: data[:4] + fence_field(9) + data[20:], id="fence altered"),
            pytest.param(lambda data: data[:30], id="truncated"),
            pytest.param(lambda data: b'{"access_token": "planted"}', id="planted plain text"),
        ],
    )
    def test_an_altered_entry_reads_as_absent_and_is_reported(self, store: Store, backend: Backend, damage) -> None:  # type: ignore[no-untyped-def]
        """Anything that fails authentication is treated as missing, with a cache.unreadable event."""
        key = store.key("acct", "token")
        store.put(key, b"payload", fence=7, ttl=60)
        backend.write(key, damage(backend.read(key)), fence=7, ttl=60)
        with capture_audit() as events:
            assert store.get(key) is None
        assert [e["event"] for e in events] == [CACHE_UNREADABLE]

    def test_an_entry_moved_to_another_name_reads_as_absent(self, store: Store, backend: Backend) -> None:
        """The name is authenticated: one account's entry copied to another's does not open."""
        mine, theirs = store.key("mine", "token"), store.key("theirs", "token")
        store.put(mine, b"payload", fence=1, ttl=60)
        backend.write(theirs, backend.read(mine) or b"", fence=1, ttl=60)
        assert store.get(theirs) is None

    def test_another_key_cannot_read_entries(self, backend: Backend, store: Store) -> None:
        """A process configured with another key reads nothing (and signs in on its own)."""
        key = store.key("acct", "token")
        store.put(key, b"payload", fence=1, ttl=60)
        other = Store(store._breaker, StoreKey("Another-Key-7d2b9e4f1a6c3e8b-05d7f9a1c3e5"), "tests")
        assert other.get(key) is None

    def test_an_expired_entry_reads_as_absent(self, store: Store) -> None:
        """An entry past its time to live is gone, in either backend."""
        key = store.key("acct", "token")
        store.put(key, b"payload", fence=1, ttl=0.2)
        time.sleep(0.3)
        assert store.get(key) is None

    def test_no_username_appears_in_any_key_or_entry(
        self, store: Store, backend: Backend, where: tuple[str, str]
    ) -> None:
        """Accounts are keyed hashes; a stored token and account record hold the username only sealed."""
        account = AccountState(store, ("https://login.microsoftonline.com", "client", USERNAME))
        token = AccessTokenInfo("Access-Canary-91be", int(time.time()) + 3600)
        account.write_token("organizations", ("scope",), False, StoredToken(token, time.time(), None), 1)
        account.record_rejection(Secret("Password-Canary-55c1"), {"class": "InvalidCredentialsError"}, 1)
        names = _names(where)
        assert names
        for name in names:
            assert USERNAME.split("@")[0] not in name
            data = backend.read(name) or b""
            for secret in (USERNAME, "Access-Canary-91be", "Password-Canary-55c1"):
                assert secret.encode() not in data


def _names(where: tuple[str, str]) -> list[str]:
    kind, location = where
    if kind == "files":
        return [p.name for p in Path(location).iterdir() if p.name.startswith("settings_cred.")]
    import redis

    client = redis.Redis.from_url(location)
    try:
        return [key.decode() for key in client.scan_iter()]
    finally:
        client.close()
