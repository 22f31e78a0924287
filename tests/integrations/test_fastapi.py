"""FastAPI: the lifespan builds and closes the async credential; routes get it by dependency."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from settings_cred.aio import UsernamePasswordCredential as AsyncUsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from settings_cred.integrations.fastapi import Credential, credential_lifespan, readiness_router
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE


def make_app(idp: EntraEmulator, password: str = PASSWORD) -> FastAPI:
    """An app whose credential signs in to the emulator."""

    def factory() -> AsyncUsernamePasswordCredential:
        return AsyncUsernamePasswordCredential(CLIENT_ID, USERNAME, password, **idp.pipeline_options())

    app = FastAPI(lifespan=credential_lifespan(factory))
    app.include_router(readiness_router(scopes=[VAULT_SCOPE]))

    @app.get("/token-expiry")
    async def token_expiry(credential: Credential) -> dict[str, int]:
        return {"expires_on": (await credential.get_token_info(VAULT_SCOPE)).expires_on}

    return app


def test_route_gets_a_token_through_the_dependency(idp: EntraEmulator) -> None:
    """A route using the dependency gets a token; the credential is shared across requests."""
    with TestClient(make_app(idp)) as client:
        first = client.get("/token-expiry").json()
        second = client.get("/token-expiry").json()
    assert first == second
    assert idp.count("token", grant_type="password") == 1


def test_readiness_route_reports_ready_then_cached(idp: EntraEmulator) -> None:
    """The readiness route answers 200 with the report, from Entra first and then from cache."""
    with TestClient(make_app(idp)) as client:
        first = client.get("/healthz/azure")
        second = client.get("/healthz/azure")
    assert first.status_code == 200
    assert (first.json()["source"], second.json()["source"]) == ("entra", "cache")
    assert "token" not in second.json()


def test_readiness_route_reports_a_wrong_password_without_it(idp: EntraEmulator) -> None:
    """With a wrong password the route answers 503 with the error code, and the password appears nowhere."""
    with TestClient(make_app(idp, password="wrong-fastapi-pw")) as client:
        response = client.get("/healthz/azure")
    assert response.status_code == 503
    assert response.json()["error_code"] == 50126
    assert "wrong-fastapi-pw" not in response.text


def test_credential_is_closed_at_shutdown(idp: EntraEmulator) -> None:
    """Leaving the lifespan closes the credential exactly once."""
    closed: list[bool] = []

    class Recording(AsyncUsernamePasswordCredential):
        async def close(self) -> None:
            closed.append(True)
            await super().close()

    app = FastAPI(
        lifespan=credential_lifespan(lambda: Recording(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()))
    )
    app.include_router(readiness_router(scopes=[VAULT_SCOPE]))
    with TestClient(app) as client:
        assert client.get("/healthz/azure").status_code == 200
        assert closed == []
    assert closed == [True]


@pytest.mark.parametrize("path", ["/healthz/azure"])
def test_bad_factory_fails_at_start_up(idp: EntraEmulator, path: str) -> None:
    """A factory that raises (bad configuration) stops the app from starting."""

    def broken() -> AsyncUsernamePasswordCredential:
        raise ValueError("AZURE_CLIENT_ID is missing")

    app = FastAPI(lifespan=credential_lifespan(broken))
    app.include_router(readiness_router(path=path))
    with pytest.raises(ValueError, match="AZURE_CLIENT_ID"), TestClient(app):
        pass


def test_wrong_configuration_stops_start_up_without_leaking(
    idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """With AZURE_CLIENT_ID missing, start-up fails with the aggregated SettingsError, which hides the password."""
    from settings_cred import SettingsError

    monkeypatch.chdir(str(tmp_path))
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AZURE_CLIENT_ID", raising=False)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", "Fastapi-Canary-Pw-77")
    app = FastAPI(lifespan=credential_lifespan())
    with pytest.raises(SettingsError) as caught, TestClient(app):
        pass
    message = str(caught.value)
    assert "AZURE_CLIENT_ID" in message
    assert "Fastapi-Canary-Pw-77" not in message + repr(caught.value)
