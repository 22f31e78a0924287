"""The Redis backend: every process with the same URL shares one store (redis-py).

Writes are compare-and-set in a Lua script that reads the fence from the entry's header. A lease is a
key set with ``NX`` and a short expiry that the holder renews from a daemon thread; a holder that dies
stops renewing and loses it within seconds. Fences come from the server's clock (``TIME``), so they
keep growing across a restart that lost every key. Short socket timeouts and no retries with backoff:
a dead or hung Redis must cost a caller well under a second, after which the circuit breaker above
this backend makes it free.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from .._secret import Secret
from ._backend import StoreUnavailable, fence_field
from ._errors import StoreConfigurationError
from ._options import ENV_CACHE_URL, REDIS_SCHEMES, masked_url

if TYPE_CHECKING:
    import redis

DEFAULT_SOCKET_TIMEOUT: Final = 0.5
"""Seconds a Redis command may take (connect or answer) before the store counts as unavailable."""
FENCE_TTL_MS: Final = 90 * 24 * 3600 * 1000

_WRITE = """
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 5, 20) > ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""
_LEASE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local now = redis.call('TIME')
local fence = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('GET', KEYS[2]) or '0', 16) or 0
if fence <= last then fence = last + 1 end
local text = string.format('%016x', fence)
redis.call('SET', KEYS[2], text, 'PX', ARGV[3])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return text
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def connect(url: Secret, *, setting: str = ENV_CACHE_URL) -> redis.Redis:
    """A redis-py client for `url` with short timeouts and one immediate reconnect, no backoff."""
    value = url.reveal()
    scheme = urlsplit(value).scheme.lower()
    if scheme not in REDIS_SCHEMES:
        raise StoreConfigurationError(
            f"{setting} must be a redis://, rediss:// (TLS, as Azure Cache for Redis uses) or unix:// URL; "
            f"got {scheme or 'no'} scheme in {masked_url(value)}.",
            setting=setting,
        )
    try:
        import redis as redis_module  # noqa: PLC0415 - an optional dependency
        from redis.backoff import NoBackoff  # noqa: PLC0415
        from redis.retry import Retry  # noqa: PLC0415
    except ImportError:
        raise StoreConfigurationError(
            f"{setting} names a Redis store, and redis-py is not installed. Fix: pip install 'settings-cred[redis]'.",
            setting=setting,
        ) from None
    try:
        return redis_module.Redis.from_url(
            value,
            socket_timeout=DEFAULT_SOCKET_TIMEOUT,
            socket_connect_timeout=DEFAULT_SOCKET_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
    except ValueError as exc:
        first_line = str(exc).splitlines()[0][:200].replace(value, masked_url(value))
        raise StoreConfigurationError(
            f"{setting} is not a usable Redis URL ({masked_url(value)}): {first_line}", setting=setting
        ) from None


class RedisLease:
    """A lease key this process owns; a daemon thread renews it until :meth:`release`."""

    __slots__ = ("_backend", "_key", "_owner", "_stopped", "_ttl_ms", "fence")

    def __init__(self, backend: RedisBackend, key: str, owner: str, fence: int, ttl_ms: int) -> None:
        self._backend = backend
        self._key = key
        self._owner = owner
        self._ttl_ms = ttl_ms
        self._stopped = threading.Event()
        self.fence = fence
        threading.Thread(target=self._renew, name="settings-cred-lease", daemon=True).start()

    def _renew(self) -> None:
        while not self._stopped.wait(self._ttl_ms / 3000):
            try:
                if not self._backend.run(_RENEW, [self._key], [self._owner, self._ttl_ms]):
                    return
            except StoreUnavailable:
                return

    def release(self) -> None:
        """Stop renewing and delete the lease if it is still ours."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        with contextlib.suppress(StoreUnavailable):  # otherwise it expires on its own
            self._backend.run(_RELEASE, [self._key], [self._owner])


class RedisBackend:
    """Sealed entries as Redis strings with expiries; leases as renewed ``NX`` keys."""

    def __init__(self, client: redis.Redis, *, location: str | None = None) -> None:
        self._client = client
        self._scripts: dict[str, Any] = {}
        self._location = location or _describe(client)

    @property
    def location(self) -> str:
        """The server, with any password masked."""
        return self._location

    def read(self, key: str) -> bytes | None:
        """``GET``."""
        value = self._call(lambda: self._client.get(key))
        return bytes(value) if value is not None else None

    def write(self, key: str, blob: bytes, *, fence: int, ttl: float) -> bool:
        """Compare-and-set with a time to live."""
        return bool(self.run(_WRITE, [key], [blob, fence_field(fence), max(int(ttl * 1000), 1)]))

    def delete(self, key: str) -> None:
        """``DEL``."""
        self._call(lambda: self._client.delete(key))

    def try_lease(self, key: str, ttl: float) -> RedisLease | None:
        """Take the lease if it is free, with the next fence for its name."""
        owner = secrets.token_hex(16)
        ttl_ms = max(int(ttl * 1000), 100)
        fence = self.run(_LEASE, [key, key + ":fence"], [owner, ttl_ms, FENCE_TTL_MS])
        if not fence:
            return None
        return RedisLease(self, key, owner, int(fence, 16), ttl_ms)

    def ping(self) -> None:
        """``PING``."""
        self._call(self._client.ping)

    def close(self) -> None:
        """Disconnect the pool (a client the application gave us is left to it)."""
        self._call(self._client.close)

    def run(self, source: str, keys: list[str], args: list[Any]) -> Any:
        """Run a Lua script (``EVALSHA``, loading it again after a server restart)."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self._client.register_script(source)
        return self._call(lambda: script(keys=keys, args=args))

    def _call(self, operation: Any) -> Any:
        import redis as redis_module  # noqa: PLC0415 - loaded already by whoever built the client

        try:
            return operation()
        except (redis_module.RedisError, OSError) as exc:
            raise StoreUnavailable(type(exc).__name__) from None


def _describe(client: redis.Redis) -> str:
    kwargs = client.connection_pool.connection_kwargs
    if "path" in kwargs:
        return f"unix://{kwargs['path']}"
    scheme = "rediss" if client.connection_pool.connection_class.__name__.startswith("SSL") else "redis"
    return f"{scheme}://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"
