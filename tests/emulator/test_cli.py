"""``settings_cred.emulator._cli``: the emulator's command line, configured from options, variables,
stdin and files, run in the foreground until a signal."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID, ClientCertificate, EntraEmulator
from settings_cred.emulator import _cli as cli
from tests.emulator.helpers import (
    APP_ID,
    claims,
    client_credentials,
    password_grant,
    signed_assertion,
    with_assertion,
)

PASSWORD = "Cli-Canary-Pa55:with-colon"
CLIENT_SECRET = "Cli-Canary-Client-Secret"
RUN = """
import argparse, sys
from settings_cred.emulator import _cli
parser = argparse.ArgumentParser()
_cli.add_arguments(parser)
sys.exit(_cli.run(parser.parse_args(sys.argv[1:])))
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emulator")
    cli.add_arguments(parser)
    return parser


def _configure(
    arguments: list[str], *, stdin: str = "", environ: dict[str, str] | None = None
) -> tuple[EntraEmulator, list[str]]:
    return cli.configure(_parser().parse_args(arguments), stdin=io.StringIO(stdin), environ=environ or {})


def _session(emulator: EntraEmulator) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    session.proxies, session.verify = {"https": emulator.proxy_url}, emulator.ca_bundle
    return session


class TestOptions:
    """Parsing: defaults, and usage errors that never echo a secret."""

    def test_options_have_defaults(self) -> None:
        """With no options: the default tenant, one-hour tokens, free ports, nobody registered."""
        args = _parser().parse_args([])
        assert (args.tenant, args.token_lifetime, args.refresh_in, args.latency) == (DEFAULT_TENANT_ID, 3600, None, 0.0)
        assert (args.port, args.proxy_port, args.identity_port, args.identity_header) == (0, 0, 0, None)
        assert (args.user, args.client_secret, args.secret, args.federated_credential) == ([], [], [], [])
        assert not args.users_from_stdin

    def test_users_split_at_the_first_colon(self) -> None:
        """``--user`` is repeatable and a password may contain colons."""
        args = _parser().parse_args(["--user", f"a@x.example:{PASSWORD}", "--user", "b@x.example:pw"])
        assert args.user == [("a@x.example", PASSWORD), ("b@x.example", "pw")]

    @pytest.mark.parametrize(
        "arguments",
        [
            ["--tenant", "contoso"],
            ["--token-lifetime", "0"],
            ["--refresh-in", "soon"],
            ["--latency", "-1"],
            ["--port", "70000"],
            ["--proxy-port", "http"],
            ["--app", "not-a-guid"],
            ["--client-certificate", "not-a-guid:cert.pem"],
            ["--federated-credential", "subject=system:serviceaccount:a:b"],
            ["--federated-credential", "client_id=not-a-guid,subject=s"],
            ["--federated-credential", f"client_id={APP_ID},subject=s,colour=blue"],
            ["--user-assigned-identity", ":x"],
            ["--user-assigned-identity", "reports:not-a-guid"],
        ],
        ids=[
            "tenant-not-guid",
            "lifetime-zero",
            "refresh-in-not-a-number",
            "negative-latency",
            "port-too-big",
            "port-not-a-number",
            "app-not-guid",
            "certificate-client-not-guid",
            "federated-without-client",
            "federated-client-not-guid",
            "federated-unknown-field",
            "identity-without-name",
            "identity-client-not-guid",
        ],
    )
    def test_impossible_settings_are_usage_errors(self, arguments: list[str]) -> None:
        """Bad option values stop at argument parsing, before anything starts."""
        with pytest.raises(SystemExit) as exited:
            _parser().parse_args(arguments)
        assert exited.value.code == 2

    @pytest.mark.parametrize(
        ("option", "value"),
        [
            ("--user", "Secret-Looking-Value"),
            ("--client-secret", "Secret-Looking-Value"),
            ("--secret", "Secret-Looking-Value"),
            ("--secret", "vault-only=Secret-Looking-Value"),
        ],
        ids=["user", "client-secret", "key-vault-secret", "key-vault-secret-without-name"],
    )
    def test_a_malformed_secret_is_refused_without_echoing_it(
        self, capsys: pytest.CaptureFixture[str], option: str, value: str
    ) -> None:
        """A malformed secret option is a usage error that does not repeat the value."""
        with pytest.raises(SystemExit):
            _parser().parse_args([option, value])
        assert "Secret-Looking-Value" not in capsys.readouterr().err


