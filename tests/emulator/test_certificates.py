"""Certificate credentials: client assertions checked against the registered certificate, and the
``ClientCertificate`` factory that makes test certificates."""

from __future__ import annotations

import base64
import datetime
import time
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12

from settings_cred.emulator import DEFAULT_TENANT_ID, ClientCertificate, EntraEmulator
from tests.emulator.helpers import (
    APP_ID,
    claims,
    client_credentials,
    error_of,
    signed_assertion,
    token_url,
    with_assertion,
)

DOMAIN = "contoso.onmicrosoft.com"


@pytest.fixture
def registered(emulator: EntraEmulator, certificate: ClientCertificate) -> str:
    """APP_ID with ``certificate`` uploaded; returns its key id."""
    return emulator.add_client_certificate(APP_ID, certificate)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TestAccepted:
    """Assertions msal and azure-identity make are accepted."""

    @pytest.mark.parametrize(
        ("algorithm", "header"),
        [("RS256", "x5t"), ("PS256", "x5t#S256")],
        ids=["rs256-sha1-thumbprint", "ps256-sha256-thumbprint"],
    )
    def test_a_signed_assertion_buys_a_token(
        self,
        registered: str,
        certificate: ClientCertificate,
        http: requests.Session,
        algorithm: str,
        header: str,
    ) -> None:
        """RS256 with ``x5t`` (SHA-1) and PS256 with ``x5t#S256`` (SHA-256) both sign in; appidacr is 2."""
        digest = bytes.fromhex(certificate.thumbprint if header == "x5t" else certificate.sha256_thumbprint)
        assertion = signed_assertion(certificate, algorithm=algorithm, header={"x5t": None, header: _b64(digest)})
        response = client_credentials(http, **with_assertion(assertion))
        assert response.status_code == 200, response.text
        assert claims(response.json()["access_token"])["appidacr"] == "2"

    @pytest.mark.parametrize(
        ("tenant", "audience"),
        [
            (DEFAULT_TENANT_ID, token_url(DEFAULT_TENANT_ID)),
            (DOMAIN, token_url(DOMAIN)),
            (DOMAIN, token_url(DEFAULT_TENANT_ID)),
            (DEFAULT_TENANT_ID, f"https://login.microsoftonline.com/{DEFAULT_TENANT_ID}/v2.0"),
        ],
        ids=["token-endpoint", "by-domain", "domain-path-guid-audience", "issuer"],
    )
    def test_the_audience_may_be_the_token_endpoint_or_the_issuer(
        self, registered: str, certificate: ClientCertificate, http: requests.Session, tenant: str, audience: str
    ) -> None:
        """``aud`` names the token endpoint called (its tenant by domain or GUID) or the tenant's issuer."""
        assertion = signed_assertion(certificate, claims={"aud": audience})
        assert client_credentials(http, tenant=tenant, **with_assertion(assertion)).status_code == 200

    def test_the_key_id_is_the_sha1_thumbprint(self, registered: str, certificate: ClientCertificate) -> None:
        """``add_client_certificate`` returns the thumbprint the portal shows."""
        assert registered == certificate.thumbprint

    @pytest.mark.parametrize("form", ["pem-bytes", "pem-text", "der", "x509"])
    def test_a_certificate_registers_in_any_encoding(
        self, emulator: EntraEmulator, certificate: ClientCertificate, http: requests.Session, form: str
    ) -> None:
        """PEM (bytes or text, with the key before it), DER or a ``cryptography`` certificate all register."""
        value: Any = {
            "pem-bytes": certificate.pem(),
            "pem-text": certificate.certificate_pem.decode(),
            "der": certificate.certificate.public_bytes(serialization.Encoding.DER),
            "x509": certificate.certificate,
        }[form]
        emulator.add_client_certificate(APP_ID, value)
        assert client_credentials(http, **with_assertion(signed_assertion(certificate))).status_code == 200


