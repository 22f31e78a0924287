"""What every synchronous credential does with its token core: azure-core's ``TokenCredential`` protocols."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from typing_extensions import Self

from .._core._token_core import TokenCore
from ._shells import describe, options_from_keywords


class CoreCredential:
    """A credential answering from a token core: ``get_token``, ``get_token_info``, ``close``, context manager."""

    _core: TokenCore

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        """Request an access token for `scopes` (azure-core's ``TokenCredential`` protocol)."""
        if claims is None and tenant_id is None:
            hit = self._core.fresh(scopes, enable_cae)
            if hit is not None:
                return hit.token
        options = options_from_keywords(claims=claims, tenant_id=tenant_id, enable_cae=enable_cae)
        return self._core.get_token(scopes, options, "get_token").token

    def get_token_info(self, *scopes: str, options: TokenRequestOptions | None = None) -> AccessTokenInfo:
        """Request an access token for `scopes` (azure-core's ``SupportsTokenInfo`` protocol)."""
        hit = self._core.fresh_for(scopes, options)
        if hit is not None:
            return hit.info
        return self._core.get_token(scopes, options, "get_token_info").info

    def close(self) -> None:
        """Close the HTTP transport."""
        self._core.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        core = getattr(self, "_core", None)  # a constructor that failed leaves none
        return describe(type(self), core)
