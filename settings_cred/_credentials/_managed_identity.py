"""The synchronous ManagedIdentityCredential: the platform's identity, no secret at all."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import Unpack

from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._kinds import managed_identity_core
from ._shell import CoreCredential


class ManagedIdentityCredential(CoreCredential):
    """Authenticates with the managed identity of App Service, Container Apps, Functions or a VM.

    A drop-in for azure-identity's: system-assigned by default, user-assigned by ``client_id`` or by
    ``identity_config={"object_id": ...}`` / ``{"resource_id": ...}``. Where no managed identity endpoint
    answers, it raises :class:`~settings_cred.CredentialUnavailableError`, so a chain moves on.

    :keyword client_id: a user-assigned identity's client ID.
    :keyword identity_config: ``{"object_id": ...}`` or ``{"resource_id": ...}`` for a user-assigned identity.
    :keyword cache_persistence_options: persist and share tokens (one request per deployment).
    :keyword kwargs: azure-core pipeline options (:class:`PipelineOptions`).
    """

    def __init__(
        self,
        *,
        client_id: str | None = None,
        identity_config: Mapping[str, str] | None = None,
        cache_persistence_options: TokenCachePersistenceOptions | None = None,
        **kwargs: Unpack[PipelineOptions],
    ) -> None:
        self._core = managed_identity_core(
            client_id=client_id,
            identity_config=identity_config,
            cache_persistence_options=cache_persistence_options,
            kwargs=dict(kwargs),
        )