class TestRefused:
    """Each fault in an assertion gets the AADSTS code Entra uses for it."""

    @pytest.mark.parametrize(
        "case",
        [
            ({"sub": "someone-else"}, {}, 700021, "application identifier doesn't match"),
            ({"aud": "https://login.microsoftonline.com/common/oauth2/v2.0/token"}, {}, 700023, "audience claim"),
            ({"aud": "https://example.com/token"}, {}, 700023, "does not match Realm issuer"),
            ({"exp": int(time.time()) - 3600}, {}, 700024, "not within its valid time range"),
            ({"nbf": int(time.time()) + 3600}, {}, 700024, "not within its valid time range"),
            ({"exp": "soon"}, {}, 50027, "JWT token is invalid or malformed"),
            ({}, {"x5t": None}, 700027, "The key was not found."),
            ({}, {"x5t": _b64(b"\x01" * 20)}, 700027, "The key was not found."),
            ({}, {"x5t": "!!"}, 700027, "The key was not found."),
            ({}, {"alg": "HS256"}, 700027, "did not match the expected signature value"),
        ],
        ids=[
            "sub-not-client-id",
            "aud-other-tenant",
            "aud-elsewhere",
            "expired",
            "not-yet-valid",
            "exp-not-a-number",
            "no-thumbprint",
            "unknown-thumbprint",
            "garbled-thumbprint",
            "unsupported-alg",
        ],
    )
    def test_a_faulty_assertion_gets_entras_code(
        self,
        registered: str,
        certificate: ClientCertificate,
        http: requests.Session,
        case: tuple[dict[str, Any], dict[str, Any], int, str],
    ) -> None:
        """The refusal names the fault, with the code and wording Entra uses."""
        claims_, header, code, fragment = case
        assertion = signed_assertion(certificate, claims=claims_, header=header)
        response = client_credentials(http, **with_assertion(assertion))
        assert error_of(response)[1:] == ("invalid_client" if code != 50027 else "invalid_request", [code])
        assert fragment in response.json()["error_description"]

    def test_a_key_other_than_the_certificates_fails_signature_validation(
        self,
        registered: str,
        certificate: ClientCertificate,
        stranger_certificate: ClientCertificate,
        http: requests.Session,
    ) -> None:
        """Signed by another key while naming the registered thumbprint: 700027 with the thumbprint used."""
        forged = signed_assertion(stranger_certificate, header={"x5t": _b64(bytes.fromhex(certificate.thumbprint))})
        response = client_credentials(http, **with_assertion(forged))
        assert error_of(response) == (401, "invalid_client", [700027])
        assert certificate.thumbprint in response.json()["error_description"]

    def test_an_unregistered_certificate_is_not_found(
        self, registered: str, stranger_certificate: ClientCertificate, http: requests.Session
    ) -> None:
        """A valid assertion signed with a certificate the app does not have: the key is not found."""
        response = client_credentials(http, **with_assertion(signed_assertion(stranger_certificate)))
        assert "The key was not found." in response.json()["error_description"]

    def test_an_expired_certificate_is_refused(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A certificate past its end date no longer signs the app in."""
        old = ClientCertificate.generate(
            not_before=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc), valid_days=1, key_size=1024
        )
        emulator.add_client_certificate(APP_ID, old)
        response = client_credentials(http, **with_assertion(signed_assertion(old)))
        assert "The key used is expired." in response.json()["error_description"]

    def test_a_removed_certificate_is_not_found(
        self, emulator: EntraEmulator, registered: str, certificate: ClientCertificate, http: requests.Session
    ) -> None:
        """``remove_client_credential`` with the thumbprint deletes the certificate."""
        emulator.add_client_secret(APP_ID, "keeps-the-app-confidential")
        emulator.remove_client_credential(APP_ID, registered.lower())
        assert error_of(client_credentials(http, **with_assertion(signed_assertion(certificate))))[2] == [700027]

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"client_assertion": "not.a.jwt"}, 50027),
            ({"client_assertion": "only-one-part"}, 50027),
            ({"client_assertion": "W10.W10.c2ln"}, 50027),
            ({"client_assertion": "x.y.z", "client_assertion_type": "urn:other"}, 9002313),
            ({"client_assertion": "x.y.z", "client_assertion_type": ""}, 900144),
        ],
        ids=["garbage-parts", "no-dots", "json-arrays", "wrong-assertion-type", "no-assertion-type"],
    )
    def test_a_malformed_request_is_refused(
        self, registered: str, http: requests.Session, fields: dict[str, str], code: int
    ) -> None:
        """An assertion that is no JWS, or of another type, never reaches signature checks."""
        form = {"client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", **fields}
        assert error_of(client_credentials(http, **form))[2] == [code]


class TestClientCertificate:
    """``ClientCertificate``: a test certificate in every format clients read."""

    def test_thumbprints_are_the_certificates_fingerprints(self, certificate: ClientCertificate) -> None:
        """SHA-1 and SHA-256 thumbprints in upper-case hex."""
        cert = certificate.certificate
        assert certificate.thumbprint == cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303
        assert certificate.sha256_thumbprint == cert.fingerprint(hashes.SHA256()).hex().upper()

    def test_pem_holds_the_key_then_the_certificate(self, certificate: ClientCertificate) -> None:
        """``pem()`` is what azure-identity's CertificateCredential reads; it round-trips."""
        pem = certificate.pem()
        assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
        assert x509.load_pem_x509_certificate(pem[pem.index(b"-----BEGIN CERTIFICATE-----") :]) == (
            certificate.certificate
        )

    def test_an_encrypted_key_needs_its_password(self, certificate: ClientCertificate) -> None:
        """With a password the key is encrypted and loads only with it."""
        pem = certificate.private_key_pem(b"pw")
        assert b"ENCRYPTED" in pem
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(pem, None)
        assert serialization.load_pem_private_key(pem, b"pw").key_size == 2048  # type: ignore[union-attr]

    def test_pfx_round_trips(self, certificate: ClientCertificate) -> None:
        """The PKCS#12 bundle holds the key and the certificate."""
        key, cert, _ = pkcs12.load_key_and_certificates(certificate.pfx(b"pw"), b"pw")
        assert cert == certificate.certificate
        assert key is not None

    def test_the_repr_shows_the_subject_and_thumbprint_never_the_key(self, certificate: ClientCertificate) -> None:
        """No private key material in the repr."""
        text = repr(certificate)
        assert certificate.thumbprint in text
        assert "app certificate" in text
        assert "PRIVATE" not in text

    def test_only_rsa_certificates_register(self, emulator: EntraEmulator) -> None:
        """Entra takes RSA certificates; an EC one is refused at registration."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "ec")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256())
        )
        with pytest.raises(TypeError, match="RSA"):
            emulator.add_client_certificate(APP_ID, cert)
