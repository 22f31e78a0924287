"""Validation: one aggregated, readable SettingsError; typos and risky choices reported as warnings."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from settings_cred._settings import CredentialSettings, SettingsError
from settings_cred.audit import SETTINGS_TYPO_SUSPECTED, capture_audit
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import Write


def test_missing_required_settings_are_listed_together() -> None:
    """With nothing configured, one line names all three required variables and where they may come from."""
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources()
    message = str(caught.value)
    assert "missing: AZURE_CLIENT_ID, AZURE_USERNAME, AZURE_PASSWORD." in message
    assert "NAME_FILE" in message
    assert ".env" in message
    assert [p.setting for p in caught.value.problems] == ["AZURE_CLIENT_ID", "AZURE_USERNAME", "AZURE_PASSWORD"]
    assert all(p.missing for p in caught.value.problems)


def test_every_problem_is_reported_at_once(write: Write, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Bad values from several sources and a missing setting arrive in one error, each with source and fix."""
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
    monkeypatch.setenv("AZURE_TENANT_ID", "not a tenant!")
    env_file = write("app/.env", "AZURE_DISABLE_INSTANCE_DISCOVERY=maybe\n")
    write("secrets/azure_https_proxy", "ftp://")
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=env_file, secrets_dir=tmp_path / "secrets", ca_bundle="/no/such.pem")
    error = caught.value
    by_setting = {p.setting: p for p in error.problems}
    assert set(by_setting) == {
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "AZURE_DISABLE_INSTANCE_DISCOVERY",
        "AZURE_CA_BUNDLE",
        "AZURE_HTTPS_PROXY",
    }
    assert by_setting["AZURE_TENANT_ID"].source == "env AZURE_TENANT_ID"
    assert by_setting["AZURE_DISABLE_INSTANCE_DISCOVERY"].source == f".env {env_file}"
    assert by_setting["AZURE_HTTPS_PROXY"].source == f"secrets_dir {tmp_path / 'secrets' / 'azure_https_proxy'}"
    assert by_setting["AZURE_CA_BUNDLE"].source == "argument ca_bundle"
    assert "true or false" in by_setting["AZURE_DISABLE_INSTANCE_DISCOVERY"].fix
    message = str(error)
    assert message.startswith("Invalid credential settings (prefix AZURE_): 5 problems.")
    assert message.count("Fix:") == 5
    assert PASSWORD not in message
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("client_id", "   ", "It is empty", id="blank-client-id"),
        pytest.param("username", "alice smith@contoso.com", "It contains whitespace", id="spaced-username"),
        pytest.param("password", "", "It is empty", id="empty-password"),
        pytest.param("authority_host", "http://login.example.com", "must be an https URL", id="http-authority"),
        pytest.param("additionally_allowed_tenants", "a.com;b c", "Invalid tenant ID", id="bad-allowed-tenant"),
        pytest.param("token_cache_name", "../escape", "must not start with '.'", id="cache-name-path"),
        pytest.param("https_proxy", "http://proxy:99999", "not a proxy URL", id="proxy-port"),
        pytest.param("token_cache_persistence", "sometimes", "valid boolean", id="not-a-boolean"),
    ],
)
def test_each_rule_names_what_is_wrong(field: str, value: str, message: str) -> None:
    """Every field's rule produces a message saying what is wrong, and a fix saying what is expected."""
    arguments: dict[str, Any] = {"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD, field: value}
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=None, **arguments)
    (problem,) = caught.value.problems
    assert problem.field == field
    assert message in problem.message
    assert problem.fix.startswith(f"set AZURE_{field.upper()} to ")


def test_values_of_bad_settings_are_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A too-short cache key is reported without its value, even in pydantic's details."""
    key = "Short-Cache-Key-9c2e"
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, token_cache_key=key)
    assert "shorter than 32 characters" in str(caught.value)
    assert key not in str(caught.value)
    assert key not in repr(caught.value.__cause__) + repr(caught.value.__context__)


def test_an_unknown_argument_is_named_with_the_valid_ones() -> None:
    """A misspelt keyword argument is a problem that lists the real field names."""
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(client_id=CLIENT_ID, username=USERNAME, password=PASSWORD, tenant="x")
    (problem,) = caught.value.problems
    assert (problem.setting, problem.message) == ("tenant", "is not a setting.")
    assert "tenant_id" in problem.fix


