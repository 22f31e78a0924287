"""Provenance: every field says where its value came from; the report masks what must be masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from settings_cred._settings import CredentialSettings
from settings_cred.audit import SETTINGS_LOADED, SETTINGS_VALUE_RESOLVED, capture_audit
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME
from tests.settings.conftest import Write

CACHE_KEY = "Cache-Key-Canary-000000000000000000000"


@pytest.fixture
def settings(write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CredentialSettings:
    """Settings drawn from every kind of source."""
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD_FILE", str(write("run/pw", PASSWORD)))
    monkeypatch.setenv("AZURE_HTTPS_PROXY", "http://proxyuser:Proxy-Pa55@proxy.example.com:3128")
    env_file = write("app/.env", "AZURE_TENANT_ID=contoso.onmicrosoft.com\nAZURE_TOKEN_CACHE_PERSISTENCE=true\n")
    write("secrets/azure_token_cache_key", CACHE_KEY)
    return CredentialSettings.from_sources(env_file=env_file, secrets_dir=tmp_path / "secrets", client_id=CLIENT_ID)


def test_every_field_has_a_row_with_its_source(settings: CredentialSettings, tmp_path: Path) -> None:
    """Rows cover all fields, in order, with variable, source kind and location."""
    rows = {row.field: row for row in settings.describe().rows}
    assert list(rows) == list(CredentialSettings.model_fields)
    assert rows["client_id"][:4] == ("client_id", "AZURE_CLIENT_ID", "argument", "client_id")
    assert rows["username"][:4] == ("username", "AZURE_USERNAME", "env", "AZURE_USERNAME")
    assert rows["password"][:4] == ("password", "AZURE_PASSWORD_FILE", "file", str(tmp_path / "run" / "pw"))
    assert rows["tenant_id"][:4] == ("tenant_id", "AZURE_TENANT_ID", "env_file", str(tmp_path / "app" / ".env"))
    key_file = str(tmp_path / "secrets" / "azure_token_cache_key")
    assert rows["token_cache_key"][:4] == ("token_cache_key", "AZURE_TOKEN_CACHE_KEY", "secrets_dir", key_file)
    assert rows["token_cache_name"][:4] == ("token_cache_name", "AZURE_TOKEN_CACHE_NAME", "default", "")


def test_values_are_masked(settings: CredentialSettings) -> None:
    """Secrets show as asterisks, the username as a***@domain, a proxy's password hidden."""
    values = {row.field: row.value for row in settings.describe().rows}
    assert values["password"] == values["token_cache_key"] == "**********"
    assert values["username"] == "a***@contoso.onmicrosoft.com"
    assert values["https_proxy"] == "http://proxyuser:**********@proxy.example.com:3128"
    assert values["authority_host"] == "(not set)"
    assert values["token_cache_persistence"] == "true"


def test_text_and_json_renderings(settings: CredentialSettings, tmp_path: Path) -> None:
    """The text table shows variable, value and origin; JSON carries the same rows plus validity."""
    text = settings.describe().as_text()
    assert text.splitlines()[0].split() == ["VARIABLE", "VALUE", "SOURCE"]
    assert f"file {tmp_path / 'run' / 'pw'} via AZURE_PASSWORD_FILE" in text
    document = json.loads(settings.describe().as_json())
    assert document["valid"] is True
    assert document["env_prefix"] == "AZURE_"
    assert document["errors"] == []
    assert document["settings"][1] == {
        "field": "username",
        "variable": "AZURE_USERNAME",
        "source": "env",
        "location": "AZURE_USERNAME",
        "value": "a***@contoso.onmicrosoft.com",
    }
    for rendering in (text, settings.describe().as_json(), repr(settings), str(settings)):
        for secret in (PASSWORD, CACHE_KEY, "Proxy-Pa55"):
            assert secret not in rendering


def test_repr_masks_username_and_secrets(settings: CredentialSettings) -> None:
    """The model's repr shows a masked username and SecretStr placeholders."""
    assert "username='a***@contoso.onmicrosoft.com'" in repr(settings)
    assert USERNAME not in repr(settings)


def test_loading_is_audited_by_source_kind(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """One settings.value_resolved per field (source kind only) and one settings.loaded with the totals."""
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
    with capture_audit() as events:
        CredentialSettings.from_sources(env_file=None, client_id=CLIENT_ID, username="alice")
    resolved = {e["field"]: e["source"] for e in events if e["event"] == SETTINGS_VALUE_RESOLVED}
    assert resolved["password"] == "env"
    assert resolved["client_id"] == "argument"
    assert resolved["tenant_id"] == "default"
    assert len(resolved) == len(CredentialSettings.model_fields)
    (loaded,) = [e for e in events if e["event"] == SETTINGS_LOADED]
    assert loaded == {
        "event": SETTINGS_LOADED,
        "log_level": "info",
        "env_prefix": "AZURE_",
        "sources": ["argument", "default", "env"],
        "field_count": len(CredentialSettings.model_fields),
        "warning_count": 1,
    }
    assert PASSWORD not in repr(events)


def test_settings_built_without_sources_still_describe_themselves() -> None:
    """model_construct bypasses the sources: given fields are arguments, the rest defaults."""
    settings = CredentialSettings.model_construct(client_id=CLIENT_ID, username=USERNAME, password=PASSWORD)
    sources = {row.field: row.source for row in settings.describe().rows}
    assert (sources["client_id"], sources["tenant_id"]) == ("argument", "default")
