"""Plain helpers for the emulator's tests: token requests, client assertions and JWT decoding."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from settings_cred.emulator import DEFAULT_TENANT_ID, ClientCertificate

CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
USERNAME = "alice@contoso.onmicrosoft.com"
PASSWORD = "Emulator-Canary-Pa55-3d9f"
VAULT_SCOPE = "https://vault.azure.net/.default"
MSAL_SCOPES = f"{VAULT_SCOPE} offline_access openid profile"
"""The scope string msal sends: the requested scope plus the three it always adds, sorted."""
CP1_CLAIMS = json.dumps({"access_token": {"xms_cc": {"values": ["CP1"]}}})
"""The ``claims`` parameter msal sends for the CAE client capability."""
AUTHORITY = "https://login.microsoftonline.com"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def token_url(tenant: str = "organizations") -> str:
    """The token endpoint of ``tenant`` on the public cloud's authority."""
    return f"{AUTHORITY}/{tenant}/oauth2/v2.0/token"


def password_grant(
    http: requests.Session,
    *,
    tenant: str = "organizations",
    username: str = USERNAME,
    password: str = PASSWORD,
    client_id: str = CLIENT_ID,
    scope: str = MSAL_SCOPES,
    **extra: str,
) -> requests.Response:
    """POST a password grant the way msal does."""
    form = {
        "client_id": client_id,
        "grant_type": "password",
        "username": username,
        "password": password,
        "scope": scope,
        "client_info": "1",
        **extra,
    }
    return http.post(token_url(tenant), data=form)


def refresh_grant(
    http: requests.Session, refresh_token: str, *, tenant: str = "organizations", client_id: str = CLIENT_ID
) -> requests.Response:
    """POST a refresh-token grant the way msal does."""
    form = {
        "client_id": client_id,
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "scope": MSAL_SCOPES,
        "client_info": "1",
    }
    return http.post(token_url(tenant), data=form)


def claims(jwt: str) -> dict[str, Any]:
    """The (unverified) payload of a JWT."""
    return decode_part(jwt.split(".")[1])


def decode_part(part: str) -> dict[str, Any]:
    """Base64url JSON without padding, as in JWTs and ``client_info``."""
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


APP_ID = "7e57c11e-0000-4000-8000-00000000c0de"
"""A confidential client's id."""
APP_SECRET = "Emulator-Canary-Client-Secret-9f2e"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def client_credentials(
    http: requests.Session,
    *,
    tenant: str = DEFAULT_TENANT_ID,
    client_id: str = APP_ID,
    scope: str = VAULT_SCOPE,
    **credential: str,
) -> requests.Response:
    """POST a client-credentials grant the way msal's ``acquire_token_for_client`` does."""
    form = {"client_id": client_id, "grant_type": "client_credentials", "scope": scope, **credential}
    return http.post(token_url(tenant), data=form)


def with_assertion(assertion: str) -> dict[str, str]:
    """The form fields carrying a JWT client assertion."""
    return {"client_assertion": assertion, "client_assertion_type": JWT_BEARER}


def signed_assertion(
    certificate: ClientCertificate,
    *,
    claims: dict[str, Any] | None = None,
    header: dict[str, Any] | None = None,
    algorithm: str = "RS256",
) -> str:
    """A client assertion for APP_ID signed with ``certificate``'s key; ``claims``/``header`` override."""
    now = int(time.time())
    body = {
        "aud": token_url(DEFAULT_TENANT_ID),
        "iss": APP_ID,
        "sub": APP_ID,
        "exp": now + 600,
        "nbf": now,
        "iat": now,
        "jti": str(uuid.uuid4()),
        **(claims or {}),
    }
    thumbprint = bytes.fromhex(certificate.thumbprint)
    head = {"alg": algorithm, "typ": "JWT", "x5t": _b64url(thumbprint), **(header or {})}
    signing_input = f"{_b64url(json.dumps(head).encode())}.{_b64url(json.dumps(body).encode())}"
    key = serialization.load_pem_private_key(certificate.private_key_pem(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    scheme = (
        padding.PKCS1v15()
        if algorithm == "RS256"
        else padding.PSS(padding.MGF1(hashes.SHA256()), padding.PSS.DIGEST_LENGTH)
    )
    signature = key.sign(signing_input.encode(), scheme, hashes.SHA256())
    return f"{signing_input}.{_b64url(signature)}"


def error_of(response: requests.Response) -> tuple[int, str, list[int]]:
    """Status, OAuth ``error`` and ``error_codes`` of an Entra error answer."""
    body = response.json()
    return response.status_code, body["error"], body["error_codes"]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
