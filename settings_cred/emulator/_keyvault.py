"""Key Vault secrets: a versioned store and ``GET /secrets/<name>[/<version>]`` behind a bearer challenge."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final

from ._hosts import AUTHORITY_HOST, VAULT_RESOURCE
from ._http import Request, Response, json_response
from ._tokens import InvalidTokenError, TokenService

_VAULT_NAME: Final = re.compile(r"^[a-z][a-z0-9-]{1,22}[a-z0-9]$", re.IGNORECASE)
_SECRET_NAME: Final = re.compile(r"^[0-9a-z-]{1,127}$", re.IGNORECASE)
_VERSION: Final = re.compile(r"^[0-9a-f]{32}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SecretVersion:
    """One stored version of a secret."""

    name: str
    version: str
    value: str
    content_type: str | None
    created: int


class Vaults:
    """Secrets of every emulated vault; callers hold the emulator's lock."""

    __slots__ = ("_secrets",)

    def __init__(self) -> None:
        self._secrets: dict[tuple[str, str], list[SecretVersion]] = {}

    def add(
        self, vault: str, name: str, value: str, *, version: str | None, content_type: str | None, now: float
    ) -> str:
        """Store a new version (the newest is served when no version is asked for); returns its id."""
        if not _VAULT_NAME.match(vault):
            raise ValueError(f"invalid vault name {vault!r}: 3-24 letters, digits and hyphens")
        if not _SECRET_NAME.match(name):
            raise ValueError(f"invalid secret name {name!r}: 1-127 letters, digits and hyphens")
        version = (version or secrets.token_hex(16)).lower()
        if not _VERSION.match(version):
            raise ValueError(f"invalid secret version {version!r}: 32 hexadecimal digits")
        versions = self._secrets.setdefault((vault.lower(), name.lower()), [])
        if any(v.version == version for v in versions):
            raise ValueError(f"secret {name!r} already has a version {version}")
        versions.append(SecretVersion(name, version, value, content_type, int(now)))
        return version

    def get(self, vault: str, name: str, version: str) -> SecretVersion | None:
        """A given version of a secret, or its newest when ``version`` is empty."""
        versions = self._secrets.get((vault.lower(), name.lower()), [])
        if not version:
            return versions[-1] if versions else None
        return next((v for v in versions if v.version == version.lower()), None)


def serve_keyvault(
    request: Request, vaults: Vaults, tokens: TokenService, *, challenge_tenant: str, now: float
) -> Response:
    """Answer a Key Vault request: a 401 challenge without a valid token, else the secret or an error."""
    refusal = _authenticate(request, tokens, challenge_tenant, now)
    if refusal is not None:
        return refusal
    parts = request.path.strip("/").split("/")
    if "api-version" not in request.query:
        return kv_error(400, "BadParameter", "The 'api-version' query parameter is required.")
    if len(parts) not in (2, 3) or parts[0] != "secrets":
        return kv_error(404, "NotFound", f"The requested path {request.path} was not found in this vault.")
    if request.method != "GET":
        return kv_error(405, "MethodNotAllowed", f"The emulator serves GET on secrets, not {request.method}.")
    name, version = parts[1], parts[2] if len(parts) == 3 else ""
    secret = vaults.get(request.host.partition(".")[0], name, version)
    if secret is None:
        message = (
            f"A secret with (name/id) {name}{'/' + version if version else ''} was not found in this key vault. "
            "If you recently deleted this secret you may be able to recover it using the correct recovery "
            "command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"
        )
        return kv_error(404, "SecretNotFound", message)
    return json_response(200, _secret_bundle(secret, request.host))


def _authenticate(request: Request, tokens: TokenService, challenge_tenant: str, now: float) -> Response | None:
    """``None`` for a valid bearer token, else the 401 with Key Vault's ``WWW-Authenticate`` challenge."""
    challenge = (
        "WWW-Authenticate",
        f'Bearer authorization="https://{AUTHORITY_HOST}/{challenge_tenant}", resource="{VAULT_RESOURCE}"',
    )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return kv_error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", challenge)
    try:
        tokens.verify(token.strip(), audience=VAULT_RESOURCE, now=now)
    except InvalidTokenError as rejected:
        return kv_error(401, "Unauthorized", str(rejected), challenge)
    return None


def _secret_bundle(secret: SecretVersion, host: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "value": secret.value,
        "id": f"https://{host}/secrets/{secret.name}/{secret.version}",
        "attributes": {
            "enabled": True,
            "created": secret.created,
            "updated": secret.created,
            "recoveryLevel": "Recoverable+Purgeable",
            "recoverableDays": 90,
        },
        "tags": {},
    }
    if secret.content_type is not None:
        body["contentType"] = secret.content_type
    return body


def kv_error(status: int, code: str, message: str, *headers: tuple[str, str]) -> Response:
    """Key Vault's error shape: ``{"error": {"code": ..., "message": ...}}``."""
    return json_response(status, {"error": {"code": code, "message": message}}, *headers)


def kv_status_error(status: int) -> Response:
    """A Key Vault error answer for a bare HTTP status (fault injection)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return kv_error(status, phrase.replace(" ", ""), f"The emulator was told to answer {status} {phrase}.")
