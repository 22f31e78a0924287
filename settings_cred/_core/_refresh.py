"""When a cached token is served, refreshed in the background, or replaced: pure policy."""

from __future__ import annotations

import enum

from azure.core.credentials import AccessTokenInfo

from .._constants import DEFAULT_REFRESH_OFFSET, DEFAULT_TOKEN_REFRESH_RETRY_DELAY


class Freshness(enum.Enum):
    """What a cached token is good for right now."""

    FRESH = "fresh"
    """Serve it."""
    STALE = "stale"
    """Serve it and refresh it in the background."""
    EXPIRED = "expired"
    """Do not serve it: acquire a new one now."""


def refresh_point(token: AccessTokenInfo, acquired_at: float, offset: float = DEFAULT_REFRESH_OFFSET) -> float:
    """When to start refreshing: Entra's `refresh_on`, else `offset` before expiry.

    A token that lives less than twice the offset is refreshed at half its life, so a short-lived
    token is still served from cache instead of being refreshed on every call.
    """
    if token.refresh_on is not None:
        return float(token.refresh_on)
    lifetime = max(token.expires_on - acquired_at, 0.0)
    return token.expires_on - min(offset, lifetime / 2)


def freshness(token: AccessTokenInfo, refresh_at: float, now: float) -> Freshness:
    """Classify a cached token at time `now`."""
    if now >= token.expires_on:
        return Freshness.EXPIRED
    if now >= refresh_at:
        return Freshness.STALE
    return Freshness.FRESH


def next_retry(now: float, delay: float = DEFAULT_TOKEN_REFRESH_RETRY_DELAY) -> float:
    """When to try again after a failed background refresh."""
    return now + delay
