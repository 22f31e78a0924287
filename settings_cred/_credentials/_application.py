"""The synchronous application kinds: client secret, certificate, workload identity, managed identity."""

from __future__ import annotations

from ._constructors import (
    CertificateArguments,
    ClientSecretArguments,
    ManagedIdentityArguments,
    WorkloadIdentityArguments,
)
from ._shell import CoreCredential


class ClientSecretCredential(ClientSecretArguments, CoreCredential):
    """Authenticates an application with a client secret; a drop-in for azure-identity's."""


class CertificateCredential(CertificateArguments, CoreCredential):
    """Authenticates an application with a certificate (PEM or PKCS#12); a drop-in for azure-identity's.

    A certificate file is re-read when it changes, so a rotated certificate is used without a restart.
    """


class WorkloadIdentityCredential(WorkloadIdentityArguments, CoreCredential):
    """Authenticates with a federated token file, as AKS workload identity projects it; azure-identity's twin.

    The file is re-read whenever it changes (Kubernetes rotates the token), and a token Entra ID rejected
    is not sent again until the file holds a new one.
    """


class ManagedIdentityCredential(ManagedIdentityArguments, CoreCredential):
    """Authenticates with the managed identity of App Service, Container Apps, Functions or a VM.

    A drop-in for azure-identity's: system-assigned by default, user-assigned by ``client_id`` or by
    ``identity_config={"object_id": ...}`` / ``{"resource_id": ...}``. Where no managed identity endpoint
    answers, it raises :class:`~settings_cred.CredentialUnavailableError`, so a chain moves on.
    """
