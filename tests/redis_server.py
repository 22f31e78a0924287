"""A real ``redis-server`` on a free loopback port that tests can stop, kill, pause and restart."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import cast

BINARY = shutil.which("redis-server")
HOW_TO_RUN = (
    "redis-server is not on PATH: the Redis store tests are SKIPPED. Install it (apt install redis-server, "
    "brew install redis) to run them; under CI=true a missing redis-server fails the run."
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """One redis-server process; `url` stays the same across restarts."""

    def __init__(
        self, directory: Path, *, persistent: bool = False, password: str | None = None, tls: bool = False
    ) -> None:
        if BINARY is None:
            raise RuntimeError(HOW_TO_RUN)
        self.directory = directory
        self.port = free_port()
        self.persistent = persistent
        self.password = password
        self.ca_bundle: Path | None = None
        self._tls: tuple[Path, Path] | None = None
        if tls:
            from settings_cred.emulator._ca import issue_certificates

            files = issue_certificates(directory)
            self.ca_bundle, self._tls = files.ca_bundle, (files.certificate, files.private_key)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis[s]://[:password@]127.0.0.1:<port>/0`` (with the CA to trust, for TLS)."""
        auth = f":{self.password}@" if self.password else ""
        if self.ca_bundle is not None:
            return f"rediss://{auth}127.0.0.1:{self.port}/0?ssl_ca_certs={self.ca_bundle}"
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start the server and wait until it answers."""
        assert BINARY is not None
        arguments = [BINARY, "--bind", "127.0.0.1", "--dir", str(self.directory)]
        if self._tls is not None and self.ca_bundle is not None:
            certificate, key = self._tls
            arguments += ["--port", "0", "--tls-port", str(self.port), "--tls-auth-clients", "no"]
            arguments += ["--tls-cert-file", str(certificate), "--tls-key-file", str(key)]
            arguments += ["--tls-ca-cert-file", str(self.ca_bundle)]
        else:
            arguments += ["--port", str(self.port)]
        arguments += ["--save", "", "--logfile", str(self.directory / "redis.log")]
        arguments += ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        if self.password:
            arguments += ["--requirepass", self.password]
        self._process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self._answers():
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as plain:
                if self.ca_bundle is None:
                    return self._ping(plain)
                context = ssl.create_default_context(cafile=str(self.ca_bundle))
                with context.wrap_socket(plain, server_hostname="127.0.0.1") as wrapped:
                    return self._ping(wrapped)
        except OSError:
            return False

    def _ping(self, connection: socket.socket) -> bool:
        if self.password:
            connection.sendall(f"AUTH {self.password}\r\n".encode())
            connection.recv(64)
        connection.sendall(b"PING\r\n")
        return connection.recv(64).startswith(b"+PONG")

    def pause(self) -> None:
        """SIGSTOP: the server accepts connections but never answers (a hung store)."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT after :meth:`pause`."""
        self._signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL and reap: the store is gone."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.kill()
            process.wait(timeout=10)

    def restart(self) -> None:
        """Kill, then start again on the same port (empty unless `persistent`)."""
        self.kill()
        self.start()

    def entries(self) -> dict[bytes, bytes]:
        """Every key and its value (strings only), read over a raw connection."""
        import redis

        client = redis.Redis.from_url(self.url)
        try:
            strings = (key for key in client.scan_iter() if client.type(key) == b"string")
            return {key: cast("bytes", client.get(key) or b"") for key in strings}  # bytes: no decode_responses
        finally:
            client.close()

    def _signal(self, number: int) -> None:
        assert self._process is not None, "the server is not running"
        os.kill(self._process.pid, number)
