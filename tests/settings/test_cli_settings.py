"""`settings-cred check` and `settings-cred token`, run as real subprocesses.

Until the commands are wired into ``settings_cred._cli``, they run through their own entry point,
``python -m settings_cred._cli._settings_commands``, which registers them with the same ``add_commands``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from settings_cred import UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE
from tests.settings.conftest import VAULT

ENTRY = ("-m", "settings_cred")
WRONG = "Wrong-Cli-Canary-4e1f0c"
BASE_INSTALL = Path(__file__).resolve().parents[1] / "base_install"
"""For ``PYTHONPATH``: a ``sitecustomize`` that makes azure-identity and azure-keyvault-secrets absent."""


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the settings commands in a new process with ``env`` added to the (isolated) environment."""
    return subprocess.run(
        [sys.executable, *ENTRY, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


def good_env(password: str = PASSWORD) -> dict[str, str]:
    """A complete, valid configuration."""
    return {"AZURE_CLIENT_ID": CLIENT_ID, "AZURE_USERNAME": USERNAME, "AZURE_PASSWORD": password}


def signed_in_az(idp: EntraEmulator, tmp_path: Path) -> Path:
    """A directory holding a stand-in ``az`` that answers ``az account get-access-token`` as after ``az login``.

    Its token is a real one from the emulator (the developer's own sign-in, made here once).
    """
    with UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as developer:
        token = developer.get_token(VAULT_SCOPE)
    answer = json.dumps({"accessToken": token.token, "expires_on": token.expires_on, "tokenType": "Bearer"})
    directory = tmp_path / "bin"
    directory.mkdir()
    az = directory / "az"
    az.write_text(f"#!{sys.executable}\nprint({answer!r})\n")
    az.chmod(0o755)
    return directory


def assert_no_secret(result: subprocess.CompletedProcess[str], *secrets: str) -> None:
    """Neither stream contains any of ``secrets``."""
    for secret in secrets:
        assert secret not in result.stdout + result.stderr


class TestCheck:
    """`check` validates the configuration and shows its provenance, masked."""

    def test_a_valid_configuration_exits_0_with_the_table(self) -> None:
        """Exit 0, a verdict line, one row per variable with its source, values masked."""
        result = run_cli("check", env={**good_env(), "AZURE_TENANT_ID": "contoso.onmicrosoft.com"})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0] == "settings-cred check: the configuration is valid (prefix AZURE_)"
        assert any(line.split()[:3] == ["AZURE_PASSWORD", "**********", "env"] for line in lines)
        assert "a***@contoso.onmicrosoft.com" in result.stdout
        assert_no_secret(result, PASSWORD, USERNAME)

    def test_an_invalid_configuration_exits_1_with_every_problem(self, isolated: Path) -> None:
        """Exit 1; stderr holds the aggregated error; the planted password appears nowhere."""
        (isolated / ".env").write_text("AZURE_DISABLE_INSTANCE_DISCOVERY=perhaps\n")
        env = {"AZURE_PASSWORD": WRONG, "AZURE_TENANT_ID": "bad tenant", "AZURE_CLIENTID": "x"}
        result = run_cli("check", env=env, cwd=isolated)
        assert result.returncode == 1
        assert "the configuration is INVALID" in result.stdout
        assert "missing: AZURE_CLIENT_ID, AZURE_USERNAME." in result.stderr
        assert "AZURE_TENANT_ID (env AZURE_TENANT_ID)" in result.stderr
        assert f"AZURE_DISABLE_INSTANCE_DISCOVERY (.env {isolated / '.env'})" in result.stderr
        assert "warning: AZURE_CLIENTID is not a setting; did you mean AZURE_CLIENT_ID?" in result.stdout
        assert_no_secret(result, WRONG)

    def test_json_reports_validity_rows_warnings_and_errors(self) -> None:
        """--json prints one document for valid and invalid configurations alike."""
        valid = run_cli("check", "--json", env=good_env())
        invalid = run_cli("check", "--json", env={"AZURE_PASSWORD": WRONG})
        assert (valid.returncode, invalid.returncode) == (0, 1)
        good, bad = json.loads(valid.stdout), json.loads(invalid.stdout)
        assert (good["valid"], bad["valid"]) == (True, False)
        assert [e["setting"] for e in bad["errors"]] == ["AZURE_CLIENT_ID", "AZURE_USERNAME"]
        assert {r["field"]: r["value"] for r in bad["settings"]}["password"] == "**********"
        assert_no_secret(invalid, WRONG)

    def test_prefix_env_file_and_secrets_dir_options(self, tmp_path: Path) -> None:
        """--env-prefix, --env-file and --secrets-dir choose what is read."""
        (tmp_path / "pbi.env").write_text(f"POWERBI_CLIENT_ID={CLIENT_ID}\nPOWERBI_USERNAME={USERNAME}\n")
        (tmp_path / "secrets").mkdir()
        (tmp_path / "secrets" / "powerbi_password").write_text(PASSWORD)
        result = run_cli(
            "check", "--json", "--env-prefix", "POWERBI_", "--env-file", str(tmp_path / "pbi.env"),
            "--secrets-dir", str(tmp_path / "secrets"),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        sources = {r["variable"]: r["source"] for r in json.loads(result.stdout)["settings"]}
        assert (sources["POWERBI_USERNAME"], sources["POWERBI_PASSWORD"]) == ("env_file", "secrets_dir")

    @pytest.mark.parametrize(
        "args",
        [
            pytest.param(["check", "--no-such-option"], id="unknown-option"),
            pytest.param(["check", "--env-prefix", "MY APP"], id="impossible-prefix"),
            pytest.param(["token"], id="token-without-scope"),
        ],
    )
    def test_usage_errors_exit_2(self, args: list[str]) -> None:
        """Wrong command lines are usage errors."""
        assert run_cli(*args, env=good_env()).returncode == 2

    def test_references_are_reported_and_resolved_on_request(self, idp: EntraEmulator, tmp_path: Path) -> None:
        """Without --resolve a reference is a warning; with it, the developer's ``az login`` reads it, no password."""
        idp.add_secret(VAULT, "cache-key", CACHE_KEY)
        env = {
            **idp.environ(),
            **good_env(),
            "AZURE_TOKEN_CACHE_PERSISTENCE": "true",
            "AZURE_TOKEN_CACHE_KEY": f"@Microsoft.KeyVault(VaultName={VAULT};SecretName=cache-key)",
            "AZURE_TOKEN_CREDENTIALS": "dev",  # a developer machine: no managed identity to probe
            "AZURE_TOKEN_CACHE_DIR": str(tmp_path / "cache"),  # check --resolve opens the store: not in $HOME
            "PATH": str(signed_in_az(idp, tmp_path)),
        }
        reported = run_cli("check", env=env)
        assert reported.returncode == 0, reported.stderr
        assert "AZURE_TOKEN_CACHE_KEY is a Key Vault reference" in reported.stdout
        assert idp.count("keyvault") == 0
        password_grants = idp.count("token", grant_type="password")
        resolved = run_cli("check", "--resolve", env=env)
        assert resolved.returncode == 0, resolved.stderr
        assert "Key Vault reference" not in resolved.stdout
        assert idp.count("keyvault") >= 1
        missing = run_cli(
            "check", "--resolve", env={**env, "AZURE_TOKEN_CACHE_KEY": env["AZURE_TOKEN_CACHE_KEY"][:-1] + "x)"}
        )
        assert missing.returncode == 1
        assert "the vault has no such secret" in missing.stderr
        assert idp.count("token", grant_type="password") == password_grants, "the bootstrap sent no password"
        for result in (reported, resolved, missing):
            assert_no_secret(result, PASSWORD, CACHE_KEY)

    def test_resolve_without_the_keyvault_extra_names_it(self) -> None:
        """``check --resolve`` on an install without azure-identity or azure-keyvault-secrets names the one extra."""
        result = run_cli("check", "--resolve", env={**good_env(), "PYTHONPATH": str(BASE_INSTALL)})
        assert result.returncode == 2
        assert "pip install 'settings-cred[keyvault]'" in result.stderr


class TestToken:
    """`token` signs in and shows what it got, the token itself only on request."""

    def env(self, idp: EntraEmulator, password: str = PASSWORD) -> dict[str, str]:
        """A configuration whose transport settings route through the emulator."""
        return {**good_env(password), "AZURE_HTTPS_PROXY": idp.proxy_url, "AZURE_CA_BUNDLE": idp.ca_bundle}

    def test_prints_expiry_tenant_and_scopes_but_not_the_token(self, idp: EntraEmulator) -> None:
        """Exit 0 with tenant, scopes and expiry; no token and no password in the output."""
        result = run_cli("token", "--scope", VAULT_SCOPE, env=self.env(idp))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == "token acquired"
        assert f"tenant:      {idp.tenant_id}" in result.stdout
        assert f"scopes:      {VAULT_SCOPE}" in result.stdout
        assert "expires_on:" in result.stdout
        assert "eyJ" not in result.stdout
        assert_no_secret(result, PASSWORD)

    def test_show_token_prints_it_in_json_too(self, idp: EntraEmulator) -> None:
        """--show-token adds the access token; --json makes the output a document."""
        result = run_cli("token", "--scope", VAULT_SCOPE, "--show-token", "--json", env=self.env(idp))
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["token"].count(".") == 2
        assert document["tenant"] == idp.tenant_id
        assert document["expires_in"] > 3000

    def test_a_tenant_can_be_requested(self, idp: EntraEmulator) -> None:
        """--tenant sends the request to that tenant."""
        result = run_cli("token", "--scope", VAULT_SCOPE, "--tenant", idp.tenant_id, env=self.env(idp))
        assert result.returncode == 0, result.stderr
        assert any(r.path.startswith(f"/{idp.tenant_id}/") for r in idp.requests if r.endpoint == "token")

    def test_a_wrong_password_exits_1_with_the_remedy(self, idp: EntraEmulator) -> None:
        """Entra's refusal is shown with its error class and code, never the password."""
        result = run_cli("token", "--scope", VAULT_SCOPE, env=self.env(idp, WRONG))
        assert result.returncode == 1
        assert "InvalidCredentialsError" in result.stderr
        assert "AADSTS50126" in result.stderr
        assert_no_secret(result, WRONG)

    def test_invalid_settings_exit_1(self) -> None:
        """A configuration error stops `token` before any request."""
        result = run_cli("token", "--scope", VAULT_SCOPE, env={"AZURE_PASSWORD": WRONG})
        assert result.returncode == 1
        assert "missing: AZURE_CLIENT_ID, AZURE_USERNAME." in result.stderr
        assert_no_secret(result, WRONG)
