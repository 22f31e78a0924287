"""A confidential app in the emulator and the environment that configures it: shared by the integration tests."""

from __future__ import annotations

import pytest

from settings_cred.emulator import EntraEmulator

APP_ID = "c0ffee00-def0-4abc-8def-0123456789ab"
SECRET = "Integration-Client-Secret-Canary-7e"


def client_secret_app(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch, prefix: str = "AZURE_") -> EntraEmulator:
    """Register a confidential app with a client secret; configure it under ``prefix`` (no username, no password)."""
    idp.add_app(APP_ID, allow_public_client_flows=False)
    idp.add_client_secret(APP_ID, SECRET)
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    for name in ("USERNAME", "PASSWORD"):
        monkeypatch.delenv(prefix + name, raising=False)
    monkeypatch.setenv(prefix + "TENANT_ID", idp.tenant_id)
    monkeypatch.setenv(prefix + "CLIENT_ID", APP_ID)
    monkeypatch.setenv(prefix + "CLIENT_SECRET", SECRET)
    return idp


def client_credentials_grants(idp: EntraEmulator) -> int:
    """Client credentials grants the emulator answered."""
    return idp.count("token", grant_type="client_credentials")
