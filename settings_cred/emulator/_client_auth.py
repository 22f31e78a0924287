"""Client authentication at the token endpoint: a client secret, a certificate-signed client assertion,
or a federated token from an external issuer, each refused with the AADSTS code Entra uses.

The order of the checks follows Entra: which app, which kind of credential (an assertion whose ``iss``
is the client id is the app's own; any other issuer makes it a federated token), then the key and
signature, then the claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from . import _jws
from ._apps import Application, AppRegistry, RegisteredCertificate
from ._errors import Refusal
from ._issuers import Issuers
from ._jwt import b64url_decode
from ._tokens import iso_time

ClientAuthKind = Literal["client_secret", "certificate", "federated"]
"""How a confidential client proved its identity."""
JWT_BEARER: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLOCK_SKEW: Final = 300
"""Seconds of clock difference Entra tolerates on an assertion's ``nbf`` and ``exp``."""


@dataclass(frozen=True, slots=True)
class ClientAuth:
    """An authenticated confidential client."""

    app: Application
    kind: ClientAuthKind


@dataclass(frozen=True, slots=True)
class Audience:
    """Where the request was sent, which a client assertion must name in ``aud``."""

    accepted: frozenset[str]
    """The token endpoint's URLs (and the tenant's issuer), as msal and other clients address them."""
    tenant_id: str | None
    """The tenant named by the path; ``None`` for ``organizations`` and ``common``."""


def authenticate(
    form: Mapping[str, str], apps: AppRegistry, issuers: Issuers, audience: Audience, now: float
) -> ClientAuth | None:
    """The confidential client behind the request's credential; ``None`` when it sends none."""
    secret, assertion = form.get("client_secret", ""), form.get("client_assertion", "")
    if not secret and not assertion:
        return None
    client_id = form.get("client_id", "")
    app = apps.get(client_id)
    if app is None or (audience.tenant_id is not None and not app.known_in(audience.tenant_id)):
        raise Refusal(700016)
    if not app.has_credentials and app.allow_public_client_flows:
        raise Refusal(700025)
    if secret:
        return ClientAuth(app, _check_secret(app, secret, now))
    if form.get("client_assertion_type") != JWT_BEARER:
        raise Refusal(900144 if not form.get("client_assertion_type") else 9002313, parameter="client_assertion_type")
    try:
        token = _jws.parse(assertion)
    except _jws.MalformedTokenError:
        raise Refusal(50027) from None
    if token.claims.get("iss") != app.client_id:
        return ClientAuth(app, _check_federated(app, token, issuers, now))
    return ClientAuth(app, _check_certificate(app, token, audience, now))


def _check_secret(app: Application, secret: str, now: float) -> ClientAuthKind:
    match = next((s for s in app.secrets.values() if s.matches(secret)), None)
    if match is None:
        raise Refusal(7000215)
    if match.expires_on is not None and match.expires_on <= now:
        raise Refusal(7000222)
    return "client_secret"


def _check_certificate(app: Application, token: _jws.Jws, audience: Audience, now: float) -> ClientAuthKind:
    if token.claims.get("sub") != app.client_id:
        raise Refusal(700021)
    registered, thumbprint = _registered_key(app, token.header)
    if registered is None:
        raise Refusal(700027, reason="The key was not found.", thumbprint=thumbprint)
    if not registered.not_before <= now <= registered.not_after:
        raise Refusal(700027, reason="The key used is expired.", thumbprint=thumbprint)
    if not token.verify(registered.public_key):
        reason = "The provided signature value did not match the expected signature value."
        raise Refusal(700027, reason=reason, thumbprint=thumbprint)
    if token.claims.get("aud") not in audience.accepted:
        raise Refusal(700023)
    _check_lifetime(token.claims, now)
    return "certificate"


def _check_federated(app: Application, token: _jws.Jws, issuers: Issuers, now: float) -> ClientAuthKind:
    issuer, subject = str(token.claims.get("iss", "")), str(token.claims.get("sub", ""))
    audiences = _audiences(token.claims)
    if not app.federated:
        raise Refusal(70021, issuer=issuer, subject=subject, audience=", ".join(audiences))
    candidates = [c for c in app.federated if c.issuer == issuer]
    if not candidates:
        raise Refusal(700211, issuer=issuer)
    candidates = [c for c in candidates if c.subject == subject]
    if not candidates:
        raise Refusal(700213, subject=subject)
    if not any(set(c.audiences) & set(audiences) for c in candidates):
        raise Refusal(700212, audience=", ".join(audiences))
    kid = str(token.header.get("kid", ""))
    key = issuers.key(issuer, kid)
    if key is None:
        raise Refusal(7000272, kid=kid or "unknown", issuer=issuer)
    if not token.verify(key):
        reason = "The provided signature value did not match the expected signature value."
        raise Refusal(700027, reason=reason, thumbprint=kid)
    _check_lifetime(token.claims, now)
    return "federated"


def _registered_key(app: Application, header: Mapping[str, Any]) -> tuple[RegisteredCertificate | None, str]:
    """The registered certificate the ``x5t#S256`` or ``x5t`` header names, and that thumbprint in hex."""
    for name, attribute in (("x5t#S256", "sha256"), ("x5t", "sha1")):
        value = header.get(name)
        if not isinstance(value, str):
            continue
        try:
            digest = b64url_decode(value)
        except ValueError:
            return None, value
        found = next((c for c in app.certificates.values() if getattr(c, attribute) == digest), None)
        return found, digest.hex().upper()
    return None, "unknown"


def _check_lifetime(claims: Mapping[str, Any], now: float) -> None:
    expires, valid_from = claims.get("exp"), claims.get("nbf", 0)
    if not isinstance(expires, (int, float)) or not isinstance(valid_from, (int, float)):
        raise Refusal(50027)
    if not valid_from - CLOCK_SKEW <= now < expires + CLOCK_SKEW:
        raise Refusal(700024, now=iso_time(now), valid_from=iso_time(valid_from), expires=iso_time(expires))


def _audiences(claims: Mapping[str, Any]) -> list[str]:
    value = claims.get("aud", [])
    return [value] if isinstance(value, str) else [str(item) for item in value] if isinstance(value, list) else []
