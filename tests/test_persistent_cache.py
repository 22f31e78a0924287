"""A persistent cache lets a new process reuse tokens, metadata and lockout records, safely at rest."""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from settings_cred import TokenCachePersistenceOptions, UsernamePasswordCredential, WeakKeyError
from settings_cred.audit import CACHE_UNENCRYPTED, CACHE_UNREADABLE, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, GRAPH_SCOPE, PASSWORD, USERNAME, VAULT_SCOPE

KEY = CACHE_KEY
CHILD = Path(__file__).with_name("cache_child.py")
Child = Callable[..., dict[str, object]]


@pytest.fixture
def child(idp: EntraEmulator, tmp_path: Path) -> Child:
    """Run cache_child.py as a new process sharing one cache directory; returns its JSON report."""

    def run(
        *,
        password: str = PASSWORD,
        scopes: str = VAULT_SCOPE,
        key: str = KEY,
        plain: bool = False,
        again_after: float | None = None,
    ) -> dict[str, object]:
        env = {
            "CHILD_AGAIN_AFTER": "" if again_after is None else str(again_after),
            **os.environ,
            "CHILD_CACHE_DIR": str(tmp_path / "cache"),
            "CHILD_CACHE_KEY": key,
            "CHILD_ALLOW_PLAIN": "1" if plain else "0",
            "CHILD_CLIENT_ID": CLIENT_ID,
            "CHILD_USERNAME": USERNAME,
            "CHILD_PASSWORD": password,
            "CHILD_PROXY": idp.proxy_url,
            "CHILD_CA": idp.ca_bundle,
            "CHILD_SCOPES": scopes,
            "PYTHONPATH": str(CHILD.parent.parent),
        }
        result = subprocess.run(
            [sys.executable, str(CHILD)], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        assert password not in result.stdout + result.stderr
        report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
        return report

    return run


class TestNewProcess:
    def test_second_process_serves_the_cached_token_with_no_request(self, child: Child, idp: EntraEmulator) -> None:
        """Process 2 finds process 1's account, token and authority metadata: zero requests."""
        first = child()
        assert idp.count("token", grant_type="password") == 1
        idp.clear_requests()
        second = child()
        assert second == first
        assert idp.requests == []

    def test_token_in_its_refresh_window_is_served_then_refreshed_once(self, child: Child, idp: EntraEmulator) -> None:
        """Process 2 serves the valid token at once and refreshes it in the background: one refresh, no password."""
        idp.refresh_in = 1
        first = child()
        time.sleep(1.2)
        idp.clear_requests()
        second = child(again_after=1.0)
        assert second[VAULT_SCOPE] == first[VAULT_SCOPE]
        assert second[VAULT_SCOPE + " again"] != first[VAULT_SCOPE]
        assert [(r.endpoint, r.grant_type) for r in idp.requests] == [("token", "refresh_token")]

    def test_eight_processes_writing_at_once_leave_a_valid_cache(self, child: Child, idp: EntraEmulator) -> None:
        """Concurrent writers (the account's lease, compare-and-set, atomic renames) leave a cache a ninth can read."""
        child()
        scopes = [f"https://resource{i}.example.com/.default" for i in range(8)]
        for scope in scopes:
            idp.add_resource(scope.removesuffix("/.default"))
        with ThreadPoolExecutor(8) as pool:
            reports = list(pool.map(lambda scope: child(scopes=scope), scopes))
        assert all(len(report) == 1 for report in reports)
        idp.clear_requests()
        combined = child(scopes=" ".join(scopes))
        assert combined == {scope: report[scope] for scope, report in zip(scopes, reports, strict=True)}
        assert idp.requests == []


class TestAtRest:
    def test_files_hold_no_token_or_username_in_clear_text(self, idp: EntraEmulator, tmp_path: Path) -> None:
        """Every entry is sealed and holds neither tokens nor the username; modes are 0600 and 0700."""
        options = TokenCachePersistenceOptions(name="rest", directory=tmp_path / "cache", encryption_key=KEY)
        with UsernamePasswordCredential(
            CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
        ) as credential:
            tokens = [credential.get_token(scope).token for scope in (VAULT_SCOPE, GRAPH_SCOPE)]
        files = entries(tmp_path / "cache", "rest")
        kinds = sorted(path.name.split(".")[3] for path in files if path.name.split(".")[2] != "metadata")
        assert kinds == ["msal", "token", "token"]
        for path in files:
            data = path.read_bytes()
            assert data.startswith(b"SCS1")
            for secret in [*tokens, USERNAME, USERNAME.split("@")[0], *idp.issued_refresh_tokens()]:
                assert secret.encode() not in data + path.name.encode()
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda p: p.write_bytes(p.read_bytes()[:40]), id="truncated"),
            pytest.param(lambda p: p.write_bytes(b"{not json"), id="garbage"),
            pytest.param(lambda p: p.write_bytes(p.read_bytes()[:-1] + b"\x00"), id="tampered"),
        ],
    )
    def test_damaged_file_is_reported_and_replaced(
        self, child: Child, idp: EntraEmulator, tmp_path: Path, damage: Callable[[Path], object]
    ) -> None:
        """Damaged entries are an audit event and an empty cache, never a crash."""
        child()
        for path in entries(tmp_path / "cache", "child"):
            damage(path)
        idp.clear_requests()
        with capture_audit() as events:
            options = TokenCachePersistenceOptions(name="child", directory=tmp_path / "cache", encryption_key=KEY)
            with UsernamePasswordCredential(
                CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
            ) as credential:
                assert credential.get_token(VAULT_SCOPE).token
        assert CACHE_UNREADABLE in [e["event"] for e in events]
        assert idp.count("token", grant_type="password") == 1
        assert child() != {}

    def test_wrong_key_starts_empty_and_signs_in(self, child: Child, idp: EntraEmulator) -> None:
        """A process with another key cannot read the cache; it signs in again instead of failing."""
        child()
        idp.clear_requests()
        report = child(key="another-key-0123456789abcdef-0123456789")
        assert "error" not in report
        assert idp.count("token", grant_type="password") == 1

    def test_plain_text_needs_an_explicit_opt_in(self, tmp_path: Path) -> None:
        """Without a key or platform encryption, a persistent cache is refused unless plain text is allowed."""
        options = TokenCachePersistenceOptions(name="p", directory=tmp_path)
        with pytest.raises(ValueError, match="AZURE_TOKEN_CACHE_KEY"):
            UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)

    def test_plain_text_opt_in_is_audited(self, idp: EntraEmulator, tmp_path: Path) -> None:
        """allow_unencrypted_storage=True works and says so in the audit log."""
        options = TokenCachePersistenceOptions(name="p", directory=tmp_path, allow_unencrypted_storage=True)
        with (
            capture_audit() as events,
            UsernamePasswordCredential(
                CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
            ) as credential,
        ):
            credential.get_token(VAULT_SCOPE)
        assert CACHE_UNENCRYPTED in [e["event"] for e in events]
        files = entries(tmp_path, "p")
        assert files
        assert all(path.read_bytes().startswith(b"SCP1") for path in files)
        assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o600}

    def test_short_keys_are_refused(self, tmp_path: Path) -> None:
        """A key shorter than 32 characters is a configuration error that says how to make one."""
        options = TokenCachePersistenceOptions(directory=tmp_path, encryption_key="short")
        with pytest.raises(ValueError, match=r"secrets\.token_urlsafe"):
            UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)

    @pytest.mark.parametrize(
        "key",
        [
            pytest.param(" " * 40, id="spaces"),
            pytest.param("a" * 32, id="one character"),
            pytest.param("password" * 4, id="a repeated word"),
            pytest.param("0" * 30 + "12", id="nearly one character"),
        ],
    )
    def test_predictable_keys_are_refused(self, tmp_path: Path, key: str) -> None:
        """A long but predictable key is refused as well, with how to generate a good one."""
        options = TokenCachePersistenceOptions(directory=tmp_path, encryption_key=key)
        with pytest.raises(WeakKeyError, match=r"too predictable.*secrets\.token_urlsafe"):
            UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options)

    def test_key_and_redis_password_never_appear_in_reprs(self) -> None:
        """The options' repr hides the key and masks the Redis URL's password."""
        options = TokenCachePersistenceOptions(encryption_key=KEY, url="rediss://app:Redis-Canary-71@cache:6380/0")
        assert KEY not in repr(options)
        assert "Redis-Canary-71" not in repr(options) + str(vars(options))
        assert "rediss://***@cache:6380/0" in repr(options)

    def test_options_refuse_to_be_pickled(self) -> None:
        """Pickling the options would copy the key in clear: it is refused with an explanation."""
        with pytest.raises(TypeError, match="cannot be pickled"):
            pickle.dumps(TokenCachePersistenceOptions(encryption_key=KEY))


