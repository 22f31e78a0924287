"""The synchronous UsernamePasswordCredential (the deprecated ROPC flow)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typing_extensions import Unpack

from .._auth_record import AuthenticationRecord
from .._notice import warn_once
from .._secret import Secret, SecretSource, as_secret_source
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._kinds import password_core
from ._shell import CoreCredential
from ._shells import authenticate_scopes, options_from_keywords, record_or_unavailable


class UsernamePasswordCredential(CoreCredential):
    """Authenticates a user with a username and password (the deprecated ROPC flow).

    A drop-in for ``azure.identity.UsernamePasswordCredential``: same arguments, methods and
    exceptions. ROPC cannot do multi-factor authentication and Microsoft has deprecated it for
    public clients; see docs/ropc-deprecation.md for what to move to, by configuration.

    :param client_id: the application (client) ID of a registration with public client flows allowed.
    :param username: the user's UPN, usually an email address.
    :param password: the password, or a :class:`SecretSource` that can rotate.
    :keyword authority: authority host, e.g. ``AzureAuthorityHosts.AZURE_PUBLIC_CLOUD`` (default, or
        ``AZURE_AUTHORITY_HOST``).
    :keyword tenant_id: tenant GUID or domain; ``"organizations"`` when omitted.
    :keyword cache_persistence_options: persist and share the token cache; in memory when omitted.
    :keyword disable_instance_discovery: skip instance discovery and authority validation.
    :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
    :keyword enable_support_logging: let msal log personal data for troubleshooting.
    :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`): transport, policies,
        retry settings, proxies, connection_verify, timeouts, user_agent, logging_enable, headers.
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
        self._core = password_core(
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
        warn_once(stacklevel=2)

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
