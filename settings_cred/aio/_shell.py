"""What every asynchronous credential does with its token core: azure-core's ``AsyncTokenCredential`` protocols.

Cached tokens are returned without leaving the event loop; a sign-in or refresh runs in a worker thread,
and concurrent callers for the same token share one request (an asyncio single flight).
"""

from __future__ import annotations

import asyncio
import functools
from types import TracebackType
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from typing_extensions import Self

from .._core._front_cache import CachedToken
from .._core._token_core import TokenCore
from .._credentials._shells import describe, options_from_keywords
from ._single_flight import SingleFlight


class AsyncCoreCredential:
    """An async credential answering from a token core."""

    _core: TokenCore

    @functools.cached_property
    def _flights(self) -> SingleFlight[CachedToken]:
        """Concurrent awaiters of one token share one request (created on first use)."""
        return SingleFlight()

    async def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        """Request an access token for `scopes` (azure-core's ``AsyncTokenCredential`` protocol)."""
        if claims is None and tenant_id is None:
            hit = self._core.fresh(scopes, enable_cae)
            if hit is not None:
                return hit.token
        options = options_from_keywords(claims=claims, tenant_id=tenant_id, enable_cae=enable_cae)
        return (await self._token(scopes, options, "get_token")).token

    async def get_token_info(self, *scopes: str, options: TokenRequestOptions | None = None) -> AccessTokenInfo:
        """Request an access token for `scopes` (azure-core's ``AsyncSupportsTokenInfo`` protocol)."""
        hit = self._core.fresh_for(scopes, options)
        if hit is not None:
            return hit.info
        return (await self._token(scopes, options, "get_token_info")).info

    async def _token(self, scopes: tuple[str, ...], options: TokenRequestOptions | None, method: str) -> CachedToken:
        request = self._core.prepare(scopes, options, method)
        cached = self._core.cached(request)
        if cached is None:
            cached = await self._flights.run(request, lambda: asyncio.to_thread(self._core.acquire, request))
        self._core.remember(scopes, request)
        return cached

    async def close(self) -> None:
        """Close the HTTP transport."""
        self._core.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        core = getattr(self, "_core", None)  # a constructor that failed leaves none
        return describe(type(self), core)
