"""``settings-cred demo``: a few seconds' tour against the local Entra ID emulator."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from .. import audit
from .._core._lockout import LOCKOUT_GUARD
from .._credentials._username_password import UsernamePasswordCredential
from .._notice import RopcDeprecationWarning
from .._settings import CredentialSettings
from .._settings._keyvault import KEYVAULT_EXTRA, missing_packages
from .._store._options import TokenCachePersistenceOptions
from ..emulator import EntraEmulator
from ..errors import EntraAuthenticationError

CLIENT_ID = "04f0c124-f2bc-4f59-8241-bf6df9866bbd"
USERNAME = "service-account@contoso.onmicrosoft.com"
PASSWORD = "demo-Passw0rd!"  # noqa: S105 - the emulator's throwaway account
SCOPE = "https://vault.azure.net/.default"
APP_ID = "7d9e1f3a-5b7c-4d9e-8f1a-2b4c6d8e0f13"
APP_SECRET = "demo-client-secret-value"  # noqa: S105 - the emulator's throwaway app


def run_demo(out: TextIO) -> int:
    """Run the tour, writing to `out`; returns the exit code."""
    warnings.simplefilter("ignore", RopcDeprecationWarning)
    say = _Printer(out)
    with EntraEmulator() as idp:
        idp.add_user(USERNAME, PASSWORD, display_name="Service Account")
        options = idp.pipeline_options()
        say.heading("Local Entra ID emulator")
        say.line(f"HTTPS proxy {idp.proxy_url} tunnels login.microsoftonline.com to 127.0.0.1; CA {idp.ca_bundle}")

        say.heading("1. Sign in with the password (ROPC) flow")
        say.line("Note: Microsoft has deprecated ROPC for public clients; it cannot do MFA.")
        with audit.capture_audit() as events:
            credential = UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **options)
            started = time.perf_counter()
            token = credential.get_token_info(SCOPE)
            cold = time.perf_counter() - started
        with credential:
            say.line(f"{credential!r}")
            say.line(
                f"token for {SCOPE}: {len(token.token)} characters, expires in {token.expires_on - time.time():.0f} s"
            )
            say.line(f"cold sign-in took {cold * 1000:.1f} ms; requests seen by the emulator: {len(idp.requests)}")
            say.events(events)

            say.heading("2. The same token again: served from memory")
            before = len(idp.requests)
            started = time.perf_counter()
            for _ in range(1000):
                credential.get_token_info(SCOPE)
            warm = (time.perf_counter() - started) / 1000
            say.line(f"1000 calls, {warm * 1e6:.1f} µs each, new requests: {len(idp.requests) - before}")
            with audit.capture_audit() as events:
                credential.get_token_info(SCOPE)
            say.events(events)

        say.heading("3. A wrong password: a clear error, sent once")
        with (
            UsernamePasswordCredential(CLIENT_ID, USERNAME, "not-the-password", **options) as wrong,
            audit.capture_audit() as events,
        ):
            before = idp.count("token", grant_type="password")
            for attempt in (1, 2):
                try:
                    wrong.get_token(SCOPE)
                except EntraAuthenticationError as exc:
                    say.line(f"attempt {attempt}: {type(exc).__name__}")
                    say.block(str(exc))
            say.line(f"password grants that reached Entra ID: {idp.count('token', grant_type='password') - before}")
        say.events(events)

        say.heading("4. Configuration: environment, a secret file and a Key Vault reference")
        _settings_tour(idp, say)

        say.heading("5. Workers of one deployment share a store: one sign-in for all of them")
        _fleet_tour(idp, say)

        say.heading("6. The way off ROPC is configuration: the same settings with a client secret")
        _kind_tour(idp, say)
    LOCKOUT_GUARD.clear()
    say.heading("Done")
    return 0


def _settings_tour(idp: EntraEmulator, say: _Printer) -> None:
    """Load settings the 12-factor way, show where each value came from, and sign in with them.

    The tenant comes from a Key Vault reference when azure-keyvault-secrets is installed; on a base
    install that part is skipped with a one-line note.
    """
    idp.add_secret("demo-kv", "tenant-id", idp.tenant_id)
    missing = [name for name in missing_packages() if name == "azure-keyvault-secrets"]
    if missing:
        say.line(f"Key Vault reference skipped: {missing[0]} is not installed (pip install '{KEYVAULT_EXTRA}')")
    with tempfile.TemporaryDirectory() as secrets:
        password_file = Path(secrets) / "azure_password"
        password_file.write_text(PASSWORD + "\n")
        environment = {
            "DEMO_CLIENT_ID": CLIENT_ID,
            "DEMO_USERNAME": USERNAME,
            "DEMO_PASSWORD_FILE": str(password_file),
            "DEMO_TENANT_ID": idp.tenant_id
            if missing
            else "@Microsoft.KeyVault(VaultName=demo-kv;SecretName=tenant-id)",
            "DEMO_HTTPS_PROXY": idp.proxy_url,
            "DEMO_CA_BUNDLE": idp.ca_bundle,
        }
        say.line("environment: " + ", ".join(f"{name}={_shown(name, value)}" for name, value in environment.items()))
        with (
            _environment(environment),
            UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as bootstrap,
        ):
            with audit.capture_audit() as events:
                settings = CredentialSettings.from_sources(
                    env_prefix="DEMO_", env_file=None, keyvault_credential=bootstrap
                )
                for row in settings.describe().as_text().splitlines():
                    say.line(row)
                with settings.build_credential() as credential:
                    token = credential.get_token_info(SCOPE)
                    say.line(f"signed in with those settings; token expires in {token.expires_on - time.time():.0f} s")
            say.events([e for e in events if e["event"].startswith("settings.") and e.get("source") != "default"])


def _fleet_tour(idp: EntraEmulator, say: _Printer) -> None:
    """Three credentials sharing an encrypted cache directory, as three workers of one host would."""
    with tempfile.TemporaryDirectory() as directory:
        options = TokenCachePersistenceOptions(
            name="demo", directory=Path(directory) / "cache", encryption_key=secrets.token_urlsafe(32)
        )
        say.line(f"shared store: {options!r}")
        before = idp.count("token", grant_type="password")
        for worker in (1, 2, 3):
            with (
                audit.capture_audit() as events,
                UsernamePasswordCredential(
                    CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
                ) as credential,
            ):
                credential.get_token(SCOPE)
            grants = [e["grant"] for e in events if e["event"] == audit.TOKEN_ACQUIRED]
            say.line(f"worker {worker}: token from {grants[0] if grants else 'memory'}")
        say.line(f"password grants that reached Entra ID: {idp.count('token', grant_type='password') - before}")
        say.line("with AZURE_TOKEN_CACHE_URL=rediss://... the same holds across replicas (docs/fleet.md)")


def _kind_tour(idp: EntraEmulator, say: _Printer) -> None:
    """The settings layer builds a client-secret credential from the variables, with no code change."""
    idp.add_client_secret(APP_ID, APP_SECRET)
    with tempfile.TemporaryDirectory() as secrets_dir:
        secret_file = Path(secrets_dir) / "client_secret"
        secret_file.write_text(APP_SECRET + "\n")
        environment = {
            "DEMO_CLIENT_ID": APP_ID,
            "DEMO_TENANT_ID": idp.tenant_id,
            "DEMO_CLIENT_SECRET_FILE": str(secret_file),
            "DEMO_HTTPS_PROXY": idp.proxy_url,
            "DEMO_CA_BUNDLE": idp.ca_bundle,
        }
        say.line("environment: " + ", ".join(f"{name}={_shown(name, value)}" for name, value in environment.items()))
        with _environment(environment):
            settings = CredentialSettings.from_sources(env_prefix="DEMO_", env_file=None)
            say.line(settings.kind.line())
            with settings.build_credential() as credential:
                token = credential.get_token_info(SCOPE)
                say.line(f"{type(credential).__name__}: token expires in {token.expires_on - time.time():.0f} s")
        say.line(f"client credentials grants: {idp.count('token', grant_type='client_credentials')}")


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then put back what was there."""
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _shown(name: str, value: str) -> str:
    return "(path to the secret file)" if name.endswith("_FILE") else value


def _compact(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in {"authority", "client_id"} and v is not None}


class _Printer:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def heading(self, text: str) -> None:
        self._out.write(f"\n== {text}\n")

    def line(self, text: str) -> None:
        self._out.write(f"   {text}\n")

    def events(self, events: list[dict[str, Any]]) -> None:
        """Audit events of a step, one JSON line each (secrets are never present; usernames masked)."""
        for event in events:
            self._out.write(f"   audit {json.dumps(_compact(event), sort_keys=True)}\n")

    def block(self, text: str) -> None:
        for row in text.splitlines():
            self._out.write(f"     | {row}\n")
