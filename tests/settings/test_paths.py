"""Paths that cannot be used are problems of one SettingsError naming the setting, its source and the fix."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from settings_cred._settings import CredentialSettings, SettingsError
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

NO_SUCH_USER = "~no-such-user-5e1d"
TOO_LONG = "a" * 256

Arrange = Callable[[pytest.MonkeyPatch, Path, str], dict[str, Any]]
"""Puts a bad path in one source; returns the extra ``from_sources`` keywords."""


def in_env(variable: str) -> Arrange:
    """The bad path in an environment variable."""

    def arrange(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bad: str) -> dict[str, Any]:
        monkeypatch.setenv(variable, bad)
        return {}

    return arrange


def in_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bad: str) -> dict[str, Any]:
    """The bad path as ``AZURE_PASSWORD_FILE`` in a ``.env`` file."""
    (tmp_path / ".env").write_text(f"AZURE_PASSWORD_FILE={bad}/pw\n")
    return {"env_file": tmp_path / ".env"}


def as_argument(keyword: str) -> Arrange:
    """The bad path as a ``from_sources`` keyword."""

    def arrange(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bad: str) -> dict[str, Any]:
        return {keyword: f"{bad}/x"}

    return arrange


CASES = [
    ("ca-bundle", in_env("AZURE_CA_BUNDLE"), "AZURE_CA_BUNDLE", "env AZURE_CA_BUNDLE", "set AZURE_CA_BUNDLE"),
    ("password-file", in_env("AZURE_PASSWORD_FILE"), "AZURE_PASSWORD_FILE", "file ", "correct the path"),
    ("dotenv-password-file", in_dotenv, "AZURE_PASSWORD_FILE", "file ", "correct the path"),
    ("cache-dir", in_env("AZURE_TOKEN_CACHE_DIR"), "AZURE_TOKEN_CACHE_DIR", "env AZURE_TOKEN_CACHE_DIR", "set AZURE"),
    ("secrets-dir", as_argument("secrets_dir"), "secrets_dir", "argument secrets_dir", "pass secrets_dir="),
    ("env-file", as_argument("env_file"), "env_file", "argument env_file", "pass env_file="),
]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param(NO_SUCH_USER, f"{NO_SUCH_USER} names no user of this system", id="unknown-user"),
        pytest.param(TOO_LONG, "longer than 255", id="long-component"),
    ],
)
@pytest.mark.parametrize(("arrange", "setting", "source", "fix"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_an_unusable_path_is_a_problem_of_its_setting(
    arrange: Arrange,
    setting: str,
    source: str,
    fix: str,
    *,
    bad: str,
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """``~unknown-user/...`` and an over-long component are reported, not raised as RuntimeError or OSError."""
    arguments = {"env_file": None, "client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD}
    if setting == "AZURE_PASSWORD_FILE":
        del arguments["password"]
    arguments.update(arrange(monkeypatch, tmp_path, bad))
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(**arguments)
    (problem,) = caught.value.problems
    assert problem.setting == setting
    assert problem.source.startswith(source)
    assert reason in problem.message
    assert fix in problem.fix


def test_an_unreadable_secrets_directory_is_a_problem(tmp_path: Path) -> None:
    """A secrets directory that cannot be listed is reported with the permission it lacks."""
    secrets = tmp_path / "secrets"
    secrets.mkdir(mode=0o300)
    if os.access(secrets, os.R_OK):  # pragma: no cover - running as root
        pytest.skip("this user can list any directory")
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(
            env_file=None, secrets_dir=secrets, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD
        )
    (problem,) = caught.value.problems
    assert (problem.setting, problem.source) == ("secrets_dir", "argument secrets_dir")
    assert f"{secrets} cannot be listed: permission denied" in problem.message


def test_a_home_relative_cache_dir_is_expanded() -> None:
    """``~/cache`` means the home directory's ``cache``, not a directory named ``~`` in the working directory."""
    settings = CredentialSettings.from_sources(
        env_file=None, client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, token_cache_dir="~/cache"
    )
    assert settings.token_cache_dir == Path.home() / "cache"


@pytest.mark.parametrize(
    ("keywords", "setting", "reason"),
    [
        pytest.param({"ca_bundle": "ca\x00.pem"}, "AZURE_CA_BUNDLE", "NUL character", id="nul-in-ca-bundle"),
        pytest.param({"env_file": "/dev/null"}, "env_file", "it is not a file", id="env-file-not-a-file"),
        pytest.param(
            {"secrets_dir": "/" + "/".join(["d" * 200] * 25)}, "secrets_dir", "whole path too long", id="long-path"
        ),
        pytest.param(
            {"env_file": "/" + "/".join(["e" * 200] * 25)}, "env_file", "whole path too long", id="long-env-file"
        ),
    ],
)
def test_odd_paths_are_explained(keywords: dict[str, object], setting: str, reason: str) -> None:
    """A NUL character, a device where a file belongs, a path longer than the system allows: each is a problem."""
    arguments = {"env_file": None, "client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD, **keywords}
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(**arguments)
    (problem,) = caught.value.problems
    assert problem.setting == setting
    assert reason in problem.message


def test_a_secret_file_path_with_a_nul_character_is_explained(tmp_path: Path) -> None:
    """``AZURE_PASSWORD_FILE`` naming a path with a NUL character (possible in .env) is reported, not raised."""
    (tmp_path / ".env").write_text("AZURE_PASSWORD_FILE=pw\x00x\n")
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=tmp_path / ".env", client_id=CLIENT_ID, username=USERNAME)
    (problem,) = caught.value.problems
    assert problem.setting == "AZURE_PASSWORD_FILE"
    assert "NUL character" in problem.message
