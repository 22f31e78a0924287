"""The asynchronous credentials: each kind's constructor and core behind ``AsyncTokenCredential``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._auth_record import AuthenticationRecord
from .._credentials._constructors import (
    CertificateArguments,
    ClientSecretArguments,
    ManagedIdentityArguments,
    UsernamePasswordArguments,
    WorkloadIdentityArguments,
)
from .._credentials._shells import authenticate_scopes, options_from_keywords, record_or_unavailable
from ._shell import AsyncCoreCredential


class UsernamePasswordCredential(UsernamePasswordArguments, AsyncCoreCredential):
    """Async twin of :class:`settings_cred.UsernamePasswordCredential`; the same arguments."""

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


class ClientSecretCredential(ClientSecretArguments, AsyncCoreCredential):
    """Async twin of :class:`settings_cred.ClientSecretCredential`; the same arguments."""


class CertificateCredential(CertificateArguments, AsyncCoreCredential):
    """Async twin of :class:`settings_cred.CertificateCredential`; the same arguments."""


class WorkloadIdentityCredential(WorkloadIdentityArguments, AsyncCoreCredential):
    """Async twin of :class:`settings_cred.WorkloadIdentityCredential`; the same arguments."""


class ManagedIdentityCredential(ManagedIdentityArguments, AsyncCoreCredential):
    """Async twin of :class:`settings_cred.ManagedIdentityCredential`; the same arguments."""
