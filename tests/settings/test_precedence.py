"""Sources and precedence: explicit arguments, environment, X_FILE, .env, secrets directory, defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from settings_cred._settings import CredentialSettings
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import Write

REQUIRED: dict[str, Any] = {"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD}

# Each row: the sources that hold AZURE_TENANT_ID (each with its own value), and the one that must win.
# "env_file_file" is AZURE_TENANT_ID_FILE written inside the .env file.
PRECEDENCE = [
    pytest.param(("argument", "env", "env_file", "secrets_dir"), "argument", id="argument-beats-all"),
    pytest.param(("argument", "file", "env_file", "secrets_dir"), "argument", id="argument-beats-X_FILE"),
    pytest.param(("env", "env_file", "secrets_dir"), "env", id="env-beats-dotenv-and-secrets"),
    pytest.param(("env", "env_file_file"), "env", id="env-beats-X_FILE-in-dotenv"),
    pytest.param(("file", "env_file", "secrets_dir"), "file", id="X_FILE-beats-dotenv"),
    pytest.param(("file", "env_file_file"), "file", id="env-X_FILE-beats-dotenv-X_FILE"),
    pytest.param(("env_file", "secrets_dir"), "env_file", id="dotenv-beats-secrets-dir"),
    pytest.param(("env_file_file", "secrets_dir"), "env_file_file", id="dotenv-X_FILE-beats-secrets-dir"),
    pytest.param(("secrets_dir",), "secrets_dir", id="secrets-dir-beats-default"),
    pytest.param((), "default", id="default-when-nothing-is-set"),
]
VALUES = {
    "argument": "argument.example.com",
    "env": "env.example.com",
    "file": "file.example.com",
    "env_file": "dotenv.example.com",
    "env_file_file": "dotenv-file.example.com",
    "secrets_dir": "secrets.example.com",
    "default": "organizations",
}
KINDS = {"env_file_file": "file"}


@pytest.mark.parametrize(("present", "winner"), PRECEDENCE)
def test_the_highest_source_wins(
    present: tuple[str, ...], winner: str, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tenant comes from the highest-precedence source that has it, and its origin says so."""
    dotenv = []
    if "env" in present:
        monkeypatch.setenv("AZURE_TENANT_ID", VALUES["env"])
    if "file" in present:
        monkeypatch.setenv("AZURE_TENANT_ID_FILE", str(write("files/tenant", VALUES["file"] + "\n")))
    if "env_file" in present:
        dotenv.append(f"AZURE_TENANT_ID={VALUES['env_file']}")
    if "env_file_file" in present:
        write("app/tenant.txt", VALUES["env_file_file"])
        dotenv.append("AZURE_TENANT_ID_FILE=tenant.txt")
    if "secrets_dir" in present:
        write("secrets/azure_tenant_id", VALUES["secrets_dir"])
    env_file = write("app/.env", "\n".join(dotenv) + "\n")
    arguments: dict[str, Any] = {"tenant_id": VALUES["argument"]} if "argument" in present else {}

    settings = CredentialSettings.from_sources(
        env_file=env_file, secrets_dir=tmp_path / "secrets", **REQUIRED, **arguments
    )

    assert settings.tenant_id == VALUES[winner]
    row = next(row for row in settings.describe().rows if row.field == "tenant_id")
    assert row.source == KINDS.get(winner, winner)


def test_explicit_none_means_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """An argument passed as None leaves the value to the next source."""
    monkeypatch.setenv("AZURE_TENANT_ID", "contoso.onmicrosoft.com")
    settings = CredentialSettings.from_sources(env_file=None, tenant_id=None, **REQUIRED)
    assert settings.tenant_id == "contoso.onmicrosoft.com"
    assert str(settings.origins["tenant_id"]) == "env AZURE_TENANT_ID"


def test_an_empty_variable_counts_as_unset(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """AZURE_TENANT_ID= (empty) does not hide the .env value, and does not conflict with AZURE_TENANT_ID_FILE."""
    monkeypatch.setenv("AZURE_TENANT_ID", "")
    env_file = write("app/.env", "AZURE_TENANT_ID=dotenv.example.com\n")
    assert CredentialSettings.from_sources(env_file=env_file, **REQUIRED).tenant_id == "dotenv.example.com"
    monkeypatch.setenv("AZURE_TENANT_ID_FILE", str(write("tenant", "file.example.com")))
    assert CredentialSettings.from_sources(env_file=None, **REQUIRED).tenant_id == "file.example.com"
