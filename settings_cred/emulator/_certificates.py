"""Client certificates: a factory of test certificates, and what an app registration keeps of one."""

from __future__ import annotations

import datetime
from typing import Union

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from ._apps import RegisteredCertificate

CertificateLike = Union["ClientCertificate", x509.Certificate, bytes, str]
"""A certificate to register: a :class:`ClientCertificate`, a ``cryptography`` certificate, or PEM/DER."""


class ClientCertificate:
    """A self-signed RSA certificate with its private key, to register on an app and sign in with.

    The private key never shows in the repr; read it with :meth:`private_key_pem`, :meth:`pem` or
    :meth:`pfx`, in the format the client expects.
    """

    __slots__ = ("_certificate", "_key")

    def __init__(self, certificate: x509.Certificate, private_key: rsa.RSAPrivateKey) -> None:
        self._certificate = certificate
        self._key = private_key

    @classmethod
    def generate(
        cls,
        common_name: str = "settings-cred emulator client",
        *,
        valid_days: float = 30,
        not_before: datetime.datetime | None = None,
        key_size: int = 2048,
    ) -> ClientCertificate:
        """A new key pair and a self-signed certificate valid ``valid_days`` from ``not_before`` (now)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        start = not_before or datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + datetime.timedelta(days=valid_days))
            .sign(key, hashes.SHA256())
        )
        return cls(certificate, key)

    @property
    def certificate(self) -> x509.Certificate:
        """The certificate (``cryptography``'s object)."""
        return self._certificate

    @property
    def thumbprint(self) -> str:
        """SHA-1 thumbprint in upper-case hex (what the Azure portal shows; msal's ``thumbprint``)."""
        return self.certificate.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - Entra's key id

    @property
    def sha256_thumbprint(self) -> str:
        """SHA-256 thumbprint in upper-case hex."""
        return self.certificate.fingerprint(hashes.SHA256()).hex().upper()

    @property
    def certificate_pem(self) -> bytes:
        """The certificate alone, PEM-encoded (what an app registration is given)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def private_key_pem(self, password: bytes | None = None) -> bytes:
        """The private key as PKCS#8 PEM, encrypted with ``password`` if given."""
        encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    def pem(self, password: bytes | None = None) -> bytes:
        """Private key then certificate in one PEM file, as azure-identity's ``CertificateCredential`` reads."""
        return self.private_key_pem(password) + self.certificate_pem

    def pfx(self, password: bytes | None = None) -> bytes:
        """A PKCS#12 (``.pfx``) bundle of the key and the certificate."""
        encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        return pkcs12.serialize_key_and_certificates(None, self._key, self.certificate, None, encryption)

    def __repr__(self) -> str:
        subject = self.certificate.subject.rfc4514_string()
        return f"<ClientCertificate {subject!r} thumbprint={self.thumbprint}>"


def registered_certificate(certificate: CertificateLike) -> RegisteredCertificate:
    """What an app registration keeps of ``certificate``: thumbprints, public key and validity."""
    cert = _load(certificate)
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise TypeError("Entra ID accepts RSA certificates only")
    return RegisteredCertificate(
        key_id=cert.fingerprint(hashes.SHA1()).hex().upper(),  # noqa: S303 - Entra's key id
        sha1=cert.fingerprint(hashes.SHA1()),  # noqa: S303
        sha256=cert.fingerprint(hashes.SHA256()),
        public_key=key,
        not_before=cert.not_valid_before_utc.timestamp(),
        not_after=cert.not_valid_after_utc.timestamp(),
    )


def _load(certificate: CertificateLike) -> x509.Certificate:
    if isinstance(certificate, ClientCertificate):
        return certificate.certificate
    if isinstance(certificate, x509.Certificate):
        return certificate
    data = certificate.encode() if isinstance(certificate, str) else certificate
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificate(data[data.index(b"-----BEGIN CERTIFICATE-----") :])
    return x509.load_der_x509_certificate(data)
