"""System checks: each bad alias setting is an E001, a malformed SETTINGS_CRED an E002, advice a W00x."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from settings_cred.integrations.django.checks import check_settings
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME

MANAGE = Path(__file__).parent / "project" / "manage.py"
REFERENCE = "@Microsoft.KeyVault(SecretUri=https://contoso-vault.vault.azure.net/secrets/pw)"


def manage_check(settings_module: str, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``manage.py check`` of the test project, in a clean directory with only the given credential variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "POWERBI_", "DJANGO_"))}
    env["DJANGO_SETTINGS_MODULE"] = f"tests.integrations.django.project.{settings_module}"
    return subprocess.run(
        [sys.executable, str(MANAGE), "check"],
        cwd=tmp_path,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_manage_check_passes_a_good_configuration(tmp_path: Path) -> None:
    """With AZURE_* complete, ``manage.py check`` exits 0 and reports no issue."""
    result = manage_check(
        "settings", tmp_path, AZURE_CLIENT_ID=CLIENT_ID, AZURE_USERNAME=USERNAME, AZURE_PASSWORD=PASSWORD
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_manage_check_fails_a_bad_alias_without_its_password(tmp_path: Path) -> None:
    """A missing client id and a wrong-typed value are E001s naming alias and setting, never the password."""
    result = manage_check("settings_bad", tmp_path, POWERBI_USERNAME=USERNAME, POWERBI_PASSWORD=PASSWORD)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "settings_cred.E001" in output
    assert "SETTINGS_CRED['powerbi']: POWERBI_CLIENT_ID (not set): missing" in output
    assert "POWERBI_DISABLE_INSTANCE_DISCOVERY (SETTINGS_CRED['powerbi']['DISABLE_INSTANCE_DISCOVERY'])" in output
    assert PASSWORD not in output


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param([], "SETTINGS_CRED must be a dict of aliases, not list", id="not-a-dict"),
        pytest.param({}, "SETTINGS_CRED names no alias", id="no-alias"),
        pytest.param({"default": "AZURE_"}, "SETTINGS_CRED['default'] must be a dict", id="alias-not-a-dict"),
        pytest.param(
            {"default": {"CLIENTID": "x"}}, "is not a setting; did you mean 'CLIENT_ID'?", id="key-typo-suggested"
        ),
        pytest.param({"default": {"ENV_PREFIX": 1}}, "['ENV_PREFIX'] must be a string", id="prefix-not-a-string"),
        pytest.param({"default": {"OPTIONS": {"retry_totl": 1}}}, "did you mean 'retry_total'?", id="option-typo"),
    ],
)
def test_malformed_setting_is_e002(value: object, expected: str) -> None:
    """A SETTINGS_CRED of the wrong shape is reported as E002, with a suggestion for a misspelt key."""
    with override_settings(SETTINGS_CRED=value):
        messages = check_settings()
    assert [m.id for m in messages] == ["settings_cred.E002"]
    assert expected in messages[0].msg


def test_advice_becomes_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unresolved Key Vault reference is W001 and a plain-text cache W002; neither shows the value."""
    aliases = {
        "default": {
            "CLIENT_ID": CLIENT_ID,
            "USERNAME": USERNAME,
            "PASSWORD": REFERENCE,
            "TOKEN_CACHE_PERSISTENCE": True,
            "TOKEN_CACHE_ALLOW_UNENCRYPTED": True,
            "ENV_FILE": None,
        }
    }
    with override_settings(SETTINGS_CRED=aliases):
        messages = check_settings()
    assert sorted(m.id for m in messages) == ["settings_cred.W001", "settings_cred.W002"]
    assert all(m.msg.startswith("SETTINGS_CRED['default']: ") for m in messages)


def test_a_secret_in_a_bad_alias_never_reaches_a_message() -> None:
    """The canary password given in SETTINGS_CRED appears in no check message or hint."""
    with override_settings(SETTINGS_CRED={"default": {"PASSWORD": PASSWORD, "TENANT_ID": 42, "ENV_FILE": None}}):
        messages = check_settings()
    assert {m.id for m in messages} == {"settings_cred.E001"}
    assert all(PASSWORD not in f"{m.msg} {m.hint}" for m in messages)
