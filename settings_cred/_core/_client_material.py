"""What an application proves itself with: a client secret, a certificate, or a federated token.

Each material gives the secret that Entra ID judges (fingerprinted by the lockout guard, so a rejected
one is not sent again until it changes) and, at the moment msal needs it, the form msal takes.
Certificates and token files are re-read when their file changes, as Kubernetes rotates them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from .._secret import Secret, SecretBytes, SecretSource
from .._secret_files import FileSecret


class ClientMaterial(Protocol):
    """A confidential client's credential."""

    kind: str
    """``client_secret``, ``certificate`` or ``workload_identity``."""

    def current(self) -> Secret:
        """What Entra ID will judge, now (rotations included)."""
        ...  # pragma: no cover

    def for_msal(self) -> Any:
        """msal's ``client_credential`` for :meth:`current`: call only where msal receives it."""
        ...  # pragma: no cover


class SecretMaterial:
    """A client secret (``AZURE_CLIENT_SECRET``), from any secret source."""

    kind = "client_secret"
    __slots__ = ("_source",)

    def __init__(self, source: SecretSource) -> None:
        self._source = source

    def current(self) -> Secret:
        """The secret's current value."""
        return self._source.get()

    def for_msal(self) -> str:
        """The secret itself."""
        return self._source.get().reveal()


class AssertionMaterial:
    """A federated token in a file (``AZURE_FEDERATED_TOKEN_FILE``), re-read whenever the file changes."""

    kind = "workload_identity"
    __slots__ = ("_file",)

    def __init__(self, token_file: str | os.PathLike[str]) -> None:
        self._file = FileSecret(token_file, field="federated_token_file")

    def current(self) -> Secret:
        """The token the file holds now."""
        return self._file.get()

    def for_msal(self) -> dict[str, Callable[[], str]]:
        """The client assertion, read from the file each time msal needs it."""
        return {"client_assertion": lambda: self._file.get().reveal()}


class LoadedCertificate(NamedTuple):
    """A certificate and its private key, in the shapes msal takes."""

    private_key_pem: Secret
    thumbprint: str
    """SHA-1 of the leaf certificate (``x5t``)."""
    chain_pem: str
    """The leaf certificate and any others in the file, PEM (sent as ``x5c`` when asked to)."""
    identity: Secret
    """A stable value that changes when the certificate or key does (what the lockout guard fingerprints)."""


def load_certificate(data: bytes, password: Secret | None) -> LoadedCertificate:
    """Load a PEM (private key and certificates) or PKCS#12 certificate; ``ValueError`` names what is wrong."""
    from cryptography import x509  # noqa: PLC0415 - cryptography loads only for certificate credentials
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: PLC0415

    secret = password.reveal().encode("utf-8") if password is not None else None
    key: Any = None
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, secret)
            certificates = x509.load_pem_x509_certificates(data)
        else:
            key, leaf, extra = pkcs12.load_key_and_certificates(data, secret)
            certificates = [c for c in (leaf, *extra) if c is not None]
    except (ValueError, TypeError):
        failure = "a PEM file with the private key and certificate, or a PKCS#12 (.pfx) file, with the right password"
    else:
        failure = ""
    del data, secret  # no frame of a failure below keeps the key or its password
    if failure:
        raise ValueError(f"the certificate could not be loaded: it must be {failure}")
    if key is None or not certificates:
        raise ValueError("the certificate file must hold both the certificate and its private key")
    der = certificates[0].public_bytes(serialization.Encoding.DER)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    chain = "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certificates)
    identity = hashlib.sha256(der + key_pem.encode("ascii")).hexdigest()
    return LoadedCertificate(Secret(key_pem), hashlib.sha1(der).hexdigest(), chain, Secret(identity))  # noqa: S324


class CertificateMaterial:
    """A certificate from a file (re-read when it changes) or from bytes (``certificate_data``)."""

    kind = "certificate"
    __slots__ = ("_data", "_loaded", "_lock", "_password", "_path", "_seen", "_send_chain")

    def __init__(
        self,
        *,
        path: str | os.PathLike[str] | None,
        data: SecretBytes | None,
        password: Secret | SecretSource | None,
        send_chain: bool,
    ) -> None:
        if (path is None) == (data is None):
            raise ValueError("give exactly one of certificate_path (AZURE_CLIENT_CERTIFICATE_PATH) or certificate_data")
        self._path = os.fspath(Path(path).absolute()) if path is not None else None
        self._data = data
        self._password = password
        self._send_chain = send_chain
        self._lock = threading.Lock()
        self._seen: tuple[int, int, int, bytes] | None = None
        self._loaded = load_certificate(self._read(), self._current_password())

    def current(self) -> Secret:
        """The certificate's identity (it changes when the file is replaced)."""
        return self._certificate().identity

    def for_msal(self) -> dict[str, str]:
        """msal's certificate credential: private key, thumbprint and, if asked, the chain."""
        loaded = self._certificate()
        credential = {"private_key": loaded.private_key_pem.reveal(), "thumbprint": loaded.thumbprint}
        if self._send_chain:
            credential["public_certificate"] = loaded.chain_pem
        return credential

    def _certificate(self) -> LoadedCertificate:
        if self._path is None:
            return self._loaded
        try:
            status = os.stat(self._path)
        except OSError:
            return self._loaded
        password = self._current_password()  # a rotating password (a SecretSource) counts as a change too
        signature = (status.st_ino, status.st_size, status.st_mtime_ns, password.fingerprint() if password else b"")
        if signature != self._seen:
            with self._lock:
                with contextlib.suppress(OSError, ValueError):  # caught half-written: keep the last good one
                    self._loaded = load_certificate(self._read(), password)
                self._seen = signature
        return self._loaded

    def _current_password(self) -> Secret | None:
        return self._password.get() if isinstance(self._password, SecretSource) else self._password

    def _read(self) -> bytes:
        if self._path is None:
            return self._data.reveal() if self._data is not None else b""
        try:
            return Path(self._path).read_bytes()
        except OSError as exc:
            raise ValueError(f"the certificate file {self._path} cannot be read ({type(exc).__name__})") from None

    def __repr__(self) -> str:
        return f"CertificateMaterial({self._path or '<data>'!r}, thumbprint={self._loaded.thumbprint!r})"
