"""Flask and FastAPI build whatever kind the configuration describes: a client secret, with readiness."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from flask import Flask

import settings_cred
import settings_cred.aio
from settings_cred.emulator import EntraEmulator
from settings_cred.integrations.fastapi import Credential, credential_lifespan, readiness_router
from settings_cred.integrations.flask import SettingsCred, readiness_blueprint
from tests.conftest import VAULT_SCOPE
from tests.integrations.kinds import SECRET, client_credentials_grants, client_secret_app


@pytest.fixture
def app(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> EntraEmulator:
    """A client-secret configuration in AZURE_*; no .env in the working directory."""
    monkeypatch.chdir(tmp_path)
    return client_secret_app(idp, monkeypatch)


class TestFlask:
    """SettingsCred builds a ClientSecretCredential from AZURE_CLIENT_SECRET; readiness and check work for it."""

    def flask_app(self) -> Flask:
        """An app with the extension and the readiness blueprint."""
        flask_app = Flask(__name__)
        SettingsCred(flask_app)
        flask_app.register_blueprint(readiness_blueprint(scopes=[VAULT_SCOPE]))
        return flask_app

    def test_the_credential_and_readiness(self, app: EntraEmulator) -> None:
        """The default alias is a ClientSecretCredential; the readiness route answers 200, then from cache."""
        flask_app = self.flask_app()
        with flask_app.app_context():
            assert type(flask_app.extensions["settings_cred"]["default"]) is settings_cred.ClientSecretCredential
        client = flask_app.test_client()
        first, second = client.get("/healthz/azure"), client.get("/healthz/azure")
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first.json or {})["source"] == "entra"
        assert (second.json or {})["source"] == "cache"
        assert client_credentials_grants(app) == 1

    def test_an_alias_can_set_the_kind_in_settings_cred(
        self, app: EntraEmulator, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SETTINGS_CRED values choose the kind too: CREDENTIAL_KIND beside a leftover username is explicit."""
        monkeypatch.setenv("AZURE_USERNAME", "alice@contoso.onmicrosoft.com")
        flask_app = Flask(__name__)
        flask_app.config["SETTINGS_CRED"] = {"default": {"CREDENTIAL_KIND": "client_secret"}}
        SettingsCred(flask_app)
        flask_app.register_blueprint(readiness_blueprint(scopes=[VAULT_SCOPE]))
        assert flask_app.test_client().get("/healthz/azure").status_code == 200

    def test_check_names_the_kind(self, app: EntraEmulator) -> None:
        """flask settings-cred check prints the kind and what chose it, and no secret."""
        result = self.flask_app().test_cli_runner().invoke(args=["settings-cred", "check"])
        assert result.exit_code == 0, result.output
        assert "credential kind: client_secret (chosen by AZURE_CLIENT_SECRET)" in result.stdout
        assert "ROPC" not in result.stdout
        assert SECRET not in result.output


class TestFastAPI:
    """The default lifespan builds the async ClientSecretCredential from the environment; readiness works for it."""

    def fastapi_app(self) -> FastAPI:
        """An app with the default lifespan (settings_cred.aio.credential_from_env), a route and readiness."""
        fastapi_app = FastAPI(lifespan=credential_lifespan())
        fastapi_app.include_router(readiness_router(scopes=[VAULT_SCOPE]))

        @fastapi_app.get("/kind")
        async def kind(credential: Credential) -> dict[str, str]:
            return {"class": type(credential).__qualname__, "module": type(credential).__module__}

        return fastapi_app

    def test_the_credential_and_readiness(self, app: EntraEmulator) -> None:
        """The dependency gives the async ClientSecretCredential; readiness answers 200, then from the cache."""
        with TestClient(self.fastapi_app()) as client:
            kind = client.get("/kind").json()
            first, second = client.get("/healthz/azure"), client.get("/healthz/azure")
        assert kind["class"] == "ClientSecretCredential"
        assert kind["module"].startswith("settings_cred.aio")
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first.json()["source"], second.json()["source"]) == ("entra", "cache")
        assert client_credentials_grants(app) == 1
        assert SECRET not in first.text

    def test_a_wrong_secret_is_503_with_the_code(self, app: EntraEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
        """Readiness reports AADSTS7000215 for a wrong client secret, without the secret."""
        monkeypatch.setenv("AZURE_CLIENT_SECRET", "Wrong-FastAPI-Secret-Canary")
        with TestClient(self.fastapi_app()) as client:
            response = client.get("/healthz/azure")
        assert response.status_code == 503
        assert response.json()["error_code"] == 7000215
        assert "Wrong-FastAPI-Secret-Canary" not in response.text

    def test_the_async_class_is_what_the_factory_returns(self, app: EntraEmulator) -> None:
        """settings_cred.aio.credential_from_env() returns the async twin of the configured kind."""

        async def build() -> type:
            credential = await settings_cred.aio.credential_from_env()
            await credential.close()
            return type(credential)

        assert asyncio.run(build()) is settings_cred.aio.ClientSecretCredential
