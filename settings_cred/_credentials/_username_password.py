"""The synchronous UsernamePasswordCredential (the deprecated ROPC flow)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._auth_record import AuthenticationRecord
from ._constructors import UsernamePasswordArguments
from ._shell import CoreCredential
from ._shells import authenticate_scopes, options_from_keywords, record_or_unavailable


class UsernamePasswordCredential(UsernamePasswordArguments, CoreCredential):
    """Authenticates a user with a username and password (the deprecated ROPC flow).

    A drop-in for ``azure.identity.UsernamePasswordCredential``: same arguments, methods and
    exceptions. ROPC cannot do multi-factor authentication and Microsoft has deprecated it for
    public clients; see docs/ropc-deprecation.md for what to move to, by configuration.
    """

    def authenticate(
        self, *, scopes: Iterable[str] | None = None, claims: str | None = None, **kwargs: Any
    ) -> AuthenticationRecord:
        """Sign in (or reuse a cached sign-in) and return the account's :class:`AuthenticationRecord`."""
        wanted = authenticate_scopes(self._core.authority, scopes)
        options = options_from_keywords(
            claims=claims, tenant_id=kwargs.get("tenant_id"), enable_cae=kwargs.get("enable_cae", False)
        )
        self._core.get_token(wanted, options, "authenticate")
        return record_or_unavailable(self._core)
