"""The credential a configuration describes: one class per kind, by the kind's name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, Literal, TypeAlias

from ._application import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)
from ._username_password import UsernamePasswordCredential

CredentialKind = Literal["password", "client_secret", "certificate", "workload_identity", "managed_identity"]
"""The kinds (``AZURE_CREDENTIAL_KIND``); each is also the ``kind`` its token core reports."""

ConfiguredCredential: TypeAlias = (
    UsernamePasswordCredential
    | ClientSecretCredential
    | CertificateCredential
    | WorkloadIdentityCredential
    | ManagedIdentityCredential
)
"""What ``credential_from_env()`` returns: every member is a ``TokenCredential`` with ``get_token_info``."""

CLASSES: Final[Mapping[CredentialKind, Callable[..., ConfiguredCredential]]] = {
    "password": UsernamePasswordCredential,
    "client_secret": ClientSecretCredential,
    "certificate": CertificateCredential,
    "workload_identity": WorkloadIdentityCredential,
    "managed_identity": ManagedIdentityCredential,
}
