"""Token issuance: signed access and ID tokens, refresh tokens remembered server-side, and the fields every
token answer starts with."""

from __future__ import annotations

import datetime
import hashlib
import itertools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import _jwt
from ._directory import EmulatedUser

REFRESH_TOKEN_PREFIX: Final = "1.AEMU."  # noqa: S105 - a format marker, not a secret
"""Refresh tokens start like Entra's (``1.A…``); one without the prefix is malformed, not expired."""


@dataclass(frozen=True, slots=True)
class TokenSettings:
    """The run-time knobs that shape a token answer."""

    access_token_lifetime: int
    refresh_in: int | None

    def answer(self, access_token: str, *, scope: str | None = None) -> dict[str, Any]:
        """What every token answer starts with: ``token_type``, ``scope`` (when given), ``expires_in``,
        ``ext_expires_in``, ``refresh_in`` (when set) and ``access_token``; the caller adds the rest."""
        body: dict[str, Any] = {"token_type": "Bearer"}
        if scope is not None:
            body["scope"] = scope
        body["expires_in"] = self.access_token_lifetime
        body["ext_expires_in"] = self.access_token_lifetime
        if self.refresh_in is not None:
            body["refresh_in"] = self.refresh_in
        body["access_token"] = access_token
        return body


class InvalidTokenError(Exception):
    """An access token a resource must refuse; the message says why."""


@dataclass(frozen=True, slots=True)
class RefreshGrant:
    """What a refresh token stands for."""

    username: str
    tenant_id: str
    client_id: str
    scopes: tuple[str, ...]
    issued_at: float
    serial: int


@dataclass(frozen=True, slots=True)
class Revoked:
    """A refresh token issued before its user's TokensValidFrom moment."""

    grant: RefreshGrant
    valid_from: float


@dataclass(frozen=True, slots=True)
class Issue:
    """Everything one successful token request is about."""

    user: EmulatedUser
    tenant_id: str
    client_id: str
    scopes: tuple[str, ...]
    """The requested scopes without ``openid``, ``profile`` and ``offline_access``."""
    resource: str
    issuer_host: str
    now: float
    lifetime: int
    cp1: bool


@dataclass(frozen=True, slots=True)
class AppIssue:
    """Everything an app-only token (client credentials, managed identity) is about."""

    client_id: str
    object_id: str
    tenant_id: str
    resource: str
    roles: tuple[str, ...]
    appidacr: str
    """``"1"``: a client secret; ``"2"``: a certificate or a federated token; ``"0"``: managed identity."""
    now: float
    lifetime: int
    cp1: bool = False
    extra: tuple[tuple[str, str], ...] = ()
    """More string claims, e.g. ``xms_mirid`` for a managed identity."""


