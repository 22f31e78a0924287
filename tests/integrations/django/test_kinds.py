"""Django builds whatever kind the configuration describes: a client secret, through the registry and readiness."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

import settings_cred
from settings_cred.emulator import EntraEmulator
from settings_cred.integrations.django import credentials
from tests.integrations.kinds import SECRET, client_credentials_grants, client_secret_app


@pytest.fixture
def app(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> EntraEmulator:
    """A client-secret configuration in AZURE_* (the default alias) and POWERBI_* (a second alias)."""
    client_secret_app(idp, monkeypatch, "POWERBI_")
    return client_secret_app(idp, monkeypatch)


def test_the_registry_builds_a_client_secret_credential(app: EntraEmulator) -> None:
    """credentials["default"] is a ClientSecretCredential and gets its token with the client credentials grant."""
    assert type(credentials["default"]) is settings_cred.ClientSecretCredential
    assert Client().get("/token/default").status_code == 200
    assert client_credentials_grants(app) == 1


def test_readiness_works_for_a_client_secret(app: EntraEmulator) -> None:
    """The readiness view answers 200 from Entra ID, then from the cache, for a non-password alias."""
    with override_settings(SETTINGS_CRED={"default": {}, "powerbi": {"ENV_PREFIX": "POWERBI_"}}):
        first, second = Client().get("/healthz/powerbi"), Client().get("/healthz/powerbi")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["source"], second.json()["source"]) == ("entra", "cache")
    assert SECRET not in first.content.decode()


def test_system_checks_pass_and_name_no_secret(app: EntraEmulator, capsys: pytest.CaptureFixture[str]) -> None:
    """manage.py check is silent for a valid client-secret configuration."""
    call_command("check", "--tag", "settings_cred")
    output = capsys.readouterr()
    assert "System check identified no issues" in output.out
    assert SECRET not in output.out + output.err


def test_mixed_kinds_are_a_system_check_error(app: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """A leftover AZURE_USERNAME/AZURE_PASSWORD beside the client secret: E001 naming both kinds."""
    from settings_cred.integrations.django.checks import check_settings

    monkeypatch.setenv("AZURE_USERNAME", "alice@contoso.onmicrosoft.com")
    monkeypatch.setenv("AZURE_PASSWORD", "Leftover-Pa55")
    messages = check_settings()
    assert [m.id for m in messages] == ["settings_cred.E001"]
    assert "client_secret (AZURE_CLIENT_SECRET) and password (AZURE_USERNAME, AZURE_PASSWORD)" in messages[0].msg
    assert "AZURE_CREDENTIAL_KIND=client_secret" in (messages[0].hint or "")
