"""The running part of an emulator: CA files, the TLS server, the proxy, the managed identity endpoint
and their threads."""

from __future__ import annotations

import shutil
import socketserver
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ._ca import issue_certificates
from ._proxy import ConnectProxy
from ._routes import Dispatcher
from ._server import Connections, HttpServer, TlsServer
from ._state import State


@dataclass(frozen=True, slots=True)
class Ports:
    """Where to listen on 127.0.0.1; 0 picks a free port."""

    tls: int = 0
    proxy: int = 0
    identity: int = 0


_POLL_INTERVAL: Final = 0.05
"""How often the accept loops check for shutdown (bounds how long ``stop()`` waits)."""


class Runtime:
    """The TLS server, the proxy and the managed identity endpoint on loopback, serving ``state`` until
    :meth:`stop`."""

    __slots__ = ("_connections", "_directory", "_identity", "_proxy", "_threads", "_tls", "ca_bundle")

    def __init__(self, state: State, on_refused: Callable[[str], None], *, ports: Ports, identity_header: str) -> None:
        self._directory = Path(tempfile.mkdtemp(prefix="entra-emulator-"))
        self._connections = Connections()
        servers: list[socketserver.BaseServer] = []
        try:
            files = issue_certificates(self._directory)
            self._tls = TlsServer(files.server_context(), Dispatcher(state), self._connections, port=ports.tls)
            servers.append(self._tls)
            self._proxy = ConnectProxy(self._tls.serve_connection, self._connections, on_refused, port=ports.proxy)
            servers.append(self._proxy)
            identity = Dispatcher(state, identity_header=identity_header)
            self._identity = HttpServer(identity, self._connections, port=ports.identity)
        except BaseException:
            for server in servers:
                server.server_close()
            shutil.rmtree(self._directory, ignore_errors=True)
            raise
        self.ca_bundle = str(files.ca_bundle)
        self._threads = tuple(
            threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL},
                name=f"entra-emulator-{name}",
                daemon=True,
            )
            for name, server in (("tls", self._tls), ("proxy", self._proxy), ("identity", self._identity))
        )
        for thread in self._threads:
            thread.start()

    @property
    def proxy_port(self) -> int:
        """The CONNECT proxy's port."""
        return self._proxy.port

    @property
    def tls_port(self) -> int:
        """The TLS server's port."""
        return self._tls.port

    @property
    def identity_port(self) -> int:
        """The managed identity endpoint's port."""
        return self._identity.port

    def stop(self) -> None:
        """Stop accepting, close every open connection, wait for the accept loops, delete the CA files."""
        servers = (self._proxy, self._tls, self._identity)
        stoppers = [threading.Thread(target=server.shutdown) for server in servers]  # both loops at once
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in servers:
            server.server_close()
        self._connections.close_all()
        for thread in self._threads:
            thread.join()
        shutil.rmtree(self._directory, ignore_errors=True)
