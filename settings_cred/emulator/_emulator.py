"""``EntraEmulator``: the public face of the emulator, its lifecycle and its controls."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Final

from ._directory import EmulatedUser, UserState
from ._faults import Endpoint, Fault
from ._hosts import AUTHORITY_HOST
from ._log import RecordedRequest
from ._runtime import Runtime
from ._state import Settings, State

DEFAULT_TENANT_ID: Final = "c0ffee00-5eed-4e1d-9d3b-8f1a2b3c4d5e"
"""The emulator's default tenant (a made-up GUID)."""


class EntraEmulator:
    """A local Microsoft Entra ID and Key Vault over real TLS, reached through a loopback CONNECT proxy.

    Clients keep Microsoft's real host names (``login.microsoftonline.com``, ``<vault>.vault.azure.net``):
    the proxy tunnels exactly those into the emulator, which presents a certificate from a throwaway
    CA (``ca_bundle``). Nothing ever leaves 127.0.0.1. Every method is thread-safe.
    """

    def __init__(
        self,
        *,
        tenant_id: str = DEFAULT_TENANT_ID,
        tenant_domain: str = "contoso.onmicrosoft.com",
        access_token_lifetime: int = 3600,
        refresh_in: int | None = None,
        latency: float = 0.0,
    ) -> None:
        self._state = State(tenant_id, tenant_domain, Settings(access_token_lifetime, refresh_in, latency))
        self._running: Runtime | None = None
        self._lifecycle = threading.Lock()

    # lifecycle

    def start(self) -> EntraEmulator:
        """Create the CA, start the TLS server and the proxy; returns ``self``."""
        with self._lifecycle:
            if self._running is not None:
                raise RuntimeError("the emulator is already running")
            self._running = Runtime(self._state, self._refused)
        return self

    def stop(self) -> None:
        """Stop both servers, close every open connection and delete the CA files (idempotent)."""
        with self._lifecycle:
            running, self._running = self._running, None
        if running is not None:
            running.stop()

    def __enter__(self) -> EntraEmulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        running = self._running
        where = f"proxy_url='http://127.0.0.1:{running.proxy_port}'" if running else "stopped"
        return f"<EntraEmulator {where} tenant_id={self.tenant_id!r}>"

    # where it is

    @property
    def ca_bundle(self) -> str:
        """Path of the PEM file with the throwaway CA certificate (deleted by :meth:`stop`)."""
        return self._require().ca_bundle

    @property
    def proxy_url(self) -> str:
        """``http://127.0.0.1:<port>``: the CONNECT proxy to give clients as their HTTPS proxy."""
        return f"http://127.0.0.1:{self._require().proxy_port}"

    @property
    def server_url(self) -> str:
        """``https://127.0.0.1:<port>``: the TLS server itself, for direct requests."""
        return f"https://127.0.0.1:{self._require().tls_port}"

    @property
    def authority_host(self) -> str:
        """The authority host to configure clients with: ``login.microsoftonline.com``."""
        return AUTHORITY_HOST

    @property
    def tenant_id(self) -> str:
        """The default tenant's id."""
        return self._state.default_tenant_id

    def pipeline_options(self) -> dict[str, Any]:
        """azure-core keyword arguments routing a client through the emulator."""
        proxy = self.proxy_url
        return {"proxies": {"https": proxy, "http": proxy}, "connection_verify": self.ca_bundle}

    def environ(self) -> dict[str, str]:
        """Environment variables routing HTTPS clients (requests, azure-core) through the emulator."""
        return {
            "HTTPS_PROXY": self.proxy_url,
            "REQUESTS_CA_BUNDLE": self.ca_bundle,
            "SSL_CERT_FILE": self.ca_bundle,
            "NO_PROXY": "",
        }

    # directory

    def add_tenant(self, tenant_id: str, *domains: str) -> None:
        """Add a tenant (a GUID) with its verified domains, or more domains to a known tenant."""
        with self._state.lock:
            self._state.directory.add_tenant(tenant_id, *domains)

    def add_user(
        self,
        username: str,
        password: str,
        *,
        tenant_id: str | None = None,
        guest_of: Iterable[str] = (),
        display_name: str | None = None,
        state: UserState = "active",
    ) -> EmulatedUser:
        """Add (or replace) a user; the home tenant is ``tenant_id``, else the owner of the user's domain,
        else the default tenant. ``guest_of`` lists tenants (ids or domains) where the user is a guest."""
        with self._state.lock:
            return self._state.directory.add_user(
                username,
                password,
                tenant_id=tenant_id,
                guest_of=guest_of,
                display_name=display_name,
                state=state,
                default_tenant_id=self._state.default_tenant_id,
            )

    def set_password(self, username: str, password: str) -> None:
        """Change a user's password; like Entra, this revokes the user's refresh tokens."""
        with self._state.lock:
            self._state.directory.set_password(username, password)
            self._state.tokens.revoke(username, time.time())

    def set_user_state(self, username: str, state: UserState) -> None:
        """Lock, disable, expire the password of, or require MFA or consent from a user (or make it active)."""
        with self._state.lock:
            self._state.directory.set_state(username, state)

    def add_app(self, client_id: str, *, allow_public_client_flows: bool = True) -> None:
        """Register an app; once any app is registered, unregistered client ids are refused (AADSTS700016)."""
        with self._state.lock:
            self._state.directory.add_app(client_id, allow_public_client_flows=allow_public_client_flows)

    def add_secret(
        self, vault: str, name: str, value: str, *, version: str | None = None, content_type: str | None = None
    ) -> str:
        """Store a secret version in ``<vault>.vault.azure.net``; returns the version id."""
        with self._state.lock:
            return self._state.vaults.add(
                vault, name, value, version=version, content_type=content_type, now=time.time()
            )

    def revoke_refresh_tokens(self, username: str | None = None) -> None:
        """Revoke the refresh tokens issued so far to one user, or to everyone (AADSTS50173 on use)."""
        with self._state.lock:
            self._state.tokens.revoke(username, time.time())

    # control

    @property
    def access_token_lifetime(self) -> int:
        """Seconds an access token is valid (``expires_in``)."""
        return self._state.settings.access_token_lifetime

    @access_token_lifetime.setter
    def access_token_lifetime(self, seconds: int) -> None:
        self._set(access_token_lifetime=seconds)

    @property
    def refresh_in(self) -> int | None:
        """``refresh_in`` sent with tokens (``None``: not sent)."""
        return self._state.settings.refresh_in

    @refresh_in.setter
    def refresh_in(self, seconds: int | None) -> None:
        self._set(refresh_in=seconds)

    @property
    def latency(self) -> float:
        """Seconds the token endpoint waits before answering."""
        return self._state.settings.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._set(latency=seconds)

    def inject(
        self,
        *,
        endpoint: Endpoint = "token",
        status: int | None = None,
        aadsts: int | None = None,
        retry_after: int | None = None,
        drop: bool = False,
        delay: float = 0.0,
        times: int | None = 1,
        grant_type: str | None = None,
    ) -> Fault:
        """Make the next ``times`` matching requests fail (``status``/``aadsts``), vanish (``drop``) or
        wait ``delay`` seconds first. ``times=None`` keeps the fault until :meth:`clear_faults`."""
        fault = Fault(
            endpoint=endpoint,
            status=status,
            aadsts=aadsts,
            retry_after=retry_after,
            drop=drop,
            delay=delay,
            times=times,
            grant_type=grant_type,
        )
        with self._state.lock:
            self._state.faults.add(fault)
        return fault

    def clear_faults(self) -> None:
        """Forget every pending fault."""
        with self._state.lock:
            self._state.faults.clear()

    def reset(self) -> None:
        """Back to the state right after :meth:`start`: default tenant only, no faults, empty log,
        default settings, a new token signing key. The servers keep running."""
        self._state.reset()

    # observation

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the requests seen so far, oldest first."""
        with self._state.lock:
            return self._state.log.snapshot()

    def count(self, endpoint: Endpoint | None = None, *, grant_type: str | None = None) -> int:
        """How many requests reached ``endpoint`` (any endpoint for ``None``), optionally of one grant type."""
        with self._state.lock:
            return self._state.log.count(endpoint, grant_type)

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._state.lock:
            self._state.log.clear()

    def issued_refresh_tokens(self) -> list[str]:
        """Every refresh token issued since the last reset, oldest first: for canary sweeps that check
        a client never logs or leaks one."""
        with self._state.lock:
            return self._state.tokens.issued_refresh_tokens()

    @property
    def refused_connects(self) -> list[str]:
        """``host:port`` targets the proxy refused to tunnel to, oldest first."""
        with self._state.lock:
            return list(self._state.refused)

    def _refused(self, target: str) -> None:
        with self._state.lock:
            self._state.refused.append(target)

    def _set(self, **changes: Any) -> None:
        with self._state.lock:
            self._state.settings = dataclasses.replace(self._state.settings, **changes)

    def _require(self) -> Runtime:
        running = self._running
        if running is None:
            raise RuntimeError("the emulator is not running; call start() or use it as a context manager")
        return running
