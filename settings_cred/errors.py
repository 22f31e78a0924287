"""Exceptions raised by settings_cred, and the one table that maps Entra ID error codes to them.

Every class is a :class:`azure.core.exceptions.ClientAuthenticationError`, so code written for
azure-identity keeps working::

    ClientAuthenticationError                    (azure.core)
    ├── CredentialUnavailableError               (also azure.identity's, when installed)
    │   └── AuthenticationRequiredError          (also azure.identity's, when installed)
    ├── TenantNotAllowedError                    tenant outside additionally_allowed_tenants
    └── EntraAuthenticationError                 Entra ID answered with an error (or not at all)
        ├── EntraUnavailableError                outage, throttling, network: transient
        │   └── SharedSignInTimeoutError         another process's sign-in took too long
        ├── UntrustedEndpointError               a secret would have gone to a foreign host
        ├── InvalidCredentialsError              AADSTS50126   (lockout guard engages)
        ├── UserNotFoundError                    AADSTS50034
        ├── AccountLockedError                   AADSTS50053   (lockout guard engages)
        ├── PasswordExpiredError                 AADSTS50055
        ├── AccountDisabledError                 AADSTS50057
        ├── InteractionRequiredError
        │   ├── MfaRequiredError                 AADSTS50076, 50079
        │   ├── ExternalChallengeRequiredError   AADSTS50158
        │   ├── ConditionalAccessBlockedError    AADSTS53003
        │   └── ConsentRequiredError             AADSTS65001
        ├── PublicClientFlowsDisabledError       AADSTS7000218
        ├── ApplicationNotFoundError             AADSTS700016
        ├── TenantNotFoundError                  AADSTS90002
        ├── ResourcePrincipalNotFoundError       AADSTS500011
        ├── ServerLoopError                      AADSTS50196
        ├── RefreshTokenRejectedError            AADSTS70008, 50173, 70043, 700082
        ├── InvalidClientSecretError             AADSTS7000215 (lockout guard engages)
        ├── ClientSecretExpiredError             AADSTS7000222 (lockout guard engages)
        ├── CertificateRejectedError             AADSTS700027, 700021, 700023 (lockout guard engages)
        ├── ClientAssertionExpiredError          AADSTS700024  (lockout guard engages)
        ├── FederatedCredentialMismatchError     AADSTS70021, 700211, 700212, 700213, 7000272 (guard engages)
        └── ManagedIdentityError                 the managed identity endpoint refused

Messages are built from named fields only (code, Entra's one-line summary, remediation, correlation
id, trace id, timestamp); never from a request, a password or a token.
"""

from __future__ import annotations

from ._errors._application import (
    CertificateRejectedError,
    ClientAssertionExpiredError,
    ClientSecretExpiredError,
    FederatedCredentialMismatchError,
    InvalidClientSecretError,
    ManagedIdentityError,
)
from ._errors._base import (
    AuthenticationRequiredError,
    CredentialUnavailableError,
    EntraAuthenticationError,
    EntraUnavailableError,
    SharedSignInTimeoutError,
    TenantNotAllowedError,
    UntrustedEndpointError,
)
from ._errors._table import ERROR_TABLE, error_from_result
from ._errors._user import (
    AccountDisabledError,
    AccountLockedError,
    ApplicationNotFoundError,
    ConditionalAccessBlockedError,
    ConsentRequiredError,
    ExternalChallengeRequiredError,
    InteractionRequiredError,
    InvalidCredentialsError,
    MfaRequiredError,
    PasswordExpiredError,
    PublicClientFlowsDisabledError,
    RefreshTokenRejectedError,
    ResourcePrincipalNotFoundError,
    ServerLoopError,
    TenantNotFoundError,
    UserNotFoundError,
)

__all__ = [
    "ERROR_TABLE",
    "AccountDisabledError",
    "AccountLockedError",
    "ApplicationNotFoundError",
    "AuthenticationRequiredError",
    "CertificateRejectedError",
    "ClientAssertionExpiredError",
    "ClientSecretExpiredError",
    "ConditionalAccessBlockedError",
    "ConsentRequiredError",
    "CredentialUnavailableError",
    "EntraAuthenticationError",
    "EntraUnavailableError",
    "ExternalChallengeRequiredError",
    "FederatedCredentialMismatchError",
    "InteractionRequiredError",
    "InvalidClientSecretError",
    "InvalidCredentialsError",
    "ManagedIdentityError",
    "MfaRequiredError",
    "PasswordExpiredError",
    "PublicClientFlowsDisabledError",
    "RefreshTokenRejectedError",
    "ResourcePrincipalNotFoundError",
    "ServerLoopError",
    "SharedSignInTimeoutError",
    "TenantNotAllowedError",
    "TenantNotFoundError",
    "UntrustedEndpointError",
    "UserNotFoundError",
    "error_from_result",
]

for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__  # tracebacks and pickles name the public module
del _name, _value
