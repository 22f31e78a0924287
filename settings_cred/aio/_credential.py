"""The asynchronous UsernamePasswordCredential: the same core, msal in a worker thread."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from typing_extensions import Self, Unpack

from .._auth_record import AuthenticationRecord
from .._core._token_core import CachedToken
from .._credentials._construction import build_core
from .._credentials._shells import authenticate_scopes, describe, options_from_keywords, record_or_unavailable
from .._secret import Secret, SecretSource, as_secret_source
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._single_flight import SingleFlight


class UsernamePasswordCredential:
    """Async twin of :class:`settings_cred.UsernamePasswordCredential` (``AsyncTokenCredential``).

    Cached tokens are returned without leaving the event loop; a sign-in or refresh runs msal in a
    worker thread, and concurrent callers for the same token share one request. Takes the same
    arguments as the sync credential.
    """

    def __init__(
        self,
        client_id: str,
        username: str,
        password: str | Secret | SecretSource,
        *,
        authority: str | None = None,
        tenant_id: str | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        disable_instance_discovery: bool | None = None,
        additionally_allowed_tenants: Iterable[str] | None = None,
        enable_support_logging: bool | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        source = as_secret_source(password)
        del password  # from here on only the masked source exists, also in tracebacks' frame locals
        self._core = build_core(
            client_id,
            username,
            source,
            authority=authority,
            tenant_id=tenant_id,
            cache_persistence_options=cache_persistence_options,
            disable_instance_discovery=disable_instance_discovery,
            additionally_allowed_tenants=additionally_allowed_tenants,
            enable_support_logging=enable_support_logging,
            kwargs=dict(kwargs),
        )
        self._flights: SingleFlight[CachedToken] = SingleFlight()

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

    async def authenticate(
        self, *, scopes: Iterable[str] | None = None, claims: str | None = None, **kwargs: Any
    ) -> AuthenticationRecord:
        """Sign in (or reuse a cached sign-in) and return the account's :class:`AuthenticationRecord`."""
        wanted = authenticate_scopes(self._core.authority, scopes)
        options = options_from_keywords(
            claims=claims, tenant_id=kwargs.get("tenant_id"), enable_cae=kwargs.get("enable_cae", False)
        )
        await self._token(wanted, options, "authenticate")
        return record_or_unavailable(self._core)

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
        return describe(type(self), self._core)