def test_the_error_survives_pickling() -> None:
    """SettingsError can cross a process boundary with its problems intact."""
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_prefix="POWERBI_")
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert (copy.problems, str(copy)) == (caught.value.problems, str(caught.value))


@pytest.mark.parametrize(
    ("variable", "suggestion"),
    [
        pytest.param("AZURE_CLIENTID", "AZURE_CLIENT_ID", id="missing-underscore"),
        pytest.param("AZURE_PASWORD", "AZURE_PASSWORD", id="missing-letter"),
        pytest.param("AZURE_USER_NAME", "AZURE_USERNAME", id="extra-underscore"),
        pytest.param("AZURE_TENANT", "AZURE_TENANT_ID", id="truncated"),
        pytest.param("AZURE_PASSWORD_FIEL", "AZURE_PASSWORD_FILE", id="file-variant"),
        pytest.param("azure_pasword", "AZURE_PASSWORD", id="lower-case"),
    ],
)
def test_typos_are_warnings_with_a_suggestion(
    variable: str, suggestion: str, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
) -> None:
    """A prefixed variable close to one of ours is reported, and audited, with what it probably meant."""
    monkeypatch.setenv(variable, "x")
    with capture_audit() as events:
        settings = CredentialSettings.from_sources(env_file=None)
    (warning,) = settings.describe().warnings
    assert (warning.kind, warning.setting) == ("typo", variable)
    assert f"did you mean {suggestion}?" in warning.message
    typos = [e for e in events if e["event"] == SETTINGS_TYPO_SUSPECTED]
    assert typos == [
        {
            "event": SETTINGS_TYPO_SUSPECTED,
            "log_level": "warning",
            "env_prefix": "AZURE_",
            "variable": variable,
            "suggestion": suggestion,
        }
    ]


@pytest.mark.parametrize(
    "variable",
    [
        "AZURE_SUBSCRIPTION_ID",
        "AZURE_REGIONAL_AUTHORITY_NAME",
        "AZURE_LOG_LEVEL",
        "AZURE_CONFIG_DIR",
        "AZURE_FUNCTIONS_ENVIRONMENT",
    ],
)
def test_other_azure_variables_are_not_typos(
    variable: str, monkeypatch: pytest.MonkeyPatch, signed_in_env: None
) -> None:
    """Variables of azure-identity's other credentials and of Azure tools raise no warning."""
    monkeypatch.setenv(variable, "x")
    assert CredentialSettings.from_sources(env_file=None).describe().warnings == ()


def test_typos_in_dotenv_are_reported_even_when_the_settings_are_invalid(write: Write) -> None:
    """A typo that explains a missing setting appears in the failed load's report."""
    env_file = write("app/.env", "AZURE_CLIENTID=abc\n")
    with pytest.raises(SettingsError) as caught:
        CredentialSettings.from_sources(env_file=env_file)
    assert caught.value.report is not None
    assert [w.setting for w in caught.value.report.warnings] == ["AZURE_CLIENTID"]


def test_no_typo_detection_without_a_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    """With an empty prefix every variable would be a candidate: nothing is reported."""
    monkeypatch.setenv("PASWORD", "x")
    settings = CredentialSettings.from_sources(
        env_prefix="", env_file=None, client_id="c", username=USERNAME, password="p"
    )
    assert settings.describe().warnings == ()


@pytest.mark.parametrize(
    ("values", "kinds"),
    [
        pytest.param(
            {"token_cache_persistence": True, "token_cache_allow_unencrypted": True}, ["unencrypted_cache"], id="plain"
        ),
        pytest.param(
            {"token_cache_persistence": True, "token_cache_allow_unencrypted": True, "token_cache_key": CACHE_KEY},
            [],
            id="plain-allowed-but-keyed",
        ),
        pytest.param({"token_cache_name": "app.cache"}, ["ignored"], id="cache-setting-without-persistence"),
        pytest.param({"enable_support_logging": True}, ["support_logging"], id="support-logging"),
        pytest.param({"username": "alice"}, ["not_a_upn"], id="not-a-upn"),
    ],
)
def test_risky_choices_are_warnings(values: dict[str, Any], kinds: list[str]) -> None:
    """Settings that work but are probably not meant produce warnings of a named kind."""
    arguments = {"client_id": CLIENT_ID, "username": USERNAME, "password": PASSWORD, **values}
    settings = CredentialSettings.from_sources(env_file=None, **arguments)
    assert [w.kind for w in settings.describe().warnings] == kinds
