"""``EntraEmulator``: the public face of the emulator, its lifecycle and its controls."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from types import TracebackType
from typing import Any, Final, Literal

from ._faults import Endpoint, Fault
from ._hosts import AUTHORITY_HOST
from ._identity_endpoint import APP_SERVICE_PATH
from ._log import RecordedRequest
from ._registry import Registry
from ._runtime import Ports, Runtime
from ._state import Settings, State

DEFAULT_TENANT_ID: Final = "c0ffee00-5eed-4e1d-9d3b-8f1a2b3c4d5e"
"""The emulator's default tenant (a made-up GUID)."""
_NO_PROXY: Final = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


class EntraEmulator(Registry):
    """A local Microsoft Entra ID and Key Vault over real TLS, reached through a loopback CONNECT proxy.

    Clients keep Microsoft's real host names (``login.microsoftonline.com``, ``<vault>.vault.azure.net``):
    the proxy tunnels exactly those into the emulator, which presents a certificate from a throwaway
    CA (``ca_bundle``). A plain-HTTP managed identity endpoint serves the emulated host's identities.
    Nothing ever leaves 127.0.0.1. Ports are free ones unless ``port`` (TLS server), ``proxy_port`` and
    ``identity_port`` fix them, so that exported variables stay valid across restarts. Every method
    is thread-safe.
    """

    def __init__(
        self,
        *,
        tenant_id: str = DEFAULT_TENANT_ID,
        tenant_domain: str = "contoso.onmicrosoft.com",
        access_token_lifetime: int = 3600,
        refresh_in: int | None = None,
        latency: float = 0.0,
        port: int = 0,
        proxy_port: int = 0,
        identity_port: int = 0,
        identity_header: str | None = None,
    ) -> None:
        self._state = State(tenant_id, tenant_domain, Settings(access_token_lifetime, refresh_in, latency))
        self._ports = Ports(tls=port, proxy=proxy_port, identity=identity_port)
        self._identity_header = identity_header or str(uuid.uuid4())
        self._running: Runtime | None = None
        self._lifecycle = threading.Lock()

    # lifecycle

    def start(self) -> EntraEmulator:
        """Create the CA, start the TLS server, the proxy and the managed identity endpoint; returns ``self``."""
        with self._lifecycle:
            if self._running is not None:
                raise RuntimeError("the emulator is already running")
            self._running = Runtime(
                self._state, self._refused, ports=self._ports, identity_header=self._identity_header
            )
        return self

    def stop(self) -> None:
        """Stop the servers, close every open connection and delete the CA files (idempotent)."""
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

    @property
    def identity_endpoint(self) -> str:
        """``http://127.0.0.1:<port>/msi/token``: the App Service-style managed identity endpoint."""
        return f"http://127.0.0.1:{self._require().identity_port}{APP_SERVICE_PATH}"

    @property
    def identity_header(self) -> str:
        """The value the managed identity endpoint expects in ``X-IDENTITY-HEADER`` (``IDENTITY_HEADER``)."""
        return self._identity_header

    def pipeline_options(self) -> dict[str, Any]:
        """azure-core keyword arguments routing a client's HTTPS through the emulator (plain HTTP, which
        only the managed identity endpoint on 127.0.0.1 speaks, goes direct)."""
        return {"proxies": {"https": self.proxy_url}, "connection_verify": self.ca_bundle}

    def environ(self) -> dict[str, str]:
        """Environment variables routing HTTPS clients (requests, azure-core, curl) through the emulator:
        ``HTTPS_PROXY``, ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE`` and ``NO_PROXY`` (loopback only), with
        the lower-case spellings that take precedence in urllib and requests."""
        proxy, ca_bundle = self.proxy_url, self.ca_bundle
        return {
            "HTTPS_PROXY": proxy,
            "https_proxy": proxy,
            "REQUESTS_CA_BUNDLE": ca_bundle,
            "SSL_CERT_FILE": ca_bundle,
            **_NO_PROXY,
        }

    def managed_identity_environ(self, *, source: Literal["app_service", "imds"] = "app_service") -> dict[str, str]:
        """Environment variables that make msal and azure-identity find the emulated host's managed identity:
        ``IDENTITY_ENDPOINT`` and ``IDENTITY_HEADER`` (App Service, Container Apps), or for ``source="imds"``
        ``AZURE_POD_IDENTITY_AUTHORITY_HOST`` (a VM's IMDS); with ``NO_PROXY`` so that a client whose HTTPS
        goes through the emulator's proxy reaches the endpoint directly."""
        base = f"http://127.0.0.1:{self._require().identity_port}"
        if source == "imds":
            return {"AZURE_POD_IDENTITY_AUTHORITY_HOST": base, **_NO_PROXY}
        return {"IDENTITY_ENDPOINT": base + APP_SERVICE_PATH, "IDENTITY_HEADER": self._identity_header, **_NO_PROXY}

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
        """Seconds the token endpoint and the managed identity endpoint wait before answering."""
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
