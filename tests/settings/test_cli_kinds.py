"""`settings-cred check` names the credential kind and why, shows the store and whether it answers, and warns
about the password kind with the variables of its replacement; `settings-cred token` works for every kind.

Run as real subprocesses against the emulator (over its HTTPS proxy) and a real redis-server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from settings_cred.emulator import ClientCertificate, EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE
from tests.redis_server import RedisServer, free_port
from tests.settings.test_cli_settings import assert_no_secret, good_env, run_cli

APP_ID = "c0ffee00-9abc-4abc-8def-0123456789ab"
SECRET = "Cli-Kinds-Secret-Canary-0d"
SUBJECT = "system:serviceaccount:reports:exporter"
REDIS_PASSWORD = "Cli-Redis-Canary-Pa55-3f"
PLATFORM = ("KUBERNETES_SERVICE_HOST", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "CONTAINER_APP_NAME")


@pytest.fixture(autouse=True)
def no_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever runs these tests, the commands see no Kubernetes and no Azure platform unless a test says so."""
    for name in PLATFORM:
        monkeypatch.delenv(name, raising=False)


def app_env(idp: EntraEmulator, **variables: str) -> dict[str, str]:
    """The application's tenant and client id, and transport settings that reach the emulator."""
    return {
        "AZURE_TENANT_ID": idp.tenant_id,
        "AZURE_CLIENT_ID": APP_ID,
        "AZURE_HTTPS_PROXY": idp.proxy_url,
        "AZURE_CA_BUNDLE": idp.ca_bundle,
        **variables,
    }


class TestCheckNamesTheKind:
    """The kind in use, and the variables that chose it, are part of check's output (text and JSON)."""

    @pytest.mark.parametrize(
        ("variables", "line"),
        [
            pytest.param(
                {"AZURE_CLIENT_SECRET": SECRET},
                "credential kind: client_secret (chosen by AZURE_CLIENT_SECRET)",
                id="client-secret",
            ),
            pytest.param(
                {"AZURE_FEDERATED_TOKEN_FILE": "token"},
                "credential kind: workload_identity (chosen by AZURE_FEDERATED_TOKEN_FILE)",
                id="workload-identity",
            ),
            pytest.param(
                {"AZURE_CREDENTIAL_KIND": "managed_identity"},
                "credential kind: managed_identity (set by AZURE_CREDENTIAL_KIND)",
                id="named-managed-identity",
            ),
            pytest.param(
                {"AZURE_USERNAME": USERNAME, "AZURE_PASSWORD": PASSWORD},
                "credential kind: password (chosen by AZURE_USERNAME, AZURE_PASSWORD)",
                id="password",
            ),
        ],
    )
    def test_the_kind_and_what_chose_it(
        self, idp: EntraEmulator, isolated: Path, variables: dict[str, str], line: str
    ) -> None:
        """One line names the kind and its reason; the secret appears nowhere."""
        (isolated / "token").write_text("a federated token")
        result = run_cli("check", env=app_env(idp, **variables), cwd=isolated)
        assert result.returncode == 0, result.stderr
        assert line in result.stdout.splitlines()
        assert_no_secret(result, SECRET, PASSWORD)

    def test_an_invalid_configuration_still_says_which_kind_it_is_for(self) -> None:
        """A client secret without its tenant: exit 1, the kind and its reason on stdout, what is missing on stderr."""
        result = run_cli("check", env={"AZURE_CLIENT_ID": APP_ID, "AZURE_CLIENT_SECRET": SECRET})
        assert result.returncode == 1
        assert "credential kind: client_secret (chosen by AZURE_CLIENT_SECRET)" in result.stdout.splitlines()
        assert "missing: AZURE_TENANT_ID. The client_secret kind needs it (chosen by AZURE_CLIENT_SECRET)." in (
            result.stderr
        )
        assert_no_secret(result, SECRET)

    def test_mixed_kinds_are_invalid_and_named(self, idp: EntraEmulator) -> None:
        """A client secret beside a username and password: exit 1, both kinds named on stderr."""
        result = run_cli("check", env=app_env(idp, **good_env(), AZURE_CLIENT_SECRET=SECRET))
        assert result.returncode == 1
        assert "client_secret (AZURE_CLIENT_SECRET) and password (AZURE_USERNAME, AZURE_PASSWORD)" in result.stderr
        assert "set AZURE_CREDENTIAL_KIND=client_secret or AZURE_CREDENTIAL_KIND=password" in result.stderr
        assert_no_secret(result, SECRET, PASSWORD)

    def test_json_carries_the_kind_the_store_and_the_migration(self, idp: EntraEmulator) -> None:
        """--json: credential_kind with chosen_by, token_cache, and (for the password kind) the migration."""
        secret = json.loads(run_cli("check", "--json", env=app_env(idp, AZURE_CLIENT_SECRET=SECRET)).stdout)
        password = json.loads(run_cli("check", "--json", env=good_env()).stdout)
        assert secret["credential_kind"] == {
            "kind": "client_secret",
            "chosen_by": ["AZURE_CLIENT_SECRET"],
            "explicit": False,
        }
        assert secret["migration"] is None
        assert secret["token_cache"]["state"] == "memory"
        assert password["migration"]["recommended_kind"] == "certificate"
        assert "AADSTS50076" in password["migration"]["warning"]


