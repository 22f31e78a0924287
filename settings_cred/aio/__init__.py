"""Async credentials: the twins of every credential kind, and ``credential_from_env``."""

from typing import TYPE_CHECKING, Any

from ._credential import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    UsernamePasswordCredential,
    WorkloadIdentityCredential,
)

if TYPE_CHECKING:
    from .._settings import async_credential_from_env as credential_from_env

__all__ = [
    "CertificateCredential",
    "ClientSecretCredential",
    "ManagedIdentityCredential",
    "UsernamePasswordCredential",
    "WorkloadIdentityCredential",
    "credential_from_env",
]


def __getattr__(name: str) -> Any:
    if name != "credential_from_env":
        raise AttributeError(f"module 'settings_cred.aio' has no attribute {name!r}")
    from .._settings import async_credential_from_env  # noqa: PLC0415 - the settings layer loads on first use

    globals()[name] = async_credential_from_env
    return async_credential_from_env
