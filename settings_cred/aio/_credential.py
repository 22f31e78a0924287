"""The asynchronous credentials: the sync kinds' cores behind ``AsyncTokenCredential`` (msal in a worker thread)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from typing_extensions import Unpack

from .._auth_record import AuthenticationRecord
from .._credentials._kinds import (
    certificate_material,
    certificate_secrets,
    client_core,
    managed_identity_core,
    password_core,
    secret_material,
    workload_identity_arguments,
)
from .._credentials._shells import authenticate_scopes, options_from_keywords, record_or_unavailable
from .._notice import warn_once
from .._secret import Secret, SecretSource, as_secret_source
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._shell import AsyncCoreCredential


class UsernamePasswordCredential(AsyncCoreCredential):
    """Async twin of :class:`settings_cred.UsernamePasswordCredential`; the same arguments."""

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
        self._start(
            password_core(
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
        )
        warn_once(stacklevel=2)

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


class ClientSecretCredential(AsyncCoreCredential):
    """Async twin of :class:`settings_cred.ClientSecretCredential`; the same arguments."""

    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        client_secret: str | Secret | SecretSource,
        *,
        authority: str | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        disable_instance_discovery: bool | None = None,
        additionally_allowed_tenants: Iterable[str] | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        source = as_secret_source(client_secret)
        del client_secret
        self._start(
            client_core(
                "client_secret",
                "ClientSecretCredential",
                tenant_id,
                client_id,
                secret_material(source),
                authority=authority,
                cache_persistence_options=cache_persistence_options,
                disable_instance_discovery=disable_instance_discovery,
                additionally_allowed_tenants=additionally_allowed_tenants,
                kwargs=dict(kwargs),
            )
        )


class CertificateCredential(AsyncCoreCredential):
    """Async twin of :class:`settings_cred.CertificateCredential`; the same arguments."""

    def __init__(
        self,
        tenant_id: str,
        client_id: str,
        certificate_path: str | os.PathLike[str] | None = None,
        *,
        certificate_data: bytes | None = None,
        password: str | bytes | Secret | SecretSource | None = None,
        send_certificate_chain: bool = False,
        authority: str | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        disable_instance_discovery: bool | None = None,
        additionally_allowed_tenants: Iterable[str] | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        data, secret = certificate_secrets(certificate_data, password)
        del certificate_data, password  # masked from here on: no frame of a failure below holds them
        material = certificate_material(certificate_path, data, secret, send_certificate_chain)
        self._start(
            client_core(
                "certificate",
                "CertificateCredential",
                tenant_id,
                client_id,
                material,
                authority=authority,
                cache_persistence_options=cache_persistence_options,
                disable_instance_discovery=disable_instance_discovery,
                additionally_allowed_tenants=additionally_allowed_tenants,
                kwargs=dict(kwargs),
            )
        )


class WorkloadIdentityCredential(AsyncCoreCredential):
    """Async twin of :class:`settings_cred.WorkloadIdentityCredential`; the same arguments."""

    def __init__(
        self,
        *,
        tenant_id: str | None = None,
        client_id: str | None = None,
        token_file_path: str | None = None,
        authority: str | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        disable_instance_discovery: bool | None = None,
        additionally_allowed_tenants: Iterable[str] | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        tenant, client, material = workload_identity_arguments(tenant_id, client_id, token_file_path)
        self._start(
            client_core(
                "workload_identity",
                "WorkloadIdentityCredential",
                tenant,
                client,
                material,
                authority=authority,
                cache_persistence_options=cache_persistence_options,
                disable_instance_discovery=disable_instance_discovery,
                additionally_allowed_tenants=additionally_allowed_tenants,
                kwargs=dict(kwargs),
            )
        )


class ManagedIdentityCredential(AsyncCoreCredential):
    """Async twin of :class:`settings_cred.ManagedIdentityCredential`; the same arguments."""

    def __init__(
        self,
        *,
        client_id: str | None = None,
        identity_config: Mapping[str, str] | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        self._start(
            managed_identity_core(
                client_id=client_id,
                identity_config=identity_config,
                cache_persistence_options=cache_persistence_options,
                kwargs=dict(kwargs),
            )
        )
