"""AZURE_TOKEN_CACHE_URL: the shared store as a setting, its password masked everywhere, its key required.

It implies persistence and reaches ``TokenCachePersistenceOptions(url=...)``; against a real
``redis-server``, two credentials built from the same settings share one sign-in.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from settings_cred._settings import CredentialSettings, SettingsError, credential_from_env
from settings_cred._settings._masked import mask_store_url
from settings_cred.audit import capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE
from tests.redis_server import RedisServer

REDIS_PASSWORD = "Store-Url-Canary-Pa55-1e9"


@pytest.fixture(autouse=True)
def user(signed_in_env: None) -> None:
    """Alice's settings in the environment: the store comes on top of a valid configuration."""


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        pytest.param(f"redis://:{REDIS_PASSWORD}@cache:6379/0", "redis://***@cache:6379/0", id="redis-password"),
        pytest.param(
            f"rediss://app:{REDIS_PASSWORD}@contoso.redis.cache.windows.net:6380/0",
            "rediss://***@contoso.redis.cache.windows.net:6380/0",
            id="tls-acl-user",
        ),
        pytest.param(
            f"unix:///run/redis.sock?db=1&password={REDIS_PASSWORD}",
            "unix:///run/redis.sock?db=1&password=***",
            id="unix-socket-query-password",
        ),
        pytest.param("redis://cache:6379/0", "redis://cache:6379/0", id="no-password"),
    ],
)
def test_the_urls_password_is_masked_everywhere(url: str, shown: str) -> None:
    """describe(), its text and JSON, repr, model_dump and its JSON, and the cache options show the masked URL."""
    loaded = CredentialSettings.from_sources(env_file=None, token_cache_url=url, token_cache_key=CACHE_KEY)
    report = loaded.describe()
    assert {row.field: row.value for row in report.rows}["token_cache_url"] == shown
    renderings = [
        report.as_text(),
        report.as_json(),
        repr(loaded),
        str(loaded),
        repr(loaded.model_dump()),
        loaded.model_dump_json(),
        repr(vars(loaded)),
        repr(loaded.cache_persistence_options()),
    ]
    assert shown in loaded.model_dump_json()
    for text in renderings:
        assert REDIS_PASSWORD not in text


def test_the_url_implies_persistence_and_reaches_the_options() -> None:
    """No AZURE_TOKEN_CACHE_PERSISTENCE needed: the URL and the key are the cache options' url and key."""
    url = f"rediss://:{REDIS_PASSWORD}@cache:6380/0"
    options = CredentialSettings.from_sources(
        env_file=None, token_cache_url=url, token_cache_key=CACHE_KEY
    ).cache_persistence_options()
    assert options is not None
    assert options.url is not None
    assert options.url.reveal() == url
    assert options.encryption_key is not None
    assert options.encryption_key.reveal() == CACHE_KEY


def test_a_url_without_the_key_is_an_error_naming_both(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shared store never holds a readable token: the error names the URL's variable, the key's, and the fix."""
    monkeypatch.setenv("AZURE_TOKEN_CACHE_URL", f"redis://:{REDIS_PASSWORD}@cache:6379/0")
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None)
    message = str(caught.value)
    assert "AZURE_TOKEN_CACHE_KEY (not set): AZURE_TOKEN_CACHE_URL names a shared store (Redis), which needs" in message
    assert "give every process that shares the store the same AZURE_TOKEN_CACHE_KEY" in message
    assert REDIS_PASSWORD not in message
    assert caught.value.report is not None
    assert REDIS_PASSWORD not in caught.value.report.as_json()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(f"http://:{REDIS_PASSWORD}@cache:6379", id="http-scheme"),
        pytest.param("redis://", id="no-host"),
        pytest.param(f"rediss://:{REDIS_PASSWORD}@cache:0/0", id="port-zero"),
    ],
)
def test_a_url_that_is_not_a_redis_url_names_the_setting(url: str) -> None:
    """A wrong scheme, no host or port 0: the problem names the setting and the accepted forms, not the password."""
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None, token_cache_url=url, token_cache_key=CACHE_KEY)
    message = str(caught.value)
    assert "AZURE_TOKEN_CACHE_URL (argument token_cache_url): It is not a Redis URL" in message
    assert REDIS_PASSWORD not in message


def test_a_directory_is_ignored_when_a_url_names_the_store() -> None:
    """Both AZURE_TOKEN_CACHE_URL and AZURE_TOKEN_CACHE_DIR: the directory has no effect, and a warning says so."""
    loaded = CredentialSettings.from_sources(
        env_file=None, token_cache_url="redis://cache:6379/0", token_cache_key=CACHE_KEY, token_cache_dir="/srv/cache"
    )
    assert [w.setting for w in loaded.describe().warnings] == ["AZURE_TOKEN_CACHE_DIR"]


def test_credentials_from_the_same_settings_share_one_sign_in(
    idp: EntraEmulator, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two credentials from AZURE_TOKEN_CACHE_URL and AZURE_TOKEN_CACHE_KEY (two processes, two hosts): one grant."""
    server = RedisServer(redis_server.directory / "protected", password=REDIS_PASSWORD)
    server.directory.mkdir()
    server.start()
    try:
        monkeypatch.setenv("AZURE_TOKEN_CACHE_URL", server.url)
        monkeypatch.setenv("AZURE_TOKEN_CACHE_KEY", CACHE_KEY)
        monkeypatch.setenv("AZURE_TOKEN_CACHE_NAME", "fleet")
        grants = []
        for _ in range(2):
            with capture_audit() as events, credential_from_env(env_file=None, **idp.pipeline_options()) as credential:
                credential.get_token(VAULT_SCOPE)
            grants += [str(e["grant"]) for e in events if e["event"] == "token.acquired"]
        assert grants == ["password", "store"]
        entries = server.entries()
        assert any(key.startswith(b"settings_cred:fleet:") for key in entries)
        assert all(PASSWORD.encode() not in value and USERNAME.encode() not in value for value in entries.values())
    finally:
        server.kill()


TEMPLATES = ("redis://:{}@cache:6379/0", "rediss://app:{}@cache:6380/0", "unix:///run/r.sock?db=0&password={}")


@settings(max_examples=80, deadline=None)
@given(password=st.from_regex(r"[A-Za-z0-9~!$'()*+,;=._-]{8,30}", fullmatch=True))
def test_no_password_survives_the_masking(password: str) -> None:
    """Whatever a URL's password (in its user info or a password= query), the masked URL does not show it."""
    assume(all(password not in template for template in TEMPLATES))
    for template in TEMPLATES:
        assert password not in mask_store_url(template.format(password))


def test_settings_choose_their_kind_independently_of_the_store() -> None:
    """The store is no kind's variable: a password configuration with a URL is still the password kind."""
    loaded = CredentialSettings.from_sources(
        env_file=None, client_id=CLIENT_ID, token_cache_url="redis://cache:6379/0", token_cache_key=CACHE_KEY
    )
    assert loaded.kind.kind == "password"
