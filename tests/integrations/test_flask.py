"""Flask: the extension loads every alias at init_app, builds credentials on first use, checks and reports them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from settings_cred import SettingsError, UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from settings_cred.integrations.flask import SettingsCred, UnknownAliasError, readiness_blueprint
from tests.conftest import CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

BOB = "bob@contoso.onmicrosoft.com"
BOB_PASSWORD = "Canary-Bob-Pa55-2d8a41"  # a second canary, for the second alias

ext = SettingsCred()  # at import time, as an app factory's module would have it


@pytest.fixture(autouse=True)
def environment(idp: EntraEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> EntraEmulator:
    """The emulator reached through the environment, Alice's settings as AZURE_*, Bob's as POWERBI_*, no .env."""
    for name in list(os.environ):
        if name.upper().startswith(("AZURE_", "POWERBI_", "WEBSITE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    idp.add_user(BOB, BOB_PASSWORD)
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
    monkeypatch.setenv("POWERBI_USERNAME", BOB)
    monkeypatch.setenv("POWERBI_PASSWORD", BOB_PASSWORD)
    return idp


def create_app(config: Any = None, **routes: str) -> Flask:
    """An app factory: ``SETTINGS_CRED`` from ``config`` (absent for ``None``), a token route per alias."""
    app = Flask(__name__)
    if config is not None:
        app.config["SETTINGS_CRED"] = config
    ext.init_app(app)
    app.register_blueprint(readiness_blueprint(scopes=[VAULT_SCOPE]))
    for path, alias in routes.items():
        app.add_url_rule(f"/{path}", path, _token_route(alias))
    return app


def _token_route(alias: str) -> Any:
    def route() -> dict[str, int]:
        return {"expires_on": ext.credentials[alias].get_token_info(VAULT_SCOPE).expires_on}

    return route


TWO_ALIASES = {
    "default": {"ENV_PREFIX": "AZURE_", "OPTIONS": {"retry_total": 1}},
    "powerbi": {"ENV_PREFIX": "POWERBI_", "CLIENT_ID": CLIENT_ID},
}


class TestCredentials:
    """Credentials come from the environment or SETTINGS_CRED, one per alias, built once."""

    def test_route_gets_a_token_from_the_environment(self, idp: EntraEmulator) -> None:
        """Without SETTINGS_CRED, a route gets a token for AZURE_*; the credential is shared across requests."""
        client = create_app(alice="default").test_client()
        first, second = client.get("/alice"), client.get("/alice")
        assert first.status_code == 200
        assert first.json == second.json
        assert idp.count("token", grant_type="password") == 1

    def test_two_aliases_sign_in_as_their_own_users(self, idp: EntraEmulator) -> None:
        """Each alias signs in with its own prefix's user; a value in SETTINGS_CRED stands in for a variable."""
        app = create_app(TWO_ALIASES, alice="default", bob="powerbi")
        client = app.test_client()
        assert (client.get("/alice").status_code, client.get("/bob").status_code) == (200, 200)
        signed_in = [r.username or "" for r in idp.requests if r.grant_type == "password"]
        assert sorted(signed_in) == sorted([USERNAME, BOB])
        with app.app_context():
            assert ext.credential is ext.credentials["default"]
            assert ext.credentials["powerbi"] is not ext.credential
            assert sorted(ext.credentials) == ["default", "powerbi"]

    def test_each_app_of_a_factory_has_its_own_credentials(self) -> None:
        """One extension object serves several apps; each app builds its own credential."""
        first, second = create_app(), create_app()
        with first.app_context():
            one = ext.credential
        with second.app_context():
            other = ext.credential
        assert isinstance(one, UsernamePasswordCredential)
        assert one is not other
        assert first.extensions["settings_cred"]["default"] is one

    def test_credential_is_built_once_across_threads(self) -> None:
        """Threads racing for the first use all get the same credential."""
        app = create_app()
        barrier = threading.Barrier(8)
        seen: list[UsernamePasswordCredential] = []

        def use() -> None:
            with app.app_context():
                barrier.wait()
                seen.append(ext.credential)

        threads = [threading.Thread(target=use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 8
        assert len({id(credential) for credential in seen}) == 1

    def test_close_closes_and_the_next_use_builds_afresh(self, idp: EntraEmulator) -> None:
        """After close() the next use builds a new credential, which signs in again."""
        app = create_app(alice="default")
        client = app.test_client()
        client.get("/alice")
        with app.app_context():
            before = ext.credential
            ext.close()
            after = ext.credential
        assert after is not before
        assert before._core._closed
        assert client.get("/alice").status_code == 200
        assert idp.count("token", grant_type="password") == 2

    def test_credentials_are_closed_at_exit(self, tmp_path: Path) -> None:
        """A process that built a credential closes it when the interpreter exits."""
        script = textwrap.dedent(
            """
            import atexit
            from flask import Flask
            built = []
            atexit.register(lambda: print("closed" if built[0]._core._closed else "open"))  # runs last
            from settings_cred.integrations.flask import SettingsCred
            app = Flask("exiting")
            ext = SettingsCred(app)
            with app.app_context():
                built.append(ext.credential)
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path.cwd()
        )
        assert done.stdout.strip() == "closed"

    def test_unknown_alias_names_the_configured_ones(self) -> None:
        """Asking for an alias SETTINGS_CRED lacks raises a KeyError naming the configured aliases."""
        app = create_app(TWO_ALIASES)
        with app.app_context(), pytest.raises(UnknownAliasError, match="configured aliases: 'default', 'powerbi'"):
            ext.credentials["graph"]

    def test_misuse_says_what_to_do(self) -> None:
        """init_app twice, or use on an app without the extension, raises a RuntimeError that says so."""
        app = create_app()
        with pytest.raises(RuntimeError, match="already initialised"):
            ext.init_app(app)
        with Flask("bare").app_context(), pytest.raises(RuntimeError, match=r"call init_app\(app\)"):
            ext.credential  # noqa: B018


class TestValidation:
    """Bad settings stop init_app with one SettingsError naming every setting and source, never a value."""

    def test_invalid_settings_of_every_alias_are_aggregated(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A bad value in SETTINGS_CRED, a missing variable and a whole missing alias are reported together."""
        monkeypatch.delenv("AZURE_USERNAME")
        monkeypatch.delenv("POWERBI_PASSWORD")
        config = {"default": {"TENANT_ID": "not a tenant!"}, "powerbi": {"ENV_PREFIX": "POWERBI_"}}
        with pytest.raises(SettingsError) as caught:
            create_app(config)
        message = str(caught.value)
        assert "AZURE_USERNAME" in message
        assert "argument SETTINGS_CRED['default']['TENANT_ID']" in message
        assert "POWERBI_CLIENT_ID" in message
        assert "POWERBI_PASSWORD" in message
        assert PASSWORD not in message
        assert BOB_PASSWORD not in message
        assert PASSWORD not in repr(caught.value.problems)

    def test_a_secret_in_settings_cred_never_appears(self) -> None:
        """A password given in SETTINGS_CRED next to a bad setting stays out of the error."""
        config = {"default": {"PASSWORD": PASSWORD, "AUTHORITY_HOST": "ftp://nowhere"}}
        with pytest.raises(SettingsError, match="AUTHORITY_HOST") as caught:
            create_app(config)
        assert PASSWORD not in str(caught.value)
        assert caught.value.report is not None
        assert PASSWORD not in caught.value.report.as_text()

    @pytest.mark.parametrize(
        ("config", "expected"),
        [
            pytest.param({"default": {"CLIENTID": "x"}}, "did you mean 'CLIENT_ID'", id="unknown-field"),
            pytest.param({"default": {"OPTIONS": {"retry_totl": 1}}}, "mean 'retry_total'", id="unknown-option"),
            pytest.param({"default": {"ENV_PREFIX": 5}}, "Must be a string", id="prefix-not-a-string"),
            pytest.param({}, "Names no alias", id="empty"),
            pytest.param(["default"], "Must be a dict of aliases", id="not-a-dict"),
        ],
    )
    def test_malformed_settings_cred_is_a_settings_error(self, config: Any, expected: str) -> None:
        """A malformed SETTINGS_CRED fails init_app with a SettingsError naming the key and the fix."""
        with pytest.raises(SettingsError, match=expected):
            create_app(config)


class TestReadiness:
    """The readiness blueprint answers with the report, 200 or 503, never the token."""

    def test_ready_from_entra_then_from_cache(self) -> None:
        """The first check signs in, the second is served from cache; neither shows the token."""
        client = create_app().test_client()
        first, second = client.get("/healthz/azure"), client.get("/healthz/azure")
        assert (first.status_code, second.status_code) == (200, 200)
        assert first.json is not None
        assert second.json is not None
        assert (first.json["source"], second.json["source"]) == ("entra", "cache")
        assert first.json["scopes"] == [VAULT_SCOPE]
        assert "token" not in second.json
        assert second.headers["Cache-Control"] == "no-store"

    def test_wrong_password_is_503_with_the_code_and_without_the_password(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A rejected password answers 503 with Entra's error code; the password is not in the body."""
        monkeypatch.setenv("AZURE_PASSWORD", "wrong-flask-pw")
        response = create_app().test_client().get("/healthz/azure")
        assert response.status_code == 503
        assert response.json is not None
        assert (response.json["status"], response.json["error_code"]) == ("unavailable", 50126)
        assert "wrong-flask-pw" not in response.text

    def test_blueprint_for_another_alias_and_url(self, idp: EntraEmulator) -> None:
        """A readiness blueprint can check a named alias at its own URL."""
        app = create_app(TWO_ALIASES)
        app.register_blueprint(readiness_blueprint("powerbi", url="/healthz/powerbi"))
        assert app.test_client().get("/healthz/powerbi").status_code == 200
        assert [r.username for r in idp.requests if r.grant_type == "password"] == [BOB]


class TestCheckCommand:
    """``flask settings-cred check`` prints each alias's provenance, masked, and exits 0 or 1."""

    def test_valid_configuration_exits_0_with_masked_values(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Each alias gets its table; secrets are masked, app.config values are sourced to their key."""
        monkeypatch.setenv("AZURE_USERNAM", "typo@contoso.com")
        result = create_app(TWO_ALIASES).test_cli_runner().invoke(args=["settings-cred", "check"])
        assert result.exit_code == 0, result.output
        assert "alias 'default' is valid (prefix AZURE_)" in result.stdout
        assert "alias 'powerbi' is valid (prefix POWERBI_)" in result.stdout
        assert "argument SETTINGS_CRED['powerbi']['CLIENT_ID']" in result.stdout
        assert "POWERBI_PASSWORD" in result.stdout
        assert "**********" in result.stdout
        assert "warning:" in result.stdout
        assert "AZURE_USERNAM" in result.stdout
        for secret in (PASSWORD, BOB_PASSWORD):
            assert secret not in result.output

    def test_invalid_configuration_exits_1_naming_the_problem(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """When the sources have gone bad since start-up, check exits 1 naming the setting, not the secret."""
        app = create_app()
        monkeypatch.delenv("AZURE_USERNAME")
        monkeypatch.setenv("AZURE_TENANT_ID", "bad tenant!")
        result = app.test_cli_runner().invoke(args=["settings-cred", "check"])
        assert result.exit_code == 1
        assert "alias 'default' is INVALID" in result.stdout
        assert "missing: AZURE_USERNAME" in result.stderr
        assert "env AZURE_TENANT_ID" in result.stderr
        assert PASSWORD not in result.output

    def test_json_output(self) -> None:
        """``--json`` prints one report per alias."""
        result = create_app(TWO_ALIASES).test_cli_runner().invoke(args=["settings-cred", "check", "--json"])
        assert result.exit_code == 0, result.output
        assert '"powerbi": {' in result.stdout
        assert PASSWORD not in result.output
