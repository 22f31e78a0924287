"""The front cache's slots: a token in both azure-core shapes and when to refresh it, replaced whole."""

from __future__ import annotations

from typing import NamedTuple

from azure.core.credentials import AccessToken, AccessTokenInfo

from ._refresh import refresh_point


class CachedToken(NamedTuple):
    """A cached token in both azure-core shapes, and when to start refreshing it."""

    info: AccessTokenInfo
    token: AccessToken
    refresh_at: float


class Entry:
    """One cache key's slot; `cached` is replaced whole, so readers never see a half-updated token."""

    __slots__ = ("cached", "refreshing", "retry_at")

    def __init__(self, info: AccessTokenInfo, acquired_at: float) -> None:
        self.cached = cached_token(info, acquired_at)
        self.retry_at = 0.0
        self.refreshing = False

    def replace(self, info: AccessTokenInfo, acquired_at: float) -> None:
        self.cached = cached_token(info, acquired_at)
        self.retry_at = 0.0


def cached_token(info: AccessTokenInfo, acquired_at: float) -> CachedToken:
    """`info` with its AccessToken twin and refresh point."""
    return CachedToken(info, AccessToken(info.token, info.expires_on), refresh_point(info, acquired_at))
