"""A planted secret never appears in any error, repr, report, audit event or log record of the settings layer.

The secret is each secret setting in turn (the password, a client secret, a certificate's password, the
shared store's URL password), planted in every source.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import pytest

from settings_cred._settings import CredentialSettings, SettingsError
from settings_cred._settings._masked import revealed
from settings_cred.audit import capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, USERNAME
from tests.settings.conftest import VAULT

CANARY = "Settings-Canary-Pa55-8d2f61"
CACHE_KEY = "Canary-Sweep-Key-5e1b9d7f3a0c4e26-b8d4f2a0c6e8"
SECRETS: dict[str, tuple[str, str, dict[str, str]]] = {
    "password": ("AZURE_PASSWORD", CANARY, {"AZURE_USERNAME": USERNAME}),
    "client_secret": ("AZURE_CLIENT_SECRET", CANARY, {"AZURE_TENANT_ID": "contoso.onmicrosoft.com"}),
    "client_certificate_password": (
        "AZURE_CLIENT_CERTIFICATE_PASSWORD",
        CANARY,
        {"AZURE_TENANT_ID": "contoso.onmicrosoft.com", "AZURE_CLIENT_CERTIFICATE_PATH": "app.pem"},
    ),
    "token_cache_url": (
        "AZURE_TOKEN_CACHE_URL",
        f"rediss://:{CANARY}@cache.example.com:6380/0",
        {"AZURE_USERNAME": USERNAME, "AZURE_PASSWORD": "Other-Pa55", "AZURE_TOKEN_CACHE_KEY": CACHE_KEY},
    ),
}
"""Each secret setting: its variable, the value planted (holding the canary), and what its kind needs besides."""


@pytest.mark.parametrize("field", sorted(SECRETS))
def test_no_output_of_a_load_contains_the_secret(  # noqa: PLR0917 - the secret, then the fixtures it needs
    field: str,
    idp: EntraEmulator,
    vault: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The canary travels through env, X_FILE, .env, secrets dir and Key Vault; nothing that is printed holds it."""
    variable, planted, others = SECRETS[field]
    caplog.set_level(logging.DEBUG)
    idp.add_secret(VAULT, "canary", planted)
    (tmp_path / "pw").write_text(planted + "\n")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / variable.lower()).write_text(planted)
    (tmp_path / ".env").write_text(f"{variable}={planted}\n")
    (tmp_path / "work" / "app.pem").write_text("a certificate")
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    for name, value in others.items():
        monkeypatch.setenv(name, value)
    texts: list[str] = []

    def sweep(settings: CredentialSettings) -> None:
        assert CANARY in revealed(getattr(settings, field)), "the canary must really be the secret"
        report = settings.describe()
        texts.extend([repr(settings), str(settings), report.as_text(), report.as_json(), repr(report)])
        texts.extend([repr(settings.model_dump()), settings.model_dump_json(), repr(vars(settings))])
        if field != "token_cache_url":
            texts.append(repr(settings.secret_source(field)))
        texts.append(repr(settings.cache_persistence_options()))

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
        monkeypatch.setenv(variable, planted)
        sweep(CredentialSettings.from_sources(env_file=None))
        sweep_error(env_file=None, tenant_id="bad tenant")
        sweep_error(env_file=tmp_path / ".env", token_cache_key=CANARY, tenant_id="bad tenant")  # a short key
        monkeypatch.delenv(variable)
        monkeypatch.setenv(f"{variable}_FILE", str(tmp_path / "pw"))
        sweep(CredentialSettings.from_sources(env_file=None))
        monkeypatch.delenv(f"{variable}_FILE")
        for arguments in kinds.values():
            sweep(CredentialSettings.from_sources(**arguments))
        monkeypatch.setenv(variable, f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=canary)")
        sweep(CredentialSettings.from_sources(env_file=None, **vault))
        monkeypatch.setenv(variable, f"@Microsoft.KeyVault(VaultName={VAULT};SecretName={CANARY[:-1]}")
        sweep_error(env_file=None, **vault)
    texts.append(repr(events))
    texts.extend(record.getMessage() for record in caplog.records)
    assert len(texts) > 40, "the sweep collected too little to prove anything"
    haystack = "\n".join(texts)
    assert CANARY not in haystack
