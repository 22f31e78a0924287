"""``settings-cred emulator``: run the emulator in the foreground until interrupted, configured from
options, environment variables, stdin and files, and print (or write) the variables clients need."""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import TextIO

from . import _cli_inputs as inputs
from ._emulator import DEFAULT_TENANT_ID, EntraEmulator
from ._resources import normalize

FEDERATED_TOKEN_LIFETIME = 24 * 3600
"""Seconds a token written to a ``token_file=`` stays valid (the emulator does not rotate it)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options to ``parser``."""
    where = parser.add_argument_group("where it listens (free ports unless given; fixed ports survive restarts)")
    where.add_argument("--port", type=_port, default=0, help="port of the TLS server")
    where.add_argument("--proxy-port", type=_port, default=0, help="port of the HTTPS (CONNECT) proxy")
    where.add_argument("--identity-port", type=_port, default=0, help="port of the managed identity endpoint")
    where.add_argument("--identity-header", metavar="VALUE", help="IDENTITY_HEADER value (default: a new GUID)")
    where.add_argument("--env-file", metavar="PATH", type=Path, help="write the variables to export to PATH")
    tokens = parser.add_argument_group("tokens")
    tokens.add_argument("--tenant", metavar="GUID", type=_guid, default=DEFAULT_TENANT_ID, help="the default tenant")
    tokens.add_argument(
        "--token-lifetime", metavar="SECONDS", type=_positive, default=3600, help="access token lifetime"
    )
    tokens.add_argument(
        "--refresh-in", metavar="SECONDS", type=_positive, default=None, help="send refresh_in with tokens"
    )
    tokens.add_argument(
        "--latency", metavar="SECONDS", type=_non_negative, default=0.0, help="delay of token endpoint answers"
    )
    tokens.add_argument(
        "--resource", metavar="URI", action="append", default=[], help="accept tokens for this resource (repeatable)"
    )
    users = parser.add_argument_group(
        "users", f"Passwords on the command line show in the process list: prefer ${inputs.USERS_VARIABLE} or stdin."
    )
    users.add_argument("--user", metavar="USER:PASSWORD", action="append", default=[], type=_user, help="add a user")
    users.add_argument("--users-from-stdin", action="store_true", help="read USER:PASSWORD lines from stdin")
    apps = parser.add_argument_group(
        "apps",
        f"Client secrets on the command line show in the process list: prefer ${inputs.CLIENT_SECRETS_VARIABLE}.",
    )
    apps.add_argument("--app", metavar="CLIENT_ID", action="append", default=[], type=_guid, help="a public client")
    apps.add_argument(
        "--client-secret",
        metavar="CLIENT_ID:SECRET",
        action="append",
        default=[],
        type=_client_secret,
        help="add a client secret to an app (a confidential client)",
    )
    apps.add_argument(
        "--client-certificate",
        metavar="CLIENT_ID:PATH",
        action="append",
        default=[],
        type=_certificate,
        help="upload a PEM or DER certificate file to an app",
    )
    apps.add_argument(
        "--federated-credential",
        metavar="SPEC",
        action="append",
        default=[],
        type=inputs.as_argument_type(inputs.federated_argument),
        help="client_id=ID,subject=SUBJECT[,issuer=URL][,audience=AUD][,token_file=PATH]: trust federated tokens "
        "for an app; token_file= gets a token the emulator mints",
    )
    hosted = parser.add_argument_group("managed identities and Key Vault")
    hosted.add_argument("--system-assigned-identity", action="store_true", help="enable the host's identity")
    hosted.add_argument(
        "--user-assigned-identity",
        metavar="NAME[:CLIENT_ID]",
        action="append",
        default=[],
        type=inputs.as_argument_type(inputs.identity_argument),
        help="add a user-assigned identity",
    )
    hosted.add_argument(
        "--secret",
        metavar="VAULT/NAME=VALUE",
        action="append",
        default=[],
        type=inputs.as_argument_type(inputs.secret_argument),
        help="a Key Vault secret (shows in the process list)",
    )
    hosted.add_argument("--secrets-file", metavar="PATH", type=Path, action="append", default=[], help="JSON or .env")


