"""Configuring the shared store: a Redis URL (TLS and a password, as Azure Cache for Redis), a client, or files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from settings_cred import StoreConfigurationError, TokenCachePersistenceOptions, UsernamePasswordCredential
from settings_cred.audit import capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE
from tests.redis_server import BINARY, RedisServer, free_port

REDIS_PASSWORD = "Redis-Access-Key-Canary-6b1f"


@pytest.fixture
def azure_style_redis(redis_server: RedisServer, tmp_path: Path) -> Iterator[RedisServer]:
    """Redis over TLS with an access key, as Azure Cache for Redis serves it (rediss://:key@host:6380)."""
    server = RedisServer(tmp_path, password=REDIS_PASSWORD, tls=True).start()
    yield server
    server.kill()


def token_twice(idp: EntraEmulator, options: TokenCachePersistenceOptions) -> list[str]:
    """Two credentials in turn, as two processes would; returns the grants their audit events report."""
    grants = []
    for _ in range(2):
        with (
            capture_audit() as events,
            UsernamePasswordCredential(
                CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
            ) as credential,
        ):
            credential.get_token(VAULT_SCOPE)
        grants += [str(e["grant"]) for e in events if e["event"] == "token.acquired"]
    return grants


def test_redis_over_tls_with_an_access_key_is_shared(idp: EntraEmulator, azure_style_redis: RedisServer) -> None:
    """A rediss:// URL with a password: the second credential reads the first one's token from Redis."""
    options = TokenCachePersistenceOptions(name="tls", url=azure_style_redis.url, encryption_key=CACHE_KEY)
    assert token_twice(idp, options) == ["password", "store"]
    assert REDIS_PASSWORD not in repr(options)
    assert any(key.startswith(b"settings_cred:tls:") for key in azure_style_redis.entries())


def test_a_ready_client_can_be_given_instead_of_a_url(idp: EntraEmulator, redis_server: RedisServer) -> None:
    """redis_client= takes a redis.Redis the application built itself (Sentinel, custom TLS...)."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    options = TokenCachePersistenceOptions(name="client", redis_client=client, encryption_key=CACHE_KEY)
    assert token_twice(idp, options) == ["password", "store"]
    client.close()


def test_the_url_can_come_from_the_environment(
    idp: EntraEmulator, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AZURE_TOKEN_CACHE_URL and AZURE_TOKEN_CACHE_KEY configure the store when the options do not."""
    monkeypatch.setenv("AZURE_TOKEN_CACHE_URL", redis_server.url)
    monkeypatch.setenv("AZURE_TOKEN_CACHE_KEY", CACHE_KEY)
    assert token_twice(idp, TokenCachePersistenceOptions(name="env")) == ["password", "store"]


def test_a_shared_store_needs_a_key(tmp_path: Path) -> None:
    """A Redis URL without AZURE_TOKEN_CACHE_KEY is refused: a shared store never holds a readable token."""
    options = TokenCachePersistenceOptions(url="redis://127.0.0.1:6379/0")
    with pytest.raises(StoreConfigurationError, match="needs AZURE_TOKEN_CACHE_KEY") as caught:
        UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)
    assert caught.value.setting == "AZURE_TOKEN_CACHE_KEY"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("http://cache:6379", "must be a redis://, rediss://", id="wrong scheme"),
        pytest.param(f"redis://:{REDIS_PASSWORD}@cache:port/0", "not a usable Redis URL", id="bad port"),
    ],
)
def test_a_malformed_url_is_refused_without_showing_its_password(url: str, message: str) -> None:
    """The error names the setting and masks the URL's password."""
    options = TokenCachePersistenceOptions(url=url, encryption_key=CACHE_KEY)
    with pytest.raises(StoreConfigurationError, match=message) as caught:
        UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)
    assert REDIS_PASSWORD not in str(caught.value)
    assert caught.value.setting == "AZURE_TOKEN_CACHE_URL"


def test_without_redis_py_the_error_names_the_extra(tmp_path: Path) -> None:
    """A Redis URL on an install without redis-py says which extra to install."""
    script = (
        "import sys; sys.modules['redis'] = None\n"
        "from settings_cred import StoreConfigurationError, TokenCachePersistenceOptions, UsernamePasswordCredential\n"
        f"options = TokenCachePersistenceOptions(url='redis://127.0.0.1:1/0', encryption_key={CACHE_KEY!r})\n"
        "try:\n"
        "    UsernamePasswordCredential('c', 'u@x.com', 'p', cache_persistence_options=options)\n"
        "except StoreConfigurationError as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    assert "pip install 'settings-cred[redis]'" in result.stdout


@pytest.mark.skipif(BINARY is None, reason="needs nothing but a closed port; kept with the Redis tests")
def test_a_store_that_is_down_from_the_start_is_not_a_dependency(idp: EntraEmulator) -> None:
    """Nothing listens at the URL: the credential signs in on its own, and says the store is unavailable once."""
    options = TokenCachePersistenceOptions(
        name="down", url=f"redis://127.0.0.1:{free_port()}/0", encryption_key=CACHE_KEY
    )
    with capture_audit() as events:
        assert token_twice(idp, options) == ["password", "password"]
    assert [e["event"] for e in events].count("store.unavailable") == 1
