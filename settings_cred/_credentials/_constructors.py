"""Each kind's constructor: azure-identity's signature, validated into a token core.

The sync class (``settings_cred.X``) and its async twin (``settings_cred.aio.X``) both inherit the same
constructor from here, so a keyword exists, is typed and is documented once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from typing_extensions import Unpack

from .._core._token_core import TokenCore
from .._notice import warn_once
from .._secret import Secret, SecretSource, as_secret_source
from .._store._options import TokenCachePersistenceOptions
from .._transport._options import PipelineOptions
from ._kinds import (
    certificate_material,
    certificate_secrets,
    client_core,
    managed_identity_core,
    password_core,
    secret_material,
    workload_identity_arguments,
)


class UsernamePasswordArguments:
    """``UsernamePasswordCredential(client_id, username, password, *, ...)``."""

    _core: TokenCore

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
        """A user signing in with a password (ROPC).

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


class ClientSecretArguments:
    """``ClientSecretCredential(tenant_id, client_id, client_secret, *, ...)``."""

    _core: TokenCore

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
        """An application signing in with a client secret.

        :param tenant_id: the application's tenant (GUID or verified domain).
        :param client_id: the application (client) ID.
        :param client_secret: the secret's value, or a :class:`SecretSource` that can rotate.
        :keyword authority: authority host (default ``AZURE_AUTHORITY_HOST`` or the public cloud).
        :keyword cache_persistence_options: persist and share tokens (one request per deployment).
        :keyword disable_instance_discovery: skip instance discovery and authority validation.
        :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
        :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
        """
        source = as_secret_source(client_secret)
        del client_secret  # only the masked source from here on, also in tracebacks' frame locals
        self._core = client_core(
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


class CertificateArguments:
    """``CertificateCredential(tenant_id, client_id, certificate_path=None, *, ...)``."""

    _core: TokenCore

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
        """An application signing in with a certificate (PEM or PKCS#12), re-read when its file changes.

        :param tenant_id: the application's tenant (GUID or verified domain).
        :param client_id: the application (client) ID.
        :param certificate_path: a PEM file (private key and certificate) or a PKCS#12 (.pfx) file.
        :keyword certificate_data: the certificate's bytes instead of a path.
        :keyword password: the private key's or the PKCS#12 file's password, or a :class:`SecretSource` that
            can rotate with the file.
        :keyword send_certificate_chain: send the certificate chain (``x5c``), for subject name / issuer auth.
        :keyword authority: authority host (default ``AZURE_AUTHORITY_HOST`` or the public cloud).
        :keyword cache_persistence_options: persist and share tokens (one request per deployment).
        :keyword disable_instance_discovery: skip instance discovery and authority validation.
        :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
        :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
        """
        data, secret = certificate_secrets(certificate_data, password)
        del certificate_data, password  # masked from here on: no frame of a failure below holds them
        material = certificate_material(certificate_path, data, secret, send_certificate_chain)
        self._core = client_core(
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


class WorkloadIdentityArguments:
    """``WorkloadIdentityCredential(*, tenant_id=None, client_id=None, token_file_path=None, ...)``."""

    _core: TokenCore

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
        """A federated token file (AKS workload identity), re-read whenever it changes.

        :keyword tenant_id: the application's tenant (default ``AZURE_TENANT_ID``).
        :keyword client_id: the application or user-assigned identity's client ID (default ``AZURE_CLIENT_ID``).
        :keyword token_file_path: the federated token's file (default ``AZURE_FEDERATED_TOKEN_FILE``).
        :keyword authority: authority host (default ``AZURE_AUTHORITY_HOST`` or the public cloud).
        :keyword cache_persistence_options: persist and share tokens (one request per deployment).
        :keyword disable_instance_discovery: skip instance discovery and authority validation.
        :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
        :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
        """
        tenant, client, material = workload_identity_arguments(tenant_id, client_id, token_file_path)
        self._core = client_core(
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


class ManagedIdentityArguments:
    """``ManagedIdentityCredential(*, client_id=None, identity_config=None, ...)``."""

    _core: TokenCore

    def __init__(
        self,
        *,
        client_id: str | None = None,
        identity_config: Mapping[str, str] | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        """The platform's managed identity: system-assigned by default, user-assigned by an id.

        :keyword client_id: a user-assigned identity's client ID.
        :keyword identity_config: ``{"object_id": ...}`` or ``{"resource_id": ...}`` for a user-assigned identity.
        :keyword cache_persistence_options: persist and share tokens (one request per deployment).
        :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
        """
        self._core = managed_identity_core(
            client_id=client_id,
            identity_config=identity_config,
            cache_persistence_options=cache_persistence_options,
            kwargs=dict(kwargs),
        )