class TestConfigure:
    """What the options, variables, stdin and files put in the emulator."""

    def test_users_come_from_options_the_environment_and_stdin(self) -> None:
        """All three sources add users; passwords are kept verbatim, comments and blank lines skipped."""
        environ = {"SETTINGS_CRED_EMULATOR_USERS": "b@contoso.onmicrosoft.com:from-env\n"}
        stdin = "# users\n\nc@contoso.onmicrosoft.com:from stdin \n"
        emulator, usernames = _configure(
            ["--user", "a@contoso.onmicrosoft.com:from-option", "--users-from-stdin"], stdin=stdin, environ=environ
        )
        assert usernames == ["a@contoso.onmicrosoft.com", "b@contoso.onmicrosoft.com", "c@contoso.onmicrosoft.com"]
        with emulator, _session(emulator) as http:
            for username, password in zip(usernames, ["from-option", "from-env", "from stdin "], strict=True):
                assert password_grant(http, username=username, password=password).status_code == 200

    def test_stdin_is_read_only_when_asked(self) -> None:
        """Without ``--users-from-stdin`` stdin is left alone."""
        _, usernames = _configure([], stdin="c@contoso.onmicrosoft.com:pw\n")
        assert usernames == []

    def test_apps_get_secrets_certificates_and_federated_credentials(
        self, certificate: ClientCertificate, tmp_path: Path
    ) -> None:
        """A client secret (option or variable), a certificate file and a federated credential each sign in."""
        cert_file = tmp_path / "app.pem"
        cert_file.write_bytes(certificate.certificate_pem)
        arguments = [
            "--client-certificate",
            f"{APP_ID}:{cert_file}",
            "--federated-credential",
            f"client_id={APP_ID},subject=repo:octo/app:ref:refs/heads/main,issuer=https://token.actions.githubusercontent.com",
        ]
        environ = {"SETTINGS_CRED_EMULATOR_CLIENT_SECRETS": f"{APP_ID}:{CLIENT_SECRET}"}
        emulator, _ = _configure(arguments, environ=environ)
        with emulator, _session(emulator) as http:
            token = emulator.issue_federated_token(
                "repo:octo/app:ref:refs/heads/main", issuer="https://token.actions.githubusercontent.com"
            )
            for form in ({"client_secret": CLIENT_SECRET}, with_assertion(signed_assertion(certificate))):
                assert client_credentials(http, **form).status_code == 200
            assert client_credentials(http, **with_assertion(token)).status_code == 200

    def test_a_registered_public_app_closes_the_door_to_others(self) -> None:
        """``--app`` registers a public client; other client ids are then refused."""
        emulator, _ = _configure(["--app", APP_ID, "--user", "a@contoso.onmicrosoft.com:pw"])
        with emulator, _session(emulator) as http:
            assert password_grant(http, client_id=APP_ID, username="a@contoso.onmicrosoft.com", password="pw").ok
            assert password_grant(http, username="a@contoso.onmicrosoft.com", password="pw").status_code == 400

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("secrets.json", json.dumps({"myvault/db": "s3cret", "other": {"api-key": "k=v"}})),
            ("secrets.env", 'myvault/db=s3cret\nexport other/api-key="k=v"\n# comment\n'),
        ],
        ids=["json", "dotenv"],
    )
    def test_key_vault_secrets_come_from_a_file(self, tmp_path: Path, name: str, content: str) -> None:
        """JSON (flat or by vault) or dotenv-style ``VAULT/NAME=VALUE`` lines."""
        path = tmp_path / name
        path.write_text(content)
        emulator, _ = _configure(["--secrets-file", str(path), "--secret", "third/x=from-option"])
        with emulator, _session(emulator) as http:
            token = client_token(emulator, http)
            for vault, secret, value in (
                ("myvault", "db", "s3cret"),
                ("other", "api-key", "k=v"),
                ("third", "x", "from-option"),
            ):
                response = http.get(
                    f"https://{vault}.vault.azure.net/secrets/{secret}?api-version=7.5",
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert response.json()["value"] == value

    def test_identities_and_resources(self) -> None:
        """System- and user-assigned identities, and extra resources, are registered."""
        emulator, _ = _configure(
            [
                "--system-assigned-identity",
                "--user-assigned-identity",
                "reports:11111111-1111-4111-8111-111111111111",
                "--resource",
                "api://reporting",
                "--identity-header",
                "fixed-header",
            ]
        )
        with emulator, requests.Session() as direct:
            direct.trust_env = False
            for client_id in ("", "11111111-1111-4111-8111-111111111111"):
                response = direct.get(
                    emulator.identity_endpoint,
                    params={"api-version": "2019-08-01", "resource": "api://reporting", "client_id": client_id},
                    headers={"X-IDENTITY-HEADER": "fixed-header"},
                    timeout=5,
                )
                assert response.status_code == 200

    @pytest.mark.parametrize(
        ("setup", "fragment"),
        [
            ({"stdin": "no-colon-Secret-Looking-Value\n"}, "stdin, line 1: expected USER:PASSWORD"),
            (
                {"environ": {"SETTINGS_CRED_EMULATOR_USERS": "a@b.c:pw\nSecret-Looking-Value"}},
                "$SETTINGS_CRED_EMULATOR_USERS, line 2",
            ),
            (
                {"environ": {"SETTINGS_CRED_EMULATOR_CLIENT_SECRETS": "not-a-guid:Secret-Looking-Value"}},
                "not a GUID: 'not-a-guid'",
            ),
            ({"file": '{"myvault/db": '}, "not valid JSON (line 1)"),
            ({"file": '["Secret-Looking-Value"]'}, "expected a JSON object"),
            ({"file": '{"myvault/db": 1}'}, "must be a string"),
            ({"file": '{"no-slash": "Secret-Looking-Value"}'}, "'no-slash' is not VAULT/NAME"),
            ({"file": "no-slash=Secret-Looking-Value\n"}, "'no-slash' is not VAULT/NAME"),
            ({"file": "myvault/db\n"}, "'myvault/db' has no value"),
            ({"file": None}, "cannot read secrets file"),
        ],
        ids=[
            "stdin-line",
            "variable-line",
            "client-secret-not-guid",
            "json-syntax",
            "json-not-object",
            "json-not-string",
            "json-key",
            "dotenv-key",
            "dotenv-no-value",
            "missing-file",
        ],
    )
    def test_bad_input_names_where_it_is_never_the_value(
        self, tmp_path: Path, setup: dict[str, Any], fragment: str
    ) -> None:
        """The error names the source and line; the secret stays out of it."""
        arguments = ["--users-from-stdin"]
        if "file" in setup:
            path = tmp_path / "secrets"
            if setup["file"] is not None:
                path.write_text(setup["file"])
            arguments += ["--secrets-file", str(path)]
        with pytest.raises(ValueError, match=re.escape(fragment)) as raised:
            _configure(arguments, stdin=setup.get("stdin", ""), environ=setup.get("environ"))
        assert "Secret-Looking-Value" not in str(raised.value)


def client_token(emulator: EntraEmulator, http: requests.Session) -> str:
    """A Key Vault token for a throwaway app."""
    emulator.add_client_secret(APP_ID, CLIENT_SECRET)
    return str(client_credentials(http, client_secret=CLIENT_SECRET).json()["access_token"])


class TestRun:
    """``run``: exit codes, and the process serving until a signal."""

    def test_bad_input_exits_2_with_the_error_on_stderr(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Nothing starts; stderr says what is wrong, without the value."""
        args = _parser().parse_args(["--users-from-stdin"])
        assert cli.run(args, stdin=io.StringIO("Secret-Looking-Value\n"), environ={}) == 2
        err = capsys.readouterr().err
        assert "stdin, line 1" in err
        assert "Secret-Looking-Value" not in err

    def test_a_port_in_use_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        """If a port is taken the command says so and exits 1."""
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", 0))
            squatter.listen()
            args = _parser().parse_args(["--proxy-port", str(squatter.getsockname()[1])])
            assert cli.run(args, stdin=io.StringIO(), environ={}) == 1
        assert "cannot listen" in capsys.readouterr().err

    def test_runs_until_sigterm_and_never_prints_a_secret(self, tmp_path: Path) -> None:
        """The process prints and writes the variables to export, serves requests, and cleans up on SIGTERM."""
        env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
        env["SETTINGS_CRED_EMULATOR_CLIENT_SECRETS"] = f"{APP_ID}:{CLIENT_SECRET}"
        env_file, token_file = tmp_path / "emulator.env", tmp_path / "token"
        command = [
            *(sys.executable, "-c", RUN, "--users-from-stdin", "--system-assigned-identity"),
            *("--env-file", str(env_file)),
            *(
                "--federated-credential",
                f"client_id={APP_ID},subject=system:serviceaccount:a:b,token_file={token_file}",
            ),
        ]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert process.stdin is not None
            assert process.stdout is not None
            process.stdin.write(f"alice@contoso.onmicrosoft.com:{PASSWORD}\n")
            process.stdin.close()
            lines = []
            while not (line := process.stdout.readline()).startswith("The same variables are in"):
                assert line, "the emulator stopped before announcing itself"
                lines.append(line.rstrip("\n"))
            fields = {
                key.strip(): value.strip()
                for key, sep, value in (line.partition(": ") for line in lines if line.startswith("  "))
                if sep
            }
            variables = dict(
                item.split("=", 1) for line in lines if line.startswith("export ") for item in shlex.split(line[7:])
            )
            written = dict(item.split("=", 1) for item in shlex.split(env_file.read_text()))
            assert written == variables
            assert (os.stat(env_file).st_mode & 0o777, os.stat(token_file).st_mode & 0o777) == (0o600, 0o600)
            with requests.Session() as http:
                http.trust_env = False
                http.proxies, http.verify = {"https": variables["HTTPS_PROXY"]}, variables["REQUESTS_CA_BUNDLE"]
                assert password_grant(http, tenant=DEFAULT_TENANT_ID, password=PASSWORD).ok
                federated = client_credentials(http, **with_assertion(token_file.read_text()))
                assert claims(federated.json()["access_token"])["appid"] == APP_ID
                identity = http.get(
                    variables["IDENTITY_ENDPOINT"],
                    params={"api-version": "2019-08-01", "resource": "https://vault.azure.net"},
                    headers={"X-IDENTITY-HEADER": variables["IDENTITY_HEADER"]},
                    timeout=5,
                )
                assert identity.status_code == 200
            process.send_signal(signal.SIGTERM)
            rest = process.stdout.read()
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()  # type: ignore[union-attr]
        output = "\n".join(lines) + rest
        assert process.returncode == 0
        assert (fields["tenant"], fields["user"]) == (DEFAULT_TENANT_ID, "alice@contoso.onmicrosoft.com")
        assert variables["AZURE_FEDERATED_TOKEN_FILE"] == str(token_file)
        assert variables["NO_PROXY"] == "127.0.0.1,localhost"
        assert "stopped" in rest
        assert PASSWORD not in output
        assert CLIENT_SECRET not in output
        assert not Path(fields["CA bundle"]).exists()
        assert not env_file.exists()