class TestPasswordWarning:
    """On a password configuration, check warns (ROPC deprecated, mandatory MFA) and shows what to set instead."""

    @pytest.mark.parametrize(
        ("platform", "kind", "after"),
        [
            pytest.param(
                {},
                "certificate",
                "after:   AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_CERTIFICATE_PATH",
                id="anywhere-a-certificate",
            ),
            pytest.param(
                {"KUBERNETES_SERVICE_HOST": "10.0.0.1"},
                "workload_identity",
                "after:   AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE",
                id="kubernetes-workload-identity",
            ),
            pytest.param(
                {"WEBSITE_SITE_NAME": "reports"},
                "managed_identity",
                "after:   AZURE_CREDENTIAL_KIND=managed_identity",
                id="app-service-managed-identity",
            ),
        ],
    )
    def test_the_warning_names_the_replacement_variables(self, platform: dict[str, str], kind: str, after: str) -> None:
        """The deprecation and MFA warning, then before/after variables for the platform's best replacement."""
        result = run_cli("check", env={**good_env(), **platform})
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        warning = next(index for index, line in enumerate(lines) if "(ROPC) is deprecated" in line)
        assert "mandatory MFA for Azure Resource Manager (enforced since 1 July 2026)" in lines[warning]
        assert "AADSTS50076" in lines[warning]
        assert lines[warning + 1].startswith(f"  move to: the {kind} kind (")
        assert lines[warning + 2] == "  before:  AZURE_CLIENT_ID, AZURE_USERNAME, AZURE_PASSWORD"
        assert lines[warning + 3].startswith(f"  {after} (")
        assert lines[warning + 4] == "  guide:   docs/ropc-deprecation.md"
        assert_no_secret(result, PASSWORD, USERNAME)

    def test_the_replacement_variables_carry_the_prefix(self, tmp_path: Path) -> None:
        """With --env-prefix POWERBI_, the before/after variables are POWERBI_ ones."""
        env = {"POWERBI_CLIENT_ID": CLIENT_ID, "POWERBI_USERNAME": USERNAME, "POWERBI_PASSWORD": PASSWORD}
        result = run_cli("check", "--env-prefix", "POWERBI_", env=env)
        assert "  before:  POWERBI_CLIENT_ID, POWERBI_USERNAME, POWERBI_PASSWORD" in result.stdout
        assert "POWERBI_CLIENT_CERTIFICATE_PATH" in result.stdout

    def test_other_kinds_get_no_warning(self, idp: EntraEmulator) -> None:
        """A client secret configuration is not told to move off ROPC."""
        result = run_cli("check", env=app_env(idp, AZURE_CLIENT_SECRET=SECRET))
        assert "ROPC" not in result.stdout


class TestCheckShowsTheStore:
    """The token cache's location (a directory or a masked URL) and whether it answers, by a real ping."""

    def test_memory_only(self) -> None:
        """Without persistence or a URL, check says tokens stay in each process and how to share them."""
        result = run_cli("check", env=good_env())
        assert "token cache: in memory only (each process signs in itself; set AZURE_TOKEN_CACHE_PERSISTENCE" in (
            result.stdout
        )

    def test_a_directory_that_answers(self, tmp_path: Path) -> None:
        """A persistent file cache: its directory, and that it answers."""
        cache = tmp_path / "cache"
        env = {**good_env(), "AZURE_TOKEN_CACHE_PERSISTENCE": "true", "AZURE_TOKEN_CACHE_KEY": CACHE_KEY}
        result = run_cli("check", env={**env, "AZURE_TOKEN_CACHE_DIR": str(cache)})
        assert result.returncode == 0, result.stderr
        assert f"token cache: {cache} answers" in result.stdout.splitlines()
        assert_no_secret(result, CACHE_KEY)

    def test_a_redis_that_answers_with_its_password_masked(self, redis_server: RedisServer) -> None:
        """AZURE_TOKEN_CACHE_URL to a password-protected redis-server: PONG, and the password masked."""
        server = RedisServer(redis_server.directory / "protected", password=REDIS_PASSWORD)
        server.directory.mkdir()
        server.start()
        try:
            env = {**good_env(), "AZURE_TOKEN_CACHE_URL": server.url, "AZURE_TOKEN_CACHE_KEY": CACHE_KEY}
            text, document = run_cli("check", env=env), run_cli("check", "--json", env=env)
        finally:
            server.kill()
        assert text.returncode == 0, text.stderr
        assert f"token cache: redis://***@127.0.0.1:{server.port}/0 answers" in text.stdout.splitlines()
        assert {row["field"]: row["value"] for row in json.loads(document.stdout)["settings"]}["token_cache_url"] == (
            f"redis://***@127.0.0.1:{server.port}/0"
        )
        assert json.loads(document.stdout)["token_cache"]["answers"] is True
        for result in (text, document):
            assert_no_secret(result, REDIS_PASSWORD, CACHE_KEY)

    def test_a_redis_that_is_down_does_not_answer_but_is_no_error(self) -> None:
        """Nothing listening: "does not answer" (the store is an optimisation), exit 0, the password masked."""
        url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{free_port()}/0"
        result = run_cli("check", env={**good_env(), "AZURE_TOKEN_CACHE_URL": url, "AZURE_TOKEN_CACHE_KEY": CACHE_KEY})
        assert result.returncode == 0, result.stderr
        assert "does not answer (tokens are then kept per process)" in result.stdout
        assert_no_secret(result, REDIS_PASSWORD, CACHE_KEY)

    def test_a_directory_others_may_write_is_refused(self, tmp_path: Path) -> None:
        """A cache directory writable by other users cannot be used: exit 1, with the store's reason and fix."""
        cache = tmp_path / "shared"
        cache.mkdir()
        cache.chmod(0o777)
        env = {**good_env(), "AZURE_TOKEN_CACHE_PERSISTENCE": "true", "AZURE_TOKEN_CACHE_KEY": CACHE_KEY}
        result = run_cli("check", env={**env, "AZURE_TOKEN_CACHE_DIR": str(cache)})
        assert result.returncode == 1
        assert "token cache: cannot be used: The token cache directory" in result.stdout
        assert "lets other users write to it" in result.stdout


