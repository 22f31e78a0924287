"""Compact JWTs signed with HMAC-SHA256: JWT-shaped like Entra's tokens, verifiable by the emulator only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

_HEADER = {"typ": "JWT", "alg": "HS256", "kid": "entra-emulator"}


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JWTs and Entra's ``client_info`` use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url` (raises ``ValueError`` on garbage)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_json(payload: Mapping[str, Any]) -> str:
    """Compact JSON, base64url-encoded."""
    return b64url(json.dumps(payload, separators=(",", ":")).encode())


def encode(claims: Mapping[str, Any], key: bytes) -> str:
    """``header.payload.signature``."""
    signing_input = f"{b64url_json(_HEADER)}.{b64url_json(claims)}"
    signature = hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def decode(token: str, key: bytes) -> dict[str, Any] | None:
    """The claims of a token signed with ``key``, or ``None`` when it is not one."""
    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(key, signing_input.encode("ascii", "replace"), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(b64url_decode(signature), expected):
            return None
        claims = json.loads(b64url_decode(signing_input.partition(".")[2]))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None
