"""A planted password never appears in any error, repr, report, audit event or log record of the settings layer."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest

from settings_cred._settings import CredentialSettings, SettingsError
from settings_cred.audit import capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, USERNAME
from tests.settings.conftest import VAULT

CANARY = "Settings-Canary-Pa55-8d2f61"


def test_no_output_of_a_load_contains_the_password(
    idp: EntraEmulator,
    vault: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The canary travels through env, X_FILE, .env, secrets dir and Key Vault; nothing that is printed holds it."""
    caplog.set_level(logging.DEBUG)
    idp.add_secret(VAULT, "canary", CANARY)
    (tmp_path / "pw").write_text(CANARY + "\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "azure_password").write_text(CANARY)
    (tmp_path / ".env").write_text(f"AZURE_PASSWORD={CANARY}\n")
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    texts: list[str] = []

    def sweep(settings: CredentialSettings) -> None:
        assert settings.password.get_secret_value() == CANARY, "the canary must really be the password"
        report = settings.describe()
        texts.extend([repr(settings), str(settings), report.as_text(), report.as_json(), repr(report)])
        texts.extend([repr(settings.password_source()), repr(settings.model_dump()), settings.model_dump_json()])

    def sweep_error(**arguments: Any) -> None:
        with pytest.raises(SettingsError) as caught:
            CredentialSettings.from_sources(**arguments)
        error = caught.value
        texts.extend([str(error), repr(error), repr(error.problems), "".join(traceback.format_exception(error))])
        assert error.report is not None
        texts.extend([error.report.as_text(), error.report.as_json()])

    kinds: dict[str, dict[str, Any]] = {
        "env_file": {"env_file": tmp_path / ".env"},
        "secrets_dir": {"env_file": None, "secrets_dir": tmp_path / "secrets"},
    }
    with capture_audit() as events:
        monkeypatch.setenv("AZURE_PASSWORD", CANARY)
        sweep(CredentialSettings.from_sources(env_file=None))
        sweep_error(env_file=None, tenant_id="bad tenant")
        sweep_error(env_file=tmp_path / ".env", token_cache_key=CANARY, tenant_id="bad tenant")  # a short key
        monkeypatch.delenv("AZURE_PASSWORD")
        monkeypatch.setenv("AZURE_PASSWORD_FILE", str(tmp_path / "pw"))
        sweep(CredentialSettings.from_sources(env_file=None))
        monkeypatch.delenv("AZURE_PASSWORD_FILE")
        for arguments in kinds.values():
            sweep(CredentialSettings.from_sources(**arguments))
        monkeypatch.setenv("AZURE_PASSWORD", f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=canary)")
        sweep(CredentialSettings.from_sources(env_file=None, **vault))
        monkeypatch.setenv("AZURE_PASSWORD", f"@Microsoft.KeyVault(VaultName={VAULT};SecretName={CANARY[:-1]}")
        sweep_error(env_file=None, **vault)
    texts.append(repr(events))
    texts.extend(record.getMessage() for record in caplog.records)
    assert len(texts) > 40, "the sweep collected too little to prove anything"
    haystack = "\n".join(texts)
    assert CANARY not in haystack
