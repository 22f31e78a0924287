"""The settings-cred command line, run as real subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from settings_cred._cli._demo import APP_SECRET as DEMO_APP_SECRET
from settings_cred._cli._demo import PASSWORD as DEMO_PASSWORD

BASE_INSTALL = Path(__file__).parent / "base_install"
"""For ``PYTHONPATH``: a ``sitecustomize`` that makes azure-identity and azure-keyvault-secrets absent."""


def run_cli(*args: str, timeout: float = 60, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m settings_cred ARGS` and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "settings_cred", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_demo_tours_the_credential_without_leaking_secrets() -> None:
    """`settings-cred demo` signs in, hits the cache, guards a wrong password, shares a store, moves to a client
    secret by configuration, and prints no secret."""
    result = run_cli("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "token.acquired" in out
    assert "token.cache_hit" in out
    assert "InvalidCredentialsError" in out
    assert "lockout guard" in out
    assert "What to do:" in out
    assert "password grants that reached Entra ID: 1" in out
    assert "keyvault https://demo-kv.vault.azure.net/secrets/tenant-id" in out
    assert "via DEMO_PASSWORD_FILE" in out
    assert "signed in with those settings" in out
    assert "worker 3: token from store" in out
    assert "credential kind: client_secret (chosen by DEMO_CLIENT_SECRET_FILE)" in out
    assert "ClientSecretCredential: token expires in" in out
    for secret in (DEMO_PASSWORD, DEMO_APP_SECRET, "not-the-password"):
        assert secret not in out + result.stderr


def test_demo_runs_on_a_base_install() -> None:
    """Without azure-keyvault-secrets and azure-identity the demo runs, skipping Key Vault with a one-line note."""
    result = run_cli("demo", env={"PYTHONPATH": str(BASE_INSTALL)})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    notes = [line for line in out.splitlines() if "Key Vault" in line and "skipped" in line]
    assert len(notes) == 1
    assert "pip install 'settings-cred[keyvault]'" in notes[0]
    assert "keyvault https://" not in out
    assert "via DEMO_PASSWORD_FILE" in out
    assert "signed in with those settings" in out
    assert DEMO_PASSWORD not in out + result.stderr


def test_usage_errors_exit_with_2() -> None:
    """An unknown command is a usage error."""
    assert run_cli("no-such-command").returncode == 2


def test_emulator_command_serves_until_interrupted() -> None:
    """`settings-cred emulator` prints where it listens and stops cleanly on SIGINT."""
    process = subprocess.Popen(
        [sys.executable, "-m", "settings_cred", "emulator", "--user", "bob@contoso.onmicrosoft.com:Hidden-Pw-1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "HTTPS_PROXY" in line:
                break
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=20)
    finally:
        process.kill()
    output = "".join(lines) + rest + err
    assert "HTTPS_PROXY=http://127.0.0.1:" in output
    assert "REQUESTS_CA_BUNDLE=" in output
    assert "Hidden-Pw-1" not in output
    assert process.returncode == 0
