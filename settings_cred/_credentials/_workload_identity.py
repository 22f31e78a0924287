"""The synchronous WorkloadIdentityCredential: a federated token file (AKS workload identity)."""

from __future__ import annotations

from collections.abc import Iterable

from typing_extensions import Unpack

from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._kinds import client_core, workload_identity_arguments
from ._shell import CoreCredential


class WorkloadIdentityCredential(CoreCredential):
    """Authenticates with a federated token file, as AKS workload identity projects it; azure-identity's twin.

    The file is re-read whenever it changes (Kubernetes rotates the token), and a token Entra ID rejected
    is not sent again until the file holds a new one.

    :keyword tenant_id: the application's tenant (default ``AZURE_TENANT_ID``).
    :keyword client_id: the application or user-assigned identity's client ID (default ``AZURE_CLIENT_ID``).
    :keyword token_file_path: the federated token's file (default ``AZURE_FEDERATED_TOKEN_FILE``).
    :keyword authority: authority host (default ``AZURE_AUTHORITY_HOST`` or the public cloud).
    :keyword cache_persistence_options: persist and share tokens (one request per deployment).
    :keyword additionally_allowed_tenants: other tenants this credential may get tokens for; ``"*"`` for any.
    :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
    """

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
        self._core = client_core(
            "workload_identity",
            type(self).__name__,
            tenant,
            client,
            material,
            authority=authority,
            cache_persistence_options=cache_persistence_options,
            disable_instance_discovery=disable_instance_discovery,
            additionally_allowed_tenants=additionally_allowed_tenants,
            kwargs=dict(kwargs),
        )
