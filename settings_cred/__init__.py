"""settings_cred: a configuration-driven Microsoft Entra ID username/password credential.

The credential is a drop-in for ``azure.identity.UsernamePasswordCredential``; the async twin is
``settings_cred.aio.UsernamePasswordCredential``. Microsoft has deprecated the password (ROPC) flow
for public clients because it cannot do multi-factor authentication: see docs/ropc-deprecation.md.
"""

import importlib as _importlib
import logging as _logging
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
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
    from ._settings import CredentialSettings, FileSecret, SettingsError, credential_from_env
    from ._store._errors import StoreConfigurationError, WeakKeyError
    from ._store._options import TokenCachePersistenceOptions
    from ._transport._options import PipelineOptions
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

_logging.getLogger("settings_cred").addHandler(_logging.NullHandler())

_EXPORTS: dict[str, str] = {
    "AccountDisabledError": ".errors",
    "AccountLockedError": ".errors",
    "ApplicationNotFoundError": ".errors",
    "AuthenticationRecord": "._auth_record",
    "AuthenticationRequiredError": ".errors",
    "AzureAuthorityHosts": "._constants",
    "CertificateCredential": "._credentials._application",
    "CertificateRejectedError": ".errors",
    "ClientAssertionExpiredError": ".errors",
    "ClientSecretCredential": "._credentials._application",
    "ClientSecretExpiredError": ".errors",
    "ConditionalAccessBlockedError": ".errors",
    "ConsentRequiredError": ".errors",
    "CredentialSettings": "._settings",
    "CredentialUnavailableError": ".errors",
    "EntraAuthenticationError": ".errors",
    "EntraUnavailableError": ".errors",
    "ExternalChallengeRequiredError": ".errors",
    "FederatedCredentialMismatchError": ".errors",
    "FileSecret": "._settings",
    "InteractionRequiredError": ".errors",
    "InvalidClientSecretError": ".errors",
    "InvalidCredentialsError": ".errors",
    "KnownAuthorities": "._constants",
    "ManagedIdentityCredential": "._credentials._application",
    "ManagedIdentityError": ".errors",
    "MfaRequiredError": ".errors",
    "PasswordExpiredError": ".errors",
    "PipelineOptions": "._transport._options",
    "PublicClientFlowsDisabledError": ".errors",
    "RefreshTokenRejectedError": ".errors",
    "ResourcePrincipalNotFoundError": ".errors",
    "RopcDeprecationWarning": "._notice",
    "Secret": "._secret",
    "SecretSource": "._secret",
    "ServerLoopError": ".errors",
    "SettingsError": "._settings",
    "SharedSignInTimeoutError": ".errors",
    "StaticSecret": "._secret",
    "StoreConfigurationError": "._store._errors",
    "TenantNotAllowedError": ".errors",
    "TenantNotFoundError": ".errors",
    "TokenCachePersistenceOptions": "._store._options",
    "UntrustedEndpointError": ".errors",
    "UserNotFoundError": ".errors",
    "UsernamePasswordCredential": "._credentials._username_password",
    "WeakKeyError": "._store._errors",
    "WorkloadIdentityCredential": "._credentials._application",
    "configure_json_logging": ".audit",
    "credential_from_env": "._settings",
}
"""Where each public name lives: loaded on first use, so an import costs only what it uses (decision 16)."""

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'settings_cred' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
