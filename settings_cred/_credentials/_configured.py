"""The credential a configuration describes: one class per kind, by the kind's name.

The classes load only when a credential is built, so the settings layer can be imported (and a
configuration checked) without the token core or azure-core.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from ._application import (
        CertificateCredential,
        ClientSecretCredential,
        ManagedIdentityCredential,
        WorkloadIdentityCredential,
    )
    from ._username_password import UsernamePasswordCredential

    ConfiguredCredential: TypeAlias = (
        UsernamePasswordCredential
        | ClientSecretCredential
        | CertificateCredential
        | WorkloadIdentityCredential
        | ManagedIdentityCredential
    )
    """What ``credential_from_env()`` returns: every member is a ``TokenCredential`` with ``get_token_info``."""

CredentialKind = Literal["password", "client_secret", "certificate", "workload_identity", "managed_identity"]
"""The kinds (``AZURE_CREDENTIAL_KIND``); each is also the ``kind`` its token core reports."""


def credential_classes() -> Mapping[CredentialKind, Callable[..., ConfiguredCredential]]:
    """Each kind's class (loading the token core on first use)."""
    from ._application import (  # noqa: PLC0415 - the core loads only when a credential is built
        CertificateCredential,
        ClientSecretCredential,
        ManagedIdentityCredential,
        WorkloadIdentityCredential,
    )
    from ._username_password import UsernamePasswordCredential  # noqa: PLC0415

    return {
        "password": UsernamePasswordCredential,
        "client_secret": ClientSecretCredential,
        "certificate": CertificateCredential,
        "workload_identity": WorkloadIdentityCredential,
        "managed_identity": ManagedIdentityCredential,
    }
