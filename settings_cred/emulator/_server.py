"""The HTTP/1.1 servers (TLS, and plain for the managed identity endpoint): a thread per connection,
keep-alive, each response in one write."""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any, Final, cast
from urllib.parse import parse_qsl, urlsplit

from ._hosts import host_of
from ._http import Request, Response, encode, json_response

Dispatch = Callable[[Request], Response | None]
"""Turns a request into a response; ``None`` drops the connection without answering."""

MAX_BODY: Final = 1 << 20
HANDSHAKE_TIMEOUT: Final = 10.0
IDLE_TIMEOUT: Final = 120.0
_QUICKACK: Final[int | None] = getattr(socket, "TCP_QUICKACK", None)
_log = logging.getLogger(__name__)


class Connections:
    """The open client sockets of both servers, so that stopping closes every one of them."""

    __slots__ = ("_closed", "_lock", "_open")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = False

    def add(self, sock: socket.socket) -> None:
        """Track an open socket (shut it down at once if stopping has already begun)."""
        with self._lock:
            if not self._closed:
                self._open.add(sock)
                return
        shutdown(sock)

    def discard(self, sock: socket.socket) -> None:
        """Stop tracking a socket."""
        with self._lock:
            self._open.discard(sock)

    def close_all(self) -> None:
        """Shut every tracked socket down, waking the threads blocked on them."""
        with self._lock:
            sockets, self._open, self._closed = self._open, set(), True
        for sock in sockets:
            shutdown(sock)


def shutdown(sock: socket.socket) -> None:
    """End both directions of a TCP connection at once (no TLS close_notify: the peer sees EOF)."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def acknowledge_now(sock: socket.socket) -> None:
    """Send the pending TCP ACK for the request headers now (Linux ``TCP_QUICKACK``).

    Clients behind a proxy keep Nagle's algorithm on (urllib3 does so deliberately), so the body
    of a POST waits for that ACK, which the kernel would otherwise delay by up to 40 ms.
    """
    if _QUICKACK is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)


class HttpServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """Serves plain HTTP/1.1 on 127.0.0.1 (the managed identity endpoint), routing nothing itself: it calls
    ``dispatch``. Port 0 picks a free port; a fixed port can be reused right after a restart."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, dispatch: Dispatch, connections: Connections, *, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.dispatch = dispatch
        self.connections = connections

    @property
    def port(self) -> int:
        """The listening port."""
        return self.server_address[1]

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one accepted connection, tracked so that stopping can close it."""
        self.connections.add(request)
        try:
            _Handler(request, client_address, self)
        finally:
            self.connections.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log unexpected errors at DEBUG instead of printing tracebacks."""
        _log.debug("error serving %s", client_address, exc_info=True)


class TlsServer(HttpServer):
    """Serves HTTPS on 127.0.0.1 with the emulator's certificate (Entra's and Key Vault's host names)."""

    def __init__(self, context: ssl.SSLContext, dispatch: Dispatch, connections: Connections, *, port: int = 0) -> None:
        super().__init__(dispatch, connections, port=port)
        self.context = context

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Serve one accepted connection."""
        self.serve_connection(request, client_address)

    def serve_connection(self, sock: socket.socket, client_address: Any) -> None:
        """Speak TLS, then HTTP, on ``sock`` until the client leaves (used for proxy tunnels too)."""
        sock.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        except OSError:
            return
        self.connections.add(tls)
        try:
            tls.do_handshake()
            _Handler(tls, client_address, self)
        except OSError as error:
            _log.debug("connection from %s ended: %s", client_address, error)
        finally:
            self.connections.discard(tls)
            tls.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT

    def serve(self) -> None:
        """Read one request, dispatch it and write the answer in one go."""
        server = cast(HttpServer, self.server)
        if "transfer-encoding" in self.headers:
            self._answer(json_response(411, {"error": "length_required"}), close=True)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._answer(json_response(413, {"error": "request_too_large"}), close=True)
            return
        if length:
            acknowledge_now(self.connection)
        body = self.rfile.read(length) if length else b""
        target = urlsplit(self.path)
        netloc = self.headers.get("Host", "")
        request = Request(
            method=self.command,
            host=host_of(netloc),
            netloc=netloc,
            path=target.path,
            query=dict(parse_qsl(target.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            response = server.dispatch(request)
        except Exception:  # noqa: BLE001 - an emulator bug answers 500 instead of killing the connection
            _log.exception("the emulator failed to answer %s %s", request.method, request.path)
            response = json_response(500, {"error": "emulator_error"})
        if response is None:
            self.close_connection = True
            shutdown(self.connection)
            return
        self._answer(response, close=False)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = serve  # noqa: N815 - stdlib names

    def _answer(self, response: Response, *, close: bool) -> None:
        if close:
            self.close_connection = True
        data = encode(response, keep_alive=not self.close_connection, head=self.command == "HEAD")
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the stdlib's access log quiet; the emulator has its own request log."""
