"""The running part of an emulator: CA files, the TLS server, the proxy and their threads."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Final

from ._ca import issue_certificates
from ._proxy import ConnectProxy
from ._routes import Dispatcher
from ._server import Connections, TlsServer
from ._state import State

_POLL_INTERVAL: Final = 0.05
"""How often the accept loops check for shutdown (bounds how long ``stop()`` waits)."""


class Runtime:
    """Servers on ephemeral loopback ports, serving ``state`` until :meth:`stop`."""

    __slots__ = ("_connections", "_directory", "_proxy", "_threads", "_tls", "ca_bundle")

    def __init__(self, state: State, on_refused: Callable[[str], None]) -> None:
        self._directory = Path(tempfile.mkdtemp(prefix="entra-emulator-"))
        try:
            files = issue_certificates(self._directory)
            self._connections = Connections()
            self._tls = TlsServer(files.server_context(), Dispatcher(state), self._connections)
            self._proxy = ConnectProxy(self._tls.serve_connection, self._connections, on_refused)
        except BaseException:
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
            for name, server in (("tls", self._tls), ("proxy", self._proxy))
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

    def stop(self) -> None:
        """Stop accepting, close every open connection, wait for the accept loops, delete the CA files."""
        servers = (self._proxy, self._tls)
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