def run(args: argparse.Namespace, *, stdin: TextIO | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Start the emulator, print how to use it, and serve until SIGINT or SIGTERM; 0, or 2 on bad input."""
    try:
        emulator, usernames = configure(
            args, stdin=stdin or sys.stdin, environ=os.environ if environ is None else environ
        )
    except (inputs.InputError, ValueError) as error:
        print(f"settings-cred emulator: error: {error}", file=sys.stderr, flush=True)
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    try:
        emulator.start()
    except OSError as error:
        print(f"settings-cred emulator: error: cannot listen: {error.strerror or error}", file=sys.stderr, flush=True)
        return 1
    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        variables = _variables(emulator, args)
        _write_token_files(emulator, args.federated_credential)
        if args.env_file:
            _write_private(args.env_file, "".join(f"{k}={shlex.quote(v)}\n" for k, v in variables.items()))
        _announce(emulator, args, usernames, variables)
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        emulator.stop()
        if args.env_file:
            args.env_file.unlink(missing_ok=True)
    print("Entra emulator stopped.", flush=True)
    return 0


def configure(
    args: argparse.Namespace, *, stdin: TextIO, environ: Mapping[str, str]
) -> tuple[EntraEmulator, list[str]]:
    """An emulator (not started) with everything the options, variables, stdin and files describe, and
    the usernames it knows."""
    emulator = EntraEmulator(
        tenant_id=args.tenant,
        access_token_lifetime=args.token_lifetime,
        refresh_in=args.refresh_in,
        latency=args.latency,
        port=args.port,
        proxy_port=args.proxy_port,
        identity_port=args.identity_port,
        identity_header=args.identity_header,
    )
    users = [*args.user, *_from_variable(environ, inputs.USERS_VARIABLE, "USER:PASSWORD")]
    if args.users_from_stdin:
        users += inputs.pairs(stdin.read(), source="stdin", what="USER:PASSWORD")
    for username, password in users:
        emulator.add_user(username, password)
    for client_id in args.app:
        emulator.add_app(client_id)
    secrets = [*args.client_secret, *_from_variable(environ, inputs.CLIENT_SECRETS_VARIABLE, "CLIENT_ID:SECRET")]
    for client_id, secret in secrets:
        emulator.add_client_secret(inputs.guid(client_id), secret)
    for client_id, path in args.client_certificate:
        emulator.add_client_certificate(client_id, _read(path))
    for entry in args.federated_credential:
        emulator.add_federated_credential(
            entry.client_id, entry.subject, issuer=entry.issuer, audiences=(entry.audience,)
        )
    if args.system_assigned_identity:
        emulator.add_managed_identity()
    for identity in args.user_assigned_identity:
        emulator.add_managed_identity(identity.name, client_id=identity.client_id)
    for resource in args.resource:
        emulator.add_resource(resource)
    for entry in [*args.secret, *(e for path in args.secrets_file for e in inputs.secrets_file(path))]:
        emulator.add_secret(entry.vault, entry.name, entry.value)
    return emulator, [username for username, _ in users]


def _from_variable(environ: Mapping[str, str], name: str, what: str) -> list[tuple[str, str]]:
    return inputs.pairs(environ.get(name, ""), source=f"${name}", what=what)


def _variables(emulator: EntraEmulator, args: argparse.Namespace) -> dict[str, str]:
    """The variables a client of this run needs: routing and tenant, then the managed identity endpoint if
    an identity is configured, and the first federated token file if one is."""
    variables = emulator.environ() | {"AZURE_TENANT_ID": emulator.tenant_id}
    if args.system_assigned_identity or args.user_assigned_identity:
        variables |= emulator.managed_identity_environ()
    files = [entry for entry in args.federated_credential if entry.token_file is not None]
    if files:
        variables |= {"AZURE_CLIENT_ID": files[0].client_id, "AZURE_FEDERATED_TOKEN_FILE": str(files[0].token_file)}
    return variables


def _announce(
    emulator: EntraEmulator, args: argparse.Namespace, usernames: list[str], variables: Mapping[str, str]
) -> None:
    lines = [
        "Entra emulator running (Ctrl+C to stop)",
        f"  proxy:     {emulator.proxy_url}",
        f"  server:    {emulator.server_url}",
        f"  identity:  {emulator.identity_endpoint}",
        f"  CA bundle: {emulator.ca_bundle}",
        f"  tenant:    {emulator.tenant_id}",
        f"  authority: {emulator.authority_host}",
        *(f"  user:      {username}" for username in usernames),
        *(f"  resource:  {normalize(resource)}" for resource in args.resource),
        "Route a shell's HTTPS clients through it:",
        "export " + " ".join(f"{name}={shlex.quote(variables[name])}" for name in emulator.environ()),
        "The tenant, and the managed or workload identity configured:",
        "export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in variables.items() if k not in emulator.environ()),
    ]
    if args.env_file:
        lines.append(f"The same variables are in {args.env_file} (removed on stop).")
    print("\n".join(lines), flush=True)


def _write_token_files(emulator: EntraEmulator, federated: list[inputs.FederatedEntry]) -> None:
    """Write a freshly minted token to each ``token_file=``, as a cluster projects one into a pod."""
    for entry in federated:
        if entry.token_file is not None:
            token = emulator.issue_federated_token(
                entry.subject, issuer=entry.issuer, audience=entry.audience, lifetime=FEDERATED_TOKEN_LIFETIME
            )
            _write_private(entry.token_file, token)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by the owner only (tokens and variables are sensitive)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise inputs.InputError(f"cannot read certificate {path}: {error.strerror}") from None


def _user(value: str) -> tuple[str, str]:
    return inputs.as_argument_type(lambda text: inputs.pair(text, what="USER:PASSWORD"))(value)


def _client_secret(value: str) -> tuple[str, str]:
    return inputs.as_argument_type(lambda text: inputs.pair(text, what="CLIENT_ID:SECRET"))(value)


def _certificate(value: str) -> tuple[str, Path]:
    client_id, path = inputs.as_argument_type(lambda text: inputs.pair(text, what="CLIENT_ID:PATH"))(value)
    return _guid(client_id), Path(path)


def _guid(value: str) -> str:
    return inputs.as_argument_type(inputs.guid)(value)


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number (0 for any free port), got {value!r}")
    return int(value)


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {value!r}")
    return int(value)


def _non_negative(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"expected seconds (0 or more), got {value!r}")
    return seconds
