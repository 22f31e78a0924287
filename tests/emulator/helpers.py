"""Plain helpers for the emulator's tests: token requests and JWT decoding."""

from __future__ import annotations

import base64
import json
from typing import Any

import requests

CLIENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
USERNAME = "alice@contoso.onmicrosoft.com"
PASSWORD = "Emulator-Canary-Pa55-3d9f"
VAULT_SCOPE = "https://vault.azure.net/.default"
MSAL_SCOPES = f"{VAULT_SCOPE} offline_access openid profile"
"""The scope string msal sends: the requested scope plus the three it always adds, sorted."""
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
