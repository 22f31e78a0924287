"""External token issuers for workload identity federation, with the emulator standing in for them.

The emulator mints Kubernetes-style service-account tokens for any issuer name (one RSA key per
issuer, kept for the life of the process), and trusts other issuers' keys given as a JWKS.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from collections.abc import Mapping
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import rsa

from . import _jws

DEFAULT_TOKEN_ISSUER: Final = "https://kubernetes.default.svc.cluster.local"  # noqa: S105 - a URL
"""The issuer of tokens the emulator mints unless told otherwise (a cluster's default issuer URL)."""
TOKEN_EXCHANGE_AUDIENCE: Final = "api://AzureADTokenExchange"  # noqa: S105 - an audience, not a secret
"""The audience Entra expects in federated tokens (and federated credentials list by default)."""
_SERVICE_ACCOUNT: Final = re.compile(r"system:serviceaccount:(?P<namespace>[^:]+):(?P<name>[^:]+)")


class Issuers:
    """Signing keys by issuer: the emulator's own, and trusted JWKS; callers hold the emulator's lock."""

    __slots__ = ("_trusted",)

    def __init__(self) -> None:
        self._trusted: dict[str, dict[str, rsa.RSAPublicKey]] = {}

    def mint(self, subject: str, *, issuer: str, audience: str, issued_at: float, lifetime: int) -> str:
        """A token signed by the emulator's key for ``issuer``, shaped like a projected service-account token."""
        key, kid = _signing_key(issuer)
        claims: dict[str, Any] = {
            "aud": [audience],
            "exp": int(issued_at) + lifetime,
            "iat": int(issued_at),
            "iss": issuer,
            "jti": str(uuid.uuid4()),
            "nbf": int(issued_at),
            "sub": subject,
        }
        account = _SERVICE_ACCOUNT.fullmatch(subject)
        if account:
            claims["kubernetes.io"] = {
                "namespace": account["namespace"],
                "serviceaccount": {"name": account["name"], "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, subject))},
            }
        return _jws.sign(claims, key, headers={"kid": kid})

    def trust(self, issuer: str, jwks: Mapping[str, Any]) -> None:
        """Accept tokens from ``issuer`` signed by a key of ``jwks`` (``{"keys": [<RSA JWK>, ...]}``)."""
        keys = {str(jwk.get("kid", "")): _jws.key_of_jwk(jwk) for jwk in jwks.get("keys", ())}
        if not keys:
            raise ValueError("the JWKS lists no keys")
        self._trusted.setdefault(issuer, {}).update(keys)

    def key(self, issuer: str, kid: str) -> rsa.RSAPublicKey | None:
        """The public key ``issuer`` signs with under ``kid``, if known."""
        trusted = self._trusted.get(issuer, {}).get(kid)
        if trusted is not None:
            return trusted
        own = _OWN_KEYS.get(issuer)
        return own[0].public_key() if own is not None and own[1] == kid else None

    def jwks(self, issuer: str) -> dict[str, Any]:
        """The JWKS document of the emulator's key for ``issuer`` (what its ``jwks_uri`` would serve)."""
        key, kid = _signing_key(issuer)
        return {"keys": [_jws.public_jwk(key.public_key(), kid)]}


_OWN_KEYS: dict[str, tuple[rsa.RSAPrivateKey, str]] = {}
_OWN_KEYS_LOCK = threading.Lock()


def _signing_key(issuer: str) -> tuple[rsa.RSAPrivateKey, str]:
    """The emulator's key and key id for ``issuer``, made on first use and kept for the life of the
    process (shared by every emulator, so tokens stay verifiable across ``reset()``)."""
    with _OWN_KEYS_LOCK:
        if issuer not in _OWN_KEYS:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            _OWN_KEYS[issuer] = key, secrets.token_hex(16)
        return _OWN_KEYS[issuer]
