"""The async credential a configuration describes: one class per kind, by the kind's name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, TypeAlias

from .._credentials._configured import CredentialKind
from ._credential import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    UsernamePasswordCredential,
    WorkloadIdentityCredential,
)

AsyncConfiguredCredential: TypeAlias = (
    UsernamePasswordCredential
    | ClientSecretCredential
    | CertificateCredential
    | WorkloadIdentityCredential
    | ManagedIdentityCredential
)
"""What ``settings_cred.aio.credential_from_env()`` returns: every member is an ``AsyncTokenCredential``."""

CLASSES: Final[Mapping[CredentialKind, Callable[..., AsyncConfiguredCredential]]] = {
    "password": UsernamePasswordCredential,
    "client_secret": ClientSecretCredential,
    "certificate": CertificateCredential,
    "workload_identity": WorkloadIdentityCredential,
    "managed_identity": ManagedIdentityCredential,
}
