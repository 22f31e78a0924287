"""The synchronous CertificateCredential: an application signing in with a certificate."""

from __future__ import annotations

import os
from collections.abc import Iterable

from typing_extensions import Unpack

from .._secret import Secret, SecretSource
from .._store._options import TokenCachePersistenceOptions
from .._transport._pipeline import PipelineOptions
from ._kinds import certificate_material, certificate_secrets, client_core
from ._shell import CoreCredential


class CertificateCredential(CoreCredential):
    """Authenticates an application with a certificate (PEM or PKCS#12); a drop-in for azure-identity's.

    A certificate file is re-read when it changes, so a rotated certificate is used without a restart.

    :param tenant_id: the application's tenant (GUID or verified domain).
    :param client_id: the application (client) ID.
    :param certificate_path: a PEM file (private key and certificate) or a PKCS#12 (.pfx) file.
    :keyword certificate_data: the certificate's bytes instead of a path.
    :keyword password: the private key's or the PKCS#12 file's password, or a :class:`SecretSource` that can
        rotate with the file.
    :keyword send_certificate_chain: send the certificate chain (``x5c``), for subject name / issuer auth.
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
        material = certificate_material(
            certificate_path, data, secret, send_certificate_chain
        )  # the material keeps them (masked); no frame of a failure below does
        self._core = client_core(
            "certificate",
            type(self).__name__,
            tenant_id,
            client_id,
            material,
            authority=authority,
            cache_persistence_options=cache_persistence_options,
            disable_instance_discovery=disable_instance_discovery,
            additionally_allowed_tenants=additionally_allowed_tenants,
            kwargs=dict(kwargs),
        )
