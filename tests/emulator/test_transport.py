"""TLS, the CONNECT proxy and the server's lifecycle, over real loopback sockets."""

from __future__ import annotations

import socket
import ssl
import statistics
import sys
import time
from pathlib import Path

import pytest
import requests

from settings_cred.emulator import EntraEmulator
from tests.emulator.helpers import password_grant


def _connect_via_proxy(emulator: EntraEmulator, target: str) -> bytes:
    """Send a raw CONNECT for ``target`` and return the proxy's answer."""
    port = int(emulator.proxy_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        return sock.recv(4096)


class TestTls:
    """The server presents a certificate for Microsoft's host names from a throwaway CA."""

    @pytest.mark.parametrize(
        "url",
        [
            "https://login.microsoftonline.com/common/discovery/instance",
            "https://login.microsoft.com/common/discovery/instance",
            "https://myvault.vault.azure.net/secrets/x?api-version=7.5",
        ],
        ids=["login.microsoftonline.com", "login.microsoft.com", "vault"],
    )
    def test_certificate_verifies_for_each_tunnelled_host(self, http: requests.Session, url: str) -> None:
        """Each host the proxy tunnels gets a handshake that verifies against the emulator's CA."""
        assert http.get(url).status_code in (200, 401)

    def test_the_system_trust_store_does_not_trust_the_emulator(self, emulator: EntraEmulator) -> None:
        """Without the emulator's CA bundle the handshake fails: the CA is private to this run."""
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(
                "https://login.microsoftonline.com/common/discovery/instance",
                proxies={"https": emulator.proxy_url},
                verify=True,
                timeout=5,
            )

    def test_server_url_serves_directly_with_an_ip_address_certificate(self, emulator: EntraEmulator) -> None:
        """The TLS server also answers on ``server_url`` (certificate valid for 127.0.0.1)."""
        url = f"{emulator.server_url}/organizations/v2.0/.well-known/openid-configuration"
        response = requests.get(url, verify=emulator.ca_bundle, proxies={"https": ""}, timeout=5)
        assert response.json()["token_endpoint"] == f"{emulator.server_url}/organizations/oauth2/v2.0/token"

    def test_the_ca_bundle_is_one_pem_certificate(self, emulator: EntraEmulator) -> None:
        """``ca_bundle`` is a PEM file holding just the CA certificate."""
        text = Path(emulator.ca_bundle).read_text()
        assert text.count("BEGIN CERTIFICATE") == 1
        assert "PRIVATE KEY" not in text


class TestProxy:
    """The proxy tunnels Entra's and Key Vault's hosts, and nothing else."""

    @pytest.mark.parametrize(
        "target", ["example.com:443", "login.windows.net:443", "vault.azure.net:443", "a.b.vault.azure.net:443"]
    )
    def test_refuses_hosts_it_does_not_emulate(self, emulator: EntraEmulator, target: str) -> None:
        """CONNECT to any other host gets 403 and is listed in ``refused_connects``."""
        assert _connect_via_proxy(emulator, target).startswith(b"HTTP/1.1 403 ")
        assert emulator.refused_connects == [target]

    def test_requests_sees_a_proxy_error_for_a_refused_host(self, emulator: EntraEmulator) -> None:
        """A client asking for example.com through the proxy fails instead of reaching the internet."""
        with pytest.raises(requests.exceptions.ProxyError):
            requests.get("https://example.com/", proxies={"https": emulator.proxy_url}, verify=True, timeout=5)
        assert emulator.refused_connects == ["example.com:443"]

    def test_tunnels_to_the_emulator_whatever_port_is_named(self, http: requests.Session) -> None:
        """An allowed host on any port still lands on the emulator's TLS server."""
        response = http.get("https://login.microsoftonline.com:8443/common/userrealm/a@b.example?api-version=1.0")
        assert response.json()["account_type"] == "Unknown"

    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    def test_answers_plain_proxy_requests_with_405(self, emulator: EntraEmulator, method: str) -> None:
        """Only CONNECT is served; a plain-HTTP proxy request is refused with 405."""
        port = int(emulator.proxy_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(f"{method} http://login.microsoftonline.com/ HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            assert sock.recv(4096).startswith(b"HTTP/1.1 405 ")

    def test_keeps_the_tunnel_alive_across_requests(self, emulator: EntraEmulator) -> None:
        """One CONNECT and one TLS session carry several HTTP/1.1 requests, each answered in turn."""
        port = int(emulator.proxy_url.rsplit(":", 1)[1])
        context = ssl.create_default_context(cafile=emulator.ca_bundle)
        request = b"GET /common/discovery/instance HTTP/1.1\r\nHost: login.microsoftonline.com\r\n\r\n"
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            raw.sendall(b"CONNECT login.microsoftonline.com:443 HTTP/1.1\r\nHost: x\r\n\r\n")
            assert raw.recv(4096) == b"HTTP/1.1 200 Connection Established\r\n\r\n"
            with context.wrap_socket(raw, server_hostname="login.microsoftonline.com") as tls:
                for _ in range(3):
                    tls.sendall(request)
                    head = tls.recv(65536)
                    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
                    assert b"Connection: keep-alive" in head
        assert emulator.count("instance_discovery") == 3

    @pytest.mark.skipif(sys.platform != "linux", reason="the quick-ACK fix for proxied POSTs is Linux-only")
    def test_a_token_request_through_the_proxy_takes_milliseconds(self, http: requests.Session) -> None:
        """A proxied POST is answered without the 40 ms delayed-ACK stall (median well under 10 ms)."""
        password_grant(http).raise_for_status()
        timings = []
        for _ in range(30):
            started = time.perf_counter()
            password_grant(http).raise_for_status()
            timings.append(time.perf_counter() - started)
        assert statistics.median(timings) < 0.010


class TestLifecycle:
    """Starting, stopping and the attributes that only exist while running."""

    def test_attributes_need_a_running_emulator(self) -> None:
        """Asking where a stopped emulator is raises a RuntimeError that says to start it."""
        with pytest.raises(RuntimeError, match="start"):
            _ = EntraEmulator().proxy_url

    def test_cannot_start_twice(self) -> None:
        """A second ``start()`` on a running emulator is refused."""
        with EntraEmulator() as emulator, pytest.raises(RuntimeError, match="already running"):
            emulator.start()

    def test_stop_closes_open_connections_and_deletes_the_ca(self) -> None:
        """``stop()`` returns promptly with a kept-alive tunnel open, which it closes; the CA file goes."""
        emulator = EntraEmulator().start()
        emulator.add_user("bob@contoso.onmicrosoft.com", "pw")
        with requests.Session() as session:
            session.trust_env = False
            session.proxies, session.verify = {"https": emulator.proxy_url}, emulator.ca_bundle
            password_grant(session, username="bob@contoso.onmicrosoft.com", password="pw").raise_for_status()
            ca_bundle, proxy_port = emulator.ca_bundle, int(emulator.proxy_url.rsplit(":", 1)[1])
            started = time.perf_counter()
            emulator.stop()
            assert time.perf_counter() - started < 1.0
            assert not Path(ca_bundle).exists()
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection(("127.0.0.1", proxy_port), timeout=1).close()
        emulator.stop()  # idempotent

    def test_fixed_ports_are_used_and_reusable_after_a_restart(self) -> None:
        """``port``, ``proxy_port`` and ``identity_port`` pin the listeners; a restart binds them again at once."""
        ports = _free_ports(3)
        emulator = EntraEmulator(port=ports[0], proxy_port=ports[1], identity_port=ports[2])
        for _ in range(2):
            with emulator:
                emulator.add_user("bob@contoso.onmicrosoft.com", "pw")
                assert emulator.server_url == f"https://127.0.0.1:{ports[0]}"
                assert emulator.proxy_url == f"http://127.0.0.1:{ports[1]}"
                assert emulator.identity_endpoint == f"http://127.0.0.1:{ports[2]}/msi/token"
                with requests.Session() as session:
                    session.trust_env = False
                    session.proxies, session.verify = {"https": emulator.proxy_url}, emulator.ca_bundle
                    response = password_grant(session, username="bob@contoso.onmicrosoft.com", password="pw")
                    assert response.status_code == 200

    def test_a_taken_port_fails_the_start_and_leaves_nothing_behind(self) -> None:
        """If a port is in use, ``start()`` raises and the servers already opened are closed."""
        (proxy_port,) = _free_ports(1)
        with socket.socket() as squatter:
            squatter.bind(("127.0.0.1", proxy_port))
            squatter.listen()
            emulator = EntraEmulator(proxy_port=proxy_port)
            with pytest.raises(OSError, match="in use"):
                emulator.start()
        with pytest.raises(RuntimeError, match="not running"):
            _ = emulator.proxy_url

    def test_options_and_environment_point_clients_at_the_emulator(self, emulator: EntraEmulator) -> None:
        """``pipeline_options()`` and ``environ()`` carry the proxy URL (HTTPS only) and the CA bundle."""
        proxy, ca_bundle = emulator.proxy_url, emulator.ca_bundle
        assert emulator.pipeline_options() == {"proxies": {"https": proxy}, "connection_verify": ca_bundle}
        assert emulator.environ() == {
            "HTTPS_PROXY": proxy,
            "https_proxy": proxy,
            "REQUESTS_CA_BUNDLE": ca_bundle,
            "SSL_CERT_FILE": ca_bundle,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        assert proxy.startswith("http://127.0.0.1:")
        assert emulator.server_url.startswith("https://127.0.0.1:")
        assert emulator.authority_host == "login.microsoftonline.com"

    def test_a_client_that_never_finishes_the_handshake_does_not_block_others(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """A silent connection to the TLS port holds only its own thread."""
        port = int(emulator.server_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            assert password_grant(http).status_code == 200

    def test_a_tls_client_can_speak_to_the_server_directly(self, emulator: EntraEmulator) -> None:
        """A raw TLS client trusting the CA completes a handshake for login.microsoftonline.com."""
        context = ssl.create_default_context(cafile=emulator.ca_bundle)
        port = int(emulator.server_url.rsplit(":", 1)[1])
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname="login.microsoftonline.com") as tls,
        ):
            tls.sendall(b"GET /common/discovery/instance HTTP/1.1\r\nHost: login.microsoftonline.com\r\n\r\n")
            assert tls.recv(4096).startswith(b"HTTP/1.1 200 OK\r\n")


def _free_ports(count: int) -> list[int]:
    """Ports nobody listens on right now (the kernel picks them)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
