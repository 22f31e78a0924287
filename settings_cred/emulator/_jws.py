"""JSON Web Signatures with RSA keys (RS256, PS256): client assertions and federated tokens."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ._jwt import b64url, b64url_decode, b64url_json

ALGORITHMS: Final = frozenset({"RS256", "PS256"})
"""The signature algorithms Entra accepts for client assertions."""


class MalformedTokenError(ValueError):
    """The text is not a compact JWS with JSON header and claims."""


@dataclass(frozen=True, slots=True)
class Jws:
    """A parsed, not yet verified, compact JWS."""

    header: Mapping[str, Any]
    claims: Mapping[str, Any] = field(repr=False)
    signing_input: bytes = field(repr=False)
    signature: bytes = field(repr=False)

    @property
    def algorithm(self) -> str:
        """The ``alg`` header."""
        return str(self.header.get("alg", ""))

    def verify(self, key: rsa.RSAPublicKey) -> bool:
        """Whether the signature is a valid RS256 or PS256 signature of ``key``."""
        if self.algorithm not in ALGORITHMS:
            return False
        scheme: padding.AsymmetricPadding = (
            padding.PKCS1v15()
            if self.algorithm == "RS256"
            else padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH)
        )
        try:
            key.verify(self.signature, self.signing_input, scheme, hashes.SHA256())
        except InvalidSignature:
            return False
        return True


def parse(token: str) -> Jws:
    """Split and decode ``header.claims.signature``; :exc:`MalformedTokenError` on anything else."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise MalformedTokenError("a JWS has three dot-separated parts")
    try:
        header, claims = (json.loads(b64url_decode(part)) for part in parts[:2])
        signature = b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedTokenError(str(error)) from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise MalformedTokenError("the header and the claims must be JSON objects")
    return Jws(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def sign(claims: Mapping[str, Any], key: rsa.RSAPrivateKey, *, headers: Mapping[str, Any]) -> str:
    """A compact RS256 JWS of ``claims`` with ``headers`` added to ``{"alg": "RS256", "typ": "JWT"}``."""
    signing_input = f"{b64url_json({'alg': 'RS256', 'typ': 'JWT', **headers})}.{b64url_json(claims)}"
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def public_jwk(key: rsa.RSAPublicKey, kid: str) -> dict[str, str]:
    """The public key as an RSA JWK, as an issuer's JWKS document lists it."""
    numbers = key.public_numbers()
    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": _b64_int(numbers.n), "e": _b64_int(numbers.e)}


def key_of_jwk(jwk: Mapping[str, Any]) -> rsa.RSAPublicKey:
    """The RSA public key of a JWK (``ValueError`` for other key types)."""
    if jwk.get("kty") != "RSA":
        raise ValueError(f"only RSA keys are supported, got kty={jwk.get('kty')!r}")
    n, e = (int.from_bytes(b64url_decode(str(jwk[name])), "big") for name in ("n", "e"))
    return rsa.RSAPublicNumbers(e, n).public_key()


def _b64_int(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))
