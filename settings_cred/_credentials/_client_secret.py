"""The synchronous ClientSecretCredential: an application signing in with a client secret."""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import Unpack

from .._secret import Secret, SecretSource, as_secret_source
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._kinds import client_core, secret_material
from ._shell import CoreCredential


class ClientSecretCredential(CoreCredential):
    """Authenticates an application with a client secret; a drop-in for azure-identity's.

    :param tenant_id: the application's tenant (GUID or verified domain).
    :param client_id: the application (client) ID.
    :param client_secret: the secret's value, or a :class:`SecretSource` that can rotate.
    :keyword authority: authority host (default ``AZURE_AUTHORITY_HOST`` or the public cloud).
    :keyword cache_persistence_options: persist and share tokens (one request per deployment).
    :keyword disable_instance_discovery: skip instance discovery and authority validation.
    :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
    :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
    """

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
        del client_secret  # only the masked source from here on, also in tracebacks' frame locals
        self._core = client_core(
            "client_secret",
            type(self).__name__,
            tenant_id,
            client_id,
            secret_material(source),
            authority=authority,
            cache_persistence_options=cache_persistence_options,
            disable_instance_discovery=disable_instance_discovery,
            additionally_allowed_tenants=additionally_allowed_tenants,
            kwargs=dict(kwargs),
        )
