"""The readiness view: 200 and the report when a token can be served, 503 with the error code otherwise."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from settings_cred.emulator import EntraEmulator
from tests.conftest import CLIENT_ID, VAULT_SCOPE


def test_readiness_reports_ready_then_cached(emulator_env: EntraEmulator) -> None:
    """The view configured by URL kwargs answers 200, from Entra first and then from the cache."""
    client = Client()
    first = client.get("/healthz/azure")
    second = client.get("/healthz/azure")
    assert first.status_code == 200
    assert (first.json()["source"], second.json()["source"]) == ("entra", "cache")
    assert first.json()["scopes"] == [VAULT_SCOPE]
    assert "token" not in second.json()


def test_readiness_reports_a_wrong_password_without_it(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """The factory-made view for ``powerbi`` answers 503 with AADSTS50126, and the password appears nowhere."""
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POWERBI_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("POWERBI_USERNAME", "alice@contoso.onmicrosoft.com")
    monkeypatch.setenv("POWERBI_PASSWORD", "wrong-django-pw")
    with override_settings(SETTINGS_CRED={"powerbi": {"ENV_PREFIX": "POWERBI_"}}):
        response = Client().get("/healthz/powerbi")
    assert response.status_code == 503
    assert response.json()["error_code"] == 50126
    assert "wrong-django-pw" not in response.content.decode()


def test_readiness_only_answers_get() -> None:
    """Other methods get 405 and build no credential."""
    assert Client().post("/healthz/azure").status_code == 405
