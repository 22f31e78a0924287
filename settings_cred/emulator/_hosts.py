"""Host names the emulator answers for, and how a request's host is classified."""

from __future__ import annotations

from typing import Final

AUTHORITY_HOST: Final = "login.microsoftonline.com"
AUTHORITY_HOSTS: Final = frozenset({AUTHORITY_HOST, "login.microsoft.com"})
"""Entra hosts the proxy tunnels to the emulator (the public cloud's token service)."""
VAULT_SUFFIX: Final = ".vault.azure.net"
VAULT_RESOURCE: Final = "https://vault.azure.net"
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost"})
"""Names under which the TLS server is reached directly (``server_url``); served as the authority."""

CERTIFICATE_NAMES: Final = (*sorted(AUTHORITY_HOSTS), "*" + VAULT_SUFFIX, "localhost")
"""DNS names of the emulator's server certificate (plus the IP address 127.0.0.1)."""


def is_vault_host(host: str) -> bool:
    """Whether ``host`` names a Key Vault (``<vault>.vault.azure.net``, one label deep)."""
    name = host[: -len(VAULT_SUFFIX)] if host.endswith(VAULT_SUFFIX) else ""
    return bool(name) and "." not in name


def is_tunnel_target(host: str) -> bool:
    """Whether the CONNECT proxy may open a tunnel for ``host``."""
    return host in AUTHORITY_HOSTS or is_vault_host(host)


def host_of(authority: str) -> str:
    """The lower-case host of a ``host[:port]`` authority such as a Host header."""
    host, sep, port = authority.strip().rpartition(":")
    return (host if sep and port.isdigit() else authority.strip()).lower()
