"""Readiness: can the credential serve a token right now? For health endpoints and start-up checks.

The report names where the token came from, when it expires and the last error code; it never
contains the token. The framework integrations expose it as a view, a blueprint and a route.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any, Literal

from azure.core.exceptions import ClientAuthenticationError

from ._credentials._shell import CoreCredential
from .aio._shell import AsyncCoreCredential

__all__ = ["Readiness", "check_readiness", "check_readiness_async"]

DEFAULT_SCOPE = "https://management.azure.com/.default"


@dataclass(frozen=True)
class Readiness:
    """The outcome of one readiness check (no secret, no token)."""

    ready: bool
    """Whether a token was served (``error`` then names the last failed background refresh, if any)."""
    source: Literal["cache", "entra", "none"]
    scopes: tuple[str, ...]
    expires_on: int | None
    expires_in_s: int | None
    error: str | None
    error_code: int | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for an HTTP response body."""
        data = asdict(self)
        data["scopes"] = list(self.scopes)
        data["status"] = "ready" if self.ready else "unavailable"
        return data

    @property
    def http_status(self) -> int:
        """200 when ready, 503 otherwise."""
        return 200 if self.ready else 503


def check_readiness(credential: CoreCredential, *scopes: str) -> Readiness:
    """Get a token (from cache when possible) and report how it went; any kind of settings_cred credential."""
    wanted = scopes or (DEFAULT_SCOPE,)
    core = credential._core  # the health check is part of the package
    cached = core.holds_usable(wanted)
    try:
        info = credential.get_token_info(*wanted)
    except ClientAuthenticationError as exc:
        return _failed(wanted, exc)
    return _ready(wanted, info.expires_on, cached, core.last_error)


async def check_readiness_async(credential: AsyncCoreCredential, *scopes: str) -> Readiness:
    """:func:`check_readiness` for the async credential."""
    wanted = scopes or (DEFAULT_SCOPE,)
    core = credential._core  # the health check is part of the package
    cached = core.holds_usable(wanted)
    try:
        info = await credential.get_token_info(*wanted)
    except ClientAuthenticationError as exc:
        return _failed(wanted, exc)
    return _ready(wanted, info.expires_on, cached, core.last_error)


def _ready(scopes: tuple[str, ...], expires_on: int, cached: bool, last_error: Exception | None) -> Readiness:
    """Ready; `error` and `error_code` then describe the last failed refresh, if any."""
    return Readiness(
        ready=True,
        source="cache" if cached else "entra",
        scopes=scopes,
        expires_on=expires_on,
        expires_in_s=int(expires_on - time.time()),
        error=type(last_error).__name__ if last_error else None,
        error_code=getattr(last_error, "error_code", None),
    )


def _failed(scopes: tuple[str, ...], exc: ClientAuthenticationError) -> Readiness:
    return Readiness(
        ready=False,
        source="none",
        scopes=scopes,
        expires_on=None,
        expires_in_s=None,
        error=type(exc).__name__,
        error_code=getattr(exc, "error_code", None),
    )
