"""The CONNECT proxy: tunnels Entra's and Key Vault's host names into the emulator, refuses the rest."""

from __future__ import annotations

import socket
import socketserver
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any, cast

from ._hosts import is_tunnel_target
from ._server import Connections

Tunnel = Callable[[socket.socket, Any], None]
"""Serves the client's TLS session on the accepted socket (the emulator's TLS server)."""


class ConnectProxy(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """An HTTP proxy on 127.0.0.1 that only answers ``CONNECT`` and never dials out.

    An accepted tunnel is handed to the emulator's TLS server on the same socket, whatever
    port the client named: no second connection, no byte relaying.
    """

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(
        self, tunnel: Tunnel, connections: Connections, on_refused: Callable[[str], None], *, port: int = 0
    ) -> None:
        super().__init__(("127.0.0.1", port), _ConnectHandler)
        self.tunnel = tunnel
        self.connections = connections
        self.on_refused = on_refused

    @property
    def port(self) -> int:
        """The listening port."""
        return self.server_address[1]

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one client connection, tracked so that stopping can close it."""
        self.connections.add(request)
        try:
            super().finish_request(request, client_address)
        finally:
            self.connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-request are not errors worth a traceback."""


class _ConnectHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    rbufsize = 0  # unbuffered: no byte of the client's TLS handshake may be read ahead
    timeout = 30.0

    def do_CONNECT(self) -> None:
        """Open a tunnel to the emulator for an allowed host, else answer 403."""
        proxy = cast(ConnectProxy, self.server)
        self.close_connection = True
        host, sep, port = self.path.rpartition(":")
        if not sep or not port.isdigit() or not is_tunnel_target(host.lower()):
            proxy.on_refused(self.path)
            self._reply(403, "Forbidden", f"The emulator's proxy does not tunnel to {self.path}.")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        proxy.tunnel(self.connection, self.client_address)

    def refuse_method(self) -> None:
        """Only CONNECT is served: this proxy carries no plain-HTTP traffic."""
        self.close_connection = True
        self._reply(405, "Method Not Allowed", "Only CONNECT is supported.", ("Allow", "CONNECT"))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = refuse_method  # noqa: N815

    def _reply(self, status: int, reason: str, text: str, *headers: tuple[str, str]) -> None:
        body = text.encode()
        lines = [f"HTTP/1.1 {status} {reason}", "Content-Type: text/plain; charset=utf-8"]
        lines += [f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers]
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the stdlib's access log quiet."""