class TokenService:
    """Signs tokens and keeps refresh grants; callers hold the emulator's lock."""

    __slots__ = ("_grants", "_key", "_serial", "_valid_from")

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._grants: dict[str, RefreshGrant] = {}
        self._serial = itertools.count()
        self._valid_from: dict[str | None, tuple[int, float]] = {}

    def access_token(self, issue: Issue) -> str:
        """A v1.0 access token for ``issue.resource``, as Azure resources such as Key Vault receive."""
        user, tenant_id = issue.user, issue.tenant_id
        own: dict[str, Any] = {
            "acr": "1",
            "amr": ["pwd"],
            "appid": issue.client_id,
            "appidacr": "0",
            "idtyp": "user",
            "name": user.display_name,
            "oid": user.oid_in(tenant_id),
            "scp": " ".join(_permission(scope) for scope in issue.scopes) or "user_impersonation",
            "sub": _pairwise_subject(user.oid_in(tenant_id), issue.resource),
            "tid": tenant_id,
            "unique_name": user.username,
            "upn": user.username,
        }
        later = {"idp": _v1_issuer(user.home_tenant_id)} if tenant_id != user.home_tenant_id else {}
        return self._v1_token(issue, own, later)

    def app_access_token(self, issue: AppIssue) -> str:
        """A v1.0 app-only access token (no user): ``idtyp`` ``app``, the app's roles on the resource."""
        own: dict[str, Any] = {
            "appid": issue.client_id,
            "appidacr": issue.appidacr,
            "idp": _v1_issuer(issue.tenant_id),
            "idtyp": "app",
            "oid": issue.object_id,
            "sub": issue.object_id,
            "tid": issue.tenant_id,
        }
        later: dict[str, Any] = dict(issue.extra)
        if issue.roles:
            later["roles"] = list(issue.roles)
        return self._v1_token(issue, own, later)

    def id_token(self, issue: Issue) -> str:
        """A v2.0 ID token for the app."""
        user, tenant_id = issue.user, issue.tenant_id
        oid = user.oid_in(tenant_id)
        claims = {
            "aud": issue.client_id,
            "iss": f"https://{issue.issuer_host}/{tenant_id}/v2.0",
            "iat": int(issue.now),
            "nbf": int(issue.now),
            "exp": int(issue.now) + 3600,
            "name": user.display_name,
            "oid": oid,
            "preferred_username": user.username,
            "sub": _pairwise_subject(oid, issue.client_id),
            "tid": tenant_id,
            "uti": _jwt.b64url(secrets.token_bytes(16)),
            "ver": "2.0",
        }
        return _jwt.encode(claims, self._key)

    def verify(self, token: str, *, audience: str, now: float) -> dict[str, Any]:
        """The claims of a current access token for ``audience`` signed here; else :exc:`InvalidTokenError`."""
        claims = _jwt.decode(token, self._key)
        if claims is None or claims.get("ver") != "1.0":
            raise InvalidTokenError("Invalid token: it was not issued by this emulator (or before its last reset).")
        if claims.get("aud") != audience:
            raise InvalidTokenError(f"AKV10022: Invalid audience. Expected {audience}, found: {claims.get('aud')}.")
        exp, nbf = claims.get("exp"), claims.get("nbf")
        if not isinstance(exp, int) or not isinstance(nbf, int) or not nbf <= now < exp:
            raise InvalidTokenError("Invalid token: the token is expired or not yet valid.")
        return claims

    def refresh_token(self, issue: Issue, scopes: tuple[str, ...]) -> str:
        """A new opaque refresh token, remembered with its user, tenant, client and requested scopes."""
        token = REFRESH_TOKEN_PREFIX + secrets.token_urlsafe(48)
        self._grants[token] = RefreshGrant(
            issue.user.username, issue.tenant_id, issue.client_id, scopes, issue.now, next(self._serial)
        )
        return token

    def redeem(self, token: str) -> RefreshGrant | Revoked | None:
        """The grant behind ``token``; :class:`Revoked` if revoked since, ``None`` if unknown."""
        grant = self._grants.get(token)
        if grant is None:
            return None
        for key in (None, grant.username.lower()):
            serial, moment = self._valid_from.get(key, (-1, 0.0))
            if grant.serial < serial:
                return Revoked(grant, moment)
        return grant

    def issued_refresh_tokens(self) -> list[str]:
        """Every refresh token issued (since the last reset), oldest first."""
        return list(self._grants)

    def revoke(self, username: str | None, now: float) -> None:
        """Invalidate refresh tokens issued so far, for one user or for everyone (TokensValidFrom)."""
        self._valid_from[username.lower() if username else None] = (next(self._serial), now)

    def _v1_token(self, issue: Issue | AppIssue, own: Mapping[str, Any], later: Mapping[str, Any]) -> str:
        """A signed v1.0 access token: the claims every one carries (``aud``, ``iss``, ``iat``, ``nbf``,
        ``exp``, then ``own``, then ``uti``, ``ver``, then ``later``, and ``xms_cc`` for a CP1 client)."""
        claims: dict[str, Any] = {
            "aud": issue.resource,
            "iss": _v1_issuer(issue.tenant_id),
            "iat": int(issue.now),
            "nbf": int(issue.now),
            "exp": int(issue.now) + issue.lifetime,
            **own,
            "uti": _jwt.b64url(secrets.token_bytes(16)),
            "ver": "1.0",
            **later,
        }
        if issue.cp1:
            claims["xms_cc"] = ["CP1"]
        return _jwt.encode(claims, self._key)


def client_info(user: EmulatedUser) -> str:
    """Entra's ``client_info``: base64url JSON of the home object id and home tenant."""
    return _jwt.b64url_json({"uid": user.oid, "utid": user.home_tenant_id})


def iso_time(moment: float) -> str:
    """A timestamp as Entra writes it inside messages (``2024-05-01T12:34:56.0000000Z``)."""
    value = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond:06d}0Z"


def _v1_issuer(tenant_id: str) -> str:
    return f"https://sts.windows.net/{tenant_id}/"


def _permission(scope: str) -> str:
    name = scope.rsplit("/", 1)[-1]
    return "user_impersonation" if name == ".default" else name


def _pairwise_subject(oid: str, audience: str) -> str:
    digest = hashlib.sha256(f"{oid}|{audience}".encode()).digest()
    return _jwt.b64url(digest)[:43]
