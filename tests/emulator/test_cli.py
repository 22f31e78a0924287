"""``settings_cred.emulator._cli``: run the emulator in the foreground until a signal."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from settings_cred.emulator import DEFAULT_TENANT_ID
from settings_cred.emulator import _cli as cli

PASSWORD = "Cli-Canary-Pa55:with-colon"
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


def test_options_have_defaults() -> None:
    """With no options: the default tenant, one-hour tokens, no refresh_in, no latency, no users."""
    args = _parser().parse_args([])
    assert (args.tenant, args.token_lifetime, args.refresh_in, args.latency, args.user) == (
        DEFAULT_TENANT_ID,
        3600,
        None,
        0.0,
        [],
    )


def test_users_split_at_the_first_colon() -> None:
    """``--user`` is repeatable and a password may contain colons."""
    args = _parser().parse_args(["--user", f"a@x.example:{PASSWORD}", "--user", "b@x.example:pw"])
    assert args.user == [("a@x.example", PASSWORD), ("b@x.example", "pw")]


@pytest.mark.parametrize(
    "arguments",
    [["--tenant", "contoso"], ["--token-lifetime", "0"], ["--refresh-in", "soon"], ["--latency", "-1"]],
    ids=["tenant-not-guid", "lifetime-zero", "refresh-in-not-a-number", "negative-latency"],
)
def test_impossible_settings_are_usage_errors(arguments: list[str]) -> None:
    """Bad option values stop at argument parsing, before anything starts."""
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(arguments)
    assert exited.value.code == 2


def test_a_user_without_password_is_refused_without_echoing_it(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed ``--user`` is a usage error that does not repeat the value."""
    with pytest.raises(SystemExit):
        _parser().parse_args(["--user", "Secret-Looking-Value"])
    assert "Secret-Looking-Value" not in capsys.readouterr().err


def test_runs_until_sigterm_and_never_prints_the_password() -> None:
    """The process prints where the emulator is, serves requests, and stops cleanly on SIGTERM."""
    env = {key: value for key, value in os.environ.items() if key.lower() != "https_proxy"}
    command = [sys.executable, "-c", RUN, "--user", f"alice@contoso.onmicrosoft.com:{PASSWORD}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().rstrip("\n") for _ in range(8)]
        fields = {}
        for line in lines:
            key, sep, value = line.partition(": ")
            if sep:
                fields[key.strip()] = value.strip()
        assert fields["proxy"].startswith("http://127.0.0.1:")
        response = requests.get(
            "https://login.microsoftonline.com/common/userrealm/alice@contoso.onmicrosoft.com?api-version=1.0",
            proxies={"https": fields["proxy"]},
            verify=fields["CA bundle"],
            timeout=5,
        )
        assert response.json()["account_type"] == "Managed"
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "\n".join(lines) + rest
    assert process.returncode == 0
    assert fields["tenant"] == DEFAULT_TENANT_ID
    assert fields["user"] == "alice@contoso.onmicrosoft.com"
    assert f"export HTTPS_PROXY={fields['proxy']} REQUESTS_CA_BUNDLE={fields['CA bundle']}" in output
    assert "stopped" in rest
    assert PASSWORD not in output
    assert not Path(fields["CA bundle"]).exists()
