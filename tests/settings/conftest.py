"""Fixtures for the settings tests: an isolated environment and working directory, files, Key Vault access."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from settings_cred import UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

PREFIXES = ("AZURE_", "POWERBI_", "DYNAMICS_")
VAULT = "settings-kv"
VAULT_URL = f"https://{VAULT}.vault.azure.net"

Write = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No variable with one of our prefixes, no App Service marker, and a fresh temporary working directory."""
    for name in list(os.environ):
        if name.upper().startswith(PREFIXES) or name.upper().startswith("WEBSITE_"):
            monkeypatch.delenv(name)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a text file under the test's temporary directory and return its path."""

    def writer(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return writer


@pytest.fixture
def signed_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The three required settings in the environment, for Alice."""
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)


@pytest.fixture
def bootstrap(idp: EntraEmulator) -> Iterator[UsernamePasswordCredential]:
    """The credential that reads Key Vault: Alice, through the emulator."""
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as credential:
        yield credential


@pytest.fixture
def vault(idp: EntraEmulator, bootstrap: UsernamePasswordCredential) -> dict[str, Any]:
    """``from_sources`` keywords that resolve references in the emulator's Key Vault, fast and bounded."""
    return {
        "keyvault_credential": bootstrap,
        "keyvault_options": {**idp.pipeline_options(), "retry_total": 0},
        "keyvault_timeout": 5.0,
    }
