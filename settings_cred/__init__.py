"""settings_cred: a configuration-driven Microsoft Entra ID username/password credential.

The credential is a drop-in for ``azure.identity.UsernamePasswordCredential``; the async twin is
``settings_cred.aio.UsernamePasswordCredential``. Microsoft has deprecated the password (ROPC) flow
for public clients because it cannot do multi-factor authentication: see docs/ropc-deprecation.md.
"""

import logging as _logging

from ._auth_record import AuthenticationRecord
from ._constants import AzureAuthorityHosts, KnownAuthorities
from ._credentials._username_password import UsernamePasswordCredential
from ._notice import RopcDeprecationWarning
from ._secret import Secret, SecretSource, StaticSecret
from ._settings import CredentialSettings, FileSecret, SettingsError, credential_from_env
from ._store._errors import StoreConfigurationError
from ._store._options import TokenCachePersistenceOptions
from ._store._sealing import WeakKeyError
from ._transport._pipeline import PipelineOptions
from ._version import __version__
from .audit import configure_json_logging
from .errors import (
    AccountDisabledError,
    AccountLockedError,
    ApplicationNotFoundError,
    AuthenticationRequiredError,
    ConditionalAccessBlockedError,
    ConsentRequiredError,
    CredentialUnavailableError,
    EntraAuthenticationError,
    EntraUnavailableError,
    ExternalChallengeRequiredError,
    InteractionRequiredError,
    InvalidCredentialsError,
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

__all__ = [
    "AccountDisabledError",
    "AccountLockedError",
    "ApplicationNotFoundError",
    "AuthenticationRecord",
    "AuthenticationRequiredError",
    "AzureAuthorityHosts",
    "ConditionalAccessBlockedError",
    "ConsentRequiredError",
    "CredentialSettings",
    "CredentialUnavailableError",
    "EntraAuthenticationError",
    "EntraUnavailableError",
    "ExternalChallengeRequiredError",
    "FileSecret",
    "InteractionRequiredError",
    "InvalidCredentialsError",
    "KnownAuthorities",
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
    "__version__",
    "configure_json_logging",
    "credential_from_env",
]
