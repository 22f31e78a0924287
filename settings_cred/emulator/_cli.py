"""Command-line helpers: run the emulator in the foreground until interrupted."""

from __future__ import annotations

import argparse
import shlex
import signal
import threading
import uuid
from types import FrameType

from ._emulator import DEFAULT_TENANT_ID, EntraEmulator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options to ``parser``."""
    parser.add_argument(
        "--user",
        metavar="USER:PASSWORD",
        action="append",
        default=[],
        type=_user,
        help="add a user, e.g. alice@contoso.onmicrosoft.com:secret (repeatable)",
    )
    parser.add_argument(
        "--tenant", metavar="GUID", type=_guid, default=DEFAULT_TENANT_ID, help="the default tenant's id"
    )
    parser.add_argument(
        "--token-lifetime", metavar="SECONDS", type=_positive, default=3600, help="access token lifetime"
    )
    parser.add_argument(
        "--refresh-in", metavar="SECONDS", type=_positive, default=None, help="send refresh_in with tokens"
    )
    parser.add_argument(
        "--latency", metavar="SECONDS", type=_non_negative, default=0.0, help="delay of token endpoint answers"
    )


def run(args: argparse.Namespace) -> int:
    """Start the emulator, print how to use it, and serve until SIGINT or SIGTERM; returns 0."""
    emulator = EntraEmulator(
        tenant_id=args.tenant,
        access_token_lifetime=args.token_lifetime,
        refresh_in=args.refresh_in,
        latency=args.latency,
    )
    for username, password in args.user:
        emulator.add_user(username, password)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with emulator:
            _announce(emulator, [username for username, _ in args.user])
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Entra emulator stopped.", flush=True)
    return 0


def _announce(emulator: EntraEmulator, usernames: list[str]) -> None:
    proxy, ca_bundle = emulator.proxy_url, shlex.quote(emulator.ca_bundle)
    lines = [
        "Entra emulator running (Ctrl+C to stop)",
        f"  proxy:     {proxy}",
        f"  CA bundle: {emulator.ca_bundle}",
        f"  tenant:    {emulator.tenant_id}",
        f"  authority: {emulator.authority_host}",
        *(f"  user:      {username}" for username in usernames),
        "Route a shell's HTTPS clients through it:",
        f"export HTTPS_PROXY={proxy} REQUESTS_CA_BUNDLE={ca_bundle} SSL_CERT_FILE={ca_bundle}",
    ]
    print("\n".join(lines), flush=True)


def _user(value: str) -> tuple[str, str]:
    username, sep, password = value.partition(":")
    if not sep or not username or not password:
        raise argparse.ArgumentTypeError("expected USER:PASSWORD")
    return username, password


def _guid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a GUID: {value!r}") from None


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