class TestTokenForEveryKind:
    """`token` signs in with whatever kind the configuration describes and says which."""

    @pytest.fixture
    def app(self, idp: EntraEmulator) -> EntraEmulator:
        """A confidential app with a secret, a certificate and a trusted service account."""
        idp.add_app(APP_ID, allow_public_client_flows=False)
        idp.add_client_secret(APP_ID, SECRET)
        idp.add_federated_credential(APP_ID, SUBJECT)
        return idp

    def test_a_client_secret(self, app: EntraEmulator) -> None:
        """The client credentials grant; the summary names the kind and the app, not the secret."""
        result = run_cli("token", "--scope", VAULT_SCOPE, env=app_env(app, AZURE_CLIENT_SECRET=SECRET))
        assert result.returncode == 0, result.stderr
        assert "  kind:        client_secret" in result.stdout
        assert f"  client_id:   {APP_ID}" in result.stdout
        assert f"  tenant:      {app.tenant_id}" in result.stdout
        assert app.count("token", grant_type="client_credentials") == 1
        assert_no_secret(result, SECRET)

    def test_a_certificate(self, app: EntraEmulator, tmp_path: Path) -> None:
        """A PKCS#12 file and its password from a file."""
        certificate = ClientCertificate.generate("cli")
        app.add_client_certificate(APP_ID, certificate)
        (tmp_path / "app.pfx").write_bytes(certificate.pfx(b"Cli-Cert-Pw"))
        (tmp_path / "pw").write_text("Cli-Cert-Pw\n")
        env = app_env(
            app,
            AZURE_CLIENT_CERTIFICATE_PATH=str(tmp_path / "app.pfx"),
            AZURE_CLIENT_CERTIFICATE_PASSWORD_FILE=str(tmp_path / "pw"),
        )
        result = run_cli("token", "--scope", VAULT_SCOPE, "--json", env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["kind"] == "certificate"
        assert [r.client_auth for r in app.requests if r.endpoint == "token"] == ["certificate"]

    def test_a_federated_token_file(self, app: EntraEmulator, tmp_path: Path) -> None:
        """The workload identity kind, the token file as the assertion."""
        (tmp_path / "token").write_text(app.issue_federated_token(SUBJECT))
        env = app_env(app, AZURE_FEDERATED_TOKEN_FILE=str(tmp_path / "token"))
        result = run_cli("token", "--scope", VAULT_SCOPE, "--json", env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["kind"] == "workload_identity"
        assert [r.client_auth for r in app.requests if r.endpoint == "token"] == ["federated"]

    def test_a_managed_identity(self, idp: EntraEmulator) -> None:
        """On App Service (IDENTITY_ENDPOINT), nothing else configured: the system-assigned identity."""
        idp.add_managed_identity()
        result = run_cli("token", "--scope", VAULT_SCOPE, "--json", env=idp.managed_identity_environ())
        assert result.returncode == 0, result.stderr
        document = json.loads(result.stdout)
        assert (document["kind"], document["client_id"]) == ("managed_identity", "system-assigned")
        assert idp.count("managed_identity") == 1

    def test_a_wrong_client_secret_exits_1_with_the_remedy(self, app: EntraEmulator) -> None:
        """AADSTS7000215 names the error class and the fix; the secret appears nowhere."""
        wrong = "Wrong-Cli-Secret-Canary-9"
        result = run_cli("token", "--scope", VAULT_SCOPE, env=app_env(app, AZURE_CLIENT_SECRET=wrong))
        assert result.returncode == 1
        assert "InvalidClientSecretError" in result.stderr
        assert "AZURE_CLIENT_SECRET" in result.stderr
        assert_no_secret(result, wrong)
