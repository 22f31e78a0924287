"""settings_cred: a configuration-driven Microsoft Entra ID username/password credential.

The credential is a drop-in for ``azure.identity.UsernamePasswordCredential``; the async twin is
``settings_cred.aio.UsernamePasswordCredential``. Microsoft has deprecated the password (ROPC) flow
for public clients because it cannot do multi-factor authentication: see docs/ropc-deprecation.md.
"""

import logging as _logging
from typing import TYPE_CHECKING, Any

from ._auth_record import AuthenticationRecord
from ._constants import AzureAuthorityHosts, KnownAuthorities
from ._credentials._application import (
    CertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)
from ._credentials._username_password import UsernamePasswordCredential
from ._notice import RopcDeprecationWarning
from ._secret import Secret, SecretSource, StaticSecret
from ._store._errors import StoreConfigurationError, WeakKeyError
from ._store._options import TokenCachePersistenceOptions
from ._transport._pipeline import PipelineOptions
from ._version import __version__
from .audit import configure_json_logging
from .errors import (
    AccountDisabledError,
    AccountLockedError,
    ApplicationNotFoundError,
    AuthenticationRequiredError,
    CertificateRejectedError,
    ClientAssertionExpiredError,
    ClientSecretExpiredError,
    ConditionalAccessBlockedError,
    ConsentRequiredError,
    CredentialUnavailableError,
    EntraAuthenticationError,
    EntraUnavailableError,
    ExternalChallengeRequiredError,
    FederatedCredentialMismatchError,
    InteractionRequiredError,
    InvalidClientSecretError,
    InvalidCredentialsError,
    ManagedIdentityError,
    MfaRequiredError,
    PasswordExpiredError,
    PublicClientFlowsDisabledError,
    RefreshTokenRejectedError,
    ResourcePrincipalNotFoundError,
    ServerLoopError,
    SharedSignInTimeoutError,
    TenantNotAllowedError,
    TenantNotFoundError,
    UntrustedEndpointError,
    UserNotFoundError,
)

if TYPE_CHECKING:
    from ._settings import CredentialSettings, FileSecret, SettingsError, credential_from_env

_logging.getLogger("settings_cred").addHandler(_logging.NullHandler())

_LAZY = dict.fromkeys(("CredentialSettings", "FileSecret", "SettingsError", "credential_from_env"), "._settings")
"""Names whose modules load on first use: the settings layer (pydantic, python-dotenv) costs nothing until then."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'settings_cred' has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "AccountDisabledError",
    "AccountLockedError",
    "ApplicationNotFoundError",
    "AuthenticationRecord",
    "AuthenticationRequiredError",
    "AzureAuthorityHosts",
    "CertificateCredential",
    "CertificateRejectedError",
    "ClientAssertionExpiredError",
    "ClientSecretCredential",
    "ClientSecretExpiredError",
    "ConditionalAccessBlockedError",
    "ConsentRequiredError",
    "CredentialSettings",
    "CredentialUnavailableError",
    "EntraAuthenticationError",
    "EntraUnavailableError",
    "ExternalChallengeRequiredError",
    "FederatedCredentialMismatchError",
    "FileSecret",
    "InteractionRequiredError",
    "InvalidClientSecretError",
    "InvalidCredentialsError",
    "KnownAuthorities",
    "ManagedIdentityCredential",
    "ManagedIdentityError",
    "MfaRequiredError",
    "PasswordExpiredError",
    "PipelineOptions",
    "PublicClientFlowsDisabledError",
    "RefreshTokenRejectedError",
    "ResourcePrincipalNotFoundError",
    "RopcDeprecationWarning",
    "Secret",
    "SecretSource",
    "ServerLoopError",
    "SettingsError",
    "SharedSignInTimeoutError",
    "StaticSecret",
    "StoreConfigurationError",
    "TenantNotAllowedError",
    "TenantNotFoundError",
    "TokenCachePersistenceOptions",
    "UntrustedEndpointError",
    "UserNotFoundError",
    "UsernamePasswordCredential",
    "WeakKeyError",
    "WorkloadIdentityCredential",
    "__version__",
    "configure_json_logging",
    "credential_from_env",
]
