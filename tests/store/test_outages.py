"""A stopped, killed or restarted Redis costs callers a bounded delay once, then nothing; it is noticed and forgiven."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from settings_cred._secret import Secret
from settings_cred._store._guard import Breaker
from settings_cred._store._redis import DEFAULT_SOCKET_TIMEOUT, RedisBackend, connect
from settings_cred._store._sealing import StoreKey
from settings_cred._store._store import Store
from settings_cred.audit import STORE_RECOVERED, STORE_UNAVAILABLE, capture_audit
from tests.conftest import CACHE_KEY
from tests.redis_server import RedisServer

COOLDOWN = 0.5


@pytest.fixture
def store(redis_server: RedisServer) -> Iterator[Store]:
    """A sealed store on the test's Redis, with a short breaker cooldown."""
    backend = RedisBackend(connect(Secret(redis_server.url)))
    yield Store(Breaker(backend, cooldown=COOLDOWN), StoreKey(CACHE_KEY), "outages")
    backend.close()


def timed(call: object) -> float:
    """Seconds `call()` takes."""
    started = time.monotonic()
    call()  # type: ignore[operator]
    return time.monotonic() - started


@pytest.mark.parametrize("outage", ["paused", "killed"])
def test_an_outage_costs_one_bounded_delay_then_nothing(store: Store, redis_server: RedisServer, outage: str) -> None:
    """The first call during an outage waits at most the socket timeout; later calls return at once."""
    key = store.key("acct", "token")
    store.put(key, b"payload", fence=1, ttl=60)
    redis_server.pause() if outage == "paused" else redis_server.kill()
    try:
        with capture_audit() as events:
            assert timed(lambda: store.get(key)) < DEFAULT_SOCKET_TIMEOUT * 2 + 0.5
            assert all(timed(lambda: store.get(key)) < 0.01 for _ in range(100))
        assert store.get(key) is None
        assert not store.available
        assert [e["event"] for e in events] == [STORE_UNAVAILABLE]
        assert events[0]["reason"] in {"TimeoutError", "ConnectionError"}
    finally:
        if outage == "paused":
            redis_server.resume()


def test_a_paused_store_that_resumes_is_used_again_with_its_entries(store: Store, redis_server: RedisServer) -> None:
    """After SIGCONT and the cooldown, the entries written before the outage are read again; one recovery event."""
    key = store.key("acct", "token")
    store.put(key, b"payload", fence=1, ttl=60)
    redis_server.pause()
    store.get(key)
    redis_server.resume()
    time.sleep(COOLDOWN + 0.1)
    with capture_audit() as events:
        entry = store.get(key)
    assert entry is not None
    assert entry.payload == b"payload"
    assert store.available
    assert [e["event"] for e in events] == [STORE_RECOVERED]


def test_writes_during_an_outage_refill_a_store_that_restarted_empty(store: Store, redis_server: RedisServer) -> None:
    """What was written while Redis was down lands there once it is back, without any caller doing anything."""
    key = store.key("acct", "token")
    redis_server.kill()
    assert store.put(key, b"kept for later", fence=3, ttl=60) is False
    redis_server.start()
    deadline = time.monotonic() + 5
    with capture_audit() as events:
        while store.available is False and time.monotonic() < deadline:
            time.sleep(0.05)
    entry = store.get(key)
    assert entry is not None
    assert (entry.payload, entry.fence) == (b"kept for later", 3)
    assert [(e["event"], e["written_back"]) for e in events] == [(STORE_RECOVERED, 1)]


def test_a_write_back_never_overwrites_a_newer_entry(store: Store, redis_server: RedisServer) -> None:
    """A write kept during an outage is dropped if a later lease holder wrote the entry meanwhile."""
    key = store.key("acct", "token")
    redis_server.kill()
    store.put(key, b"stale", fence=3, ttl=60)
    redis_server.start()
    other = Store(Breaker(RedisBackend(connect(Secret(redis_server.url)))), StoreKey(CACHE_KEY), "outages")
    other.put(key, b"newer", fence=9, ttl=60)
    deadline = time.monotonic() + 5
    while store.available is False and time.monotonic() < deadline:
        time.sleep(0.05)
    entry = store.get(key)
    assert entry is not None
    assert entry.payload == b"newer"


def test_a_restart_that_lost_everything_still_hands_out_growing_fences(store: Store, redis_server: RedisServer) -> None:
    """Fences come from the server's clock, so a lease after an empty restart outranks every earlier one."""
    key = store.key("acct", "lease")
    before = store.try_lease(key, 5)
    assert before is not None
    assert not isinstance(before, Exception)
    fence = before.fence
    before.release()
    redis_server.restart()
    time.sleep(COOLDOWN + 0.1)
    after = store.try_lease(key, 5)
    if isinstance(after, Exception) or after is None:  # the first call after the restart may meet the old socket
        time.sleep(COOLDOWN + 0.1)
        after = store.try_lease(key, 5)
    assert after is not None
    assert not isinstance(after, Exception)
    assert after.fence > fence
    after.release()