class TestLockoutAcrossRestarts:
    def test_restarted_process_does_not_retry_a_rejected_password(self, child: Child, idp: EntraEmulator) -> None:
        """After a 50126, new processes with the same password send nothing; a new password signs in."""
        assert child(password="wrong-1") == {"error": "InvalidCredentialsError", "guarded": False}
        for _ in range(3):
            assert child(password="wrong-1") == {"error": "InvalidCredentialsError", "guarded": True}
        assert idp.count("token") == 1
        assert "error" not in child()
        assert idp.count("token", grant_type="password") == 2

    def test_cached_tokens_are_served_whatever_the_password(self, child: Child, idp: EntraEmulator) -> None:
        """A process whose password went stale still gets the cached token, and sends no password."""
        good = child()
        assert child(password="stale-password") == good
        assert idp.count("token") == 1


def entries(directory: Path, name: str) -> list[Path]:
    """The store's entry files of cache `name` (not its lease files)."""
    return [
        p for p in directory.iterdir() if p.name.startswith(f"settings_cred.{name}.") and not p.name.endswith(".lease")
    ]


def test_a_plain_text_cache_holding_invalid_json_is_ignored_and_reported(idp: EntraEmulator, tmp_path: Path) -> None:
    """Hand-edited plain-text entries that are not JSON (tokens, msal's cache, metadata) never raise JSONDecodeError."""
    from settings_cred._store._sealing import PlainText, fence_of

    options = TokenCachePersistenceOptions(name="p", directory=tmp_path, allow_unencrypted_storage=True)
    with UsernamePasswordCredential(
        CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
    ) as credential:
        credential.get_token(VAULT_SCOPE)
    for path in entries(tmp_path, "p"):
        entry = PlainText().open(path.name, path.read_bytes())
        path.write_bytes(PlainText().seal(path.name, fence_of(path.read_bytes()), b"{not json", entry.expires_at))
    idp.clear_requests()
    with (
        capture_audit() as events,
        UsernamePasswordCredential(
            CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
        ) as credential,
    ):
        assert credential.get_token(VAULT_SCOPE).token
    assert CACHE_UNREADABLE in [e["event"] for e in events]
    assert idp.count("token", grant_type="password") == 1
