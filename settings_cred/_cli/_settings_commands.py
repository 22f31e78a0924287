"""``settings-cred check`` (validate the configuration, show its provenance) and ``settings-cred token``."""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from azure.core.credentials import AccessTokenInfo, TokenRequestOptions
from azure.core.exceptions import ClientAuthenticationError

from .._masking import mask_username
from .._settings import CredentialSettings, SettingsError, SettingsReport
from .._settings._errors import render_problems
from .._settings._keyvault import KEYVAULT_EXTRA, missing_packages
from ._migration import password_migration
from ._store_status import store_status

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
COMMANDS = frozenset({"check", "token"})
"""The commands :func:`add_commands` registers; :func:`run` runs them."""


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``check`` and ``token`` on the ``settings-cred`` parser's subcommands."""
    check = subparsers.add_parser(
        "check",
        help="validate the credential's configuration and show where each value comes from",
        description="Validate the configuration from the environment; exit 0 if valid, 1 if not, 2 on usage errors.",
    )
    _source_arguments(check)
    check.add_argument(
        "--resolve", action="store_true", help=f"also resolve Key Vault references (needs {KEYVAULT_EXTRA})"
    )
    check.add_argument("--json", action="store_true", help="print a JSON report")
    check.set_defaults(settings_command=run_check)

    token = subparsers.add_parser(
        "token",
        help="acquire a token with the configured credential and show its expiry, tenant and scopes",
        description="Sign in with the configured credential; the token itself is printed only with --show-token.",
    )
    _source_arguments(token)
    token.add_argument("--scope", action="append", required=True, dest="scopes", metavar="SCOPE", help="repeatable")
    token.add_argument("--tenant", help="request the token for this tenant")
    token.add_argument("--show-token", action="store_true", help="also print the access token (a secret!)")
    token.add_argument("--json", action="store_true", help="print JSON")
    token.set_defaults(settings_command=run_token)


def _source_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env-prefix", default="AZURE_", metavar="PREFIX", help="variable prefix (default AZURE_)")
    parser.add_argument("--env-file", default=".env", metavar="FILE", help="the .env file (default ./.env)")
    parser.add_argument("--secrets-dir", default=None, metavar="DIR", help="a directory of secret files")


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command :func:`add_commands` registered for ``args``; returns the exit code."""
    handler = args.settings_command
    code: int = handler(args, stdout or sys.stdout, stderr or sys.stderr)
    return code


def resolve_unavailable() -> str | None:
    """Why ``check --resolve`` cannot run here (the packages it needs, and how to install them); ``None`` when
    it can."""
    missing = missing_packages()
    return f"--resolve needs {' and '.join(missing)}: pip install '{KEYVAULT_EXTRA}'" if missing else None


def run_check(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Validate; print the provenance table (masked), the credential kind and why, the store and whether it
    answers, the warnings (for the password kind, the way off it); 0 valid, 1 invalid, 2 usage error."""
    unavailable = resolve_unavailable() if args.resolve else None
    if unavailable:
        print(f"settings-cred check: {unavailable}", file=stderr)
        return EXIT_USAGE
    settings = None
    try:
        settings = CredentialSettings.from_sources(
            env_prefix=args.env_prefix,
            env_file=args.env_file,
            secrets_dir=args.secrets_dir,
            resolve_references=args.resolve,
        )
        report = settings.describe()
    except SettingsError as error:
        report = error.report or SettingsReport(error.env_prefix, (), (), error.problems)
    except ValueError as error:  # an impossible prefix
        print(f"settings-cred check: {error}", file=stderr)
        return EXIT_USAGE
    store = store_status(settings) if settings is not None else None
    advice = password_migration(report, os.environ)
    if args.json:
        document = report.as_dict()
        document["token_cache"] = store.as_dict() if store is not None else None
        document["migration"] = advice.as_dict() if advice is not None else None
        print(json.dumps(document, indent=2), file=stdout)
    else:
        verdict = "valid" if report.valid else "INVALID"
        print(f"settings-cred check: the configuration is {verdict} (prefix {report.env_prefix})", file=stdout)
        print(report.as_text(), file=stdout)
        if store is not None:
            print(store.line(report.env_prefix), file=stdout)
        for line in advice.lines() if advice is not None else ():
            print(line, file=stdout)
        if not report.valid:
            print(render_problems(report.problems, report.env_prefix), file=stderr)
    return EXIT_OK if report.valid and (store is None or store.usable) else EXIT_INVALID


def run_token(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Acquire a token; print expiry, tenant and scopes (the token only with ``--show-token``)."""
    try:
        settings = CredentialSettings.from_sources(
            env_prefix=args.env_prefix, env_file=args.env_file, secrets_dir=args.secrets_dir
        )
    except SettingsError as error:
        print(error, file=stderr)
        return EXIT_INVALID
    except ValueError as error:
        print(f"settings-cred token: {error}", file=stderr)
        return EXIT_USAGE
    for warning in settings.describe().warnings:
        print(f"warning: {warning.message}", file=stderr)
    options = TokenRequestOptions()
    if args.tenant:
        options["tenant_id"] = args.tenant
    try:
        with settings.build_credential() as credential:
            info = credential.get_token_info(*args.scopes, options=options)
    except (ClientAuthenticationError, ValueError) as error:
        message = getattr(error, "message", None) or str(error)
        print(f"settings-cred token: {type(error).__name__}: {message}", file=stderr)
        return EXIT_INVALID
    summary = _summary(info, args, settings)
    if args.json:
        print(json.dumps(summary, indent=2), file=stdout)
    else:
        print("token acquired", file=stdout)
        for key, value in summary.items():
            shown = " ".join(value) if isinstance(value, list) else value
            print(f"  {key + ':':<12} {shown}", file=stdout)
    return EXIT_OK


def _summary(info: AccessTokenInfo, args: argparse.Namespace, settings: CredentialSettings) -> dict[str, Any]:
    """Who got the token (the kind, and the masked username or the application), for what, until when."""
    expires = datetime.datetime.fromtimestamp(info.expires_on, datetime.timezone.utc)
    kind = settings.kind.kind
    summary: dict[str, Any] = {"kind": kind}
    if kind == "password":
        summary["username"] = mask_username(settings.username or "")
    else:
        summary["client_id"] = settings.client_id or "system-assigned"
    summary.update(
        {
            "tenant": _claim(info.token, "tid") or args.tenant or settings.tenant_id,
            "scopes": list(args.scopes),
            "expires_on": expires.isoformat().replace("+00:00", "Z"),
            "expires_in": max(0, info.expires_on - int(time.time())),
        }
    )
    if args.show_token:
        summary["token"] = info.token
    return summary


def _claim(token: str, name: str) -> str | None:
    """A claim of a JWT access token's payload (not verified: for display only)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    value = claims.get(name) if isinstance(claims, dict) else None
    return value if isinstance(value, str) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``check`` or ``token`` on their own (``python -m settings_cred._cli_settings``)."""
    parser = argparse.ArgumentParser(prog="settings-cred")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_commands(commands)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
