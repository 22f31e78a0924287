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

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeVar

from azure.core.exceptions import ClientAuthenticationError

from ._identity_compat import adopt_identity_bases

__all__ = [
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


def forget_handled_exception(error: ClientAuthenticationError) -> None:
    """Drop what azure-core's ``AzureError`` saved of the exception being handled when `error` was made.

    ``AzureError.__init__`` keeps ``sys.exc_info()`` (the handled exception and its traceback, whose
    frames may hold a password) in ``exc_value``/``exc_traceback``; ours never carry it.
    """
    error.exc_type = type(error)
    error.exc_value = None
    error.exc_traceback = None
    error.inner_exception = None


_E = TypeVar("_E", bound=ClientAuthenticationError)


def detached(error: _E) -> _E:
    """A copy of `error` without traceback or chained exceptions, whose frames could hold secrets in their locals."""
    copy = type(error).__new__(type(error))
    copy.__dict__.update(error.__dict__)
    copy.args = error.args
    forget_handled_exception(copy)
    return copy


class CredentialUnavailableError(ClientAuthenticationError):
    """The credential did not try to authenticate: required data or state is missing.

    A ``ChainedTokenCredential`` (ours or azure-identity's) moves on to its next credential: once
    azure-identity is imported, this class is also a subclass of its ``CredentialUnavailableError``.
    """

    def __init__(self, message: object = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        forget_handled_exception(self)


class AuthenticationRequiredError(CredentialUnavailableError):
    """A token needs user interaction; `scopes` and `claims` say what to authenticate for.

    Once azure-identity is imported, also a subclass of its ``AuthenticationRequiredError``.
    """

    def __init__(
        self, scopes: Iterable[str], message: str | None = None, claims: str | None = None, **kwargs: Any
    ) -> None:
        self._scopes = tuple(scopes)
        self._claims = claims
        ClientAuthenticationError.__init__(
            self, message=message or "Authentication is required to get a token.", **kwargs
        )
        forget_handled_exception(self)

    @property
    def scopes(self) -> Iterable[str]:
        """Scopes requested during the failed authentication."""
        return self._scopes

    @property
    def claims(self) -> str | None:
        """Additional claims required in the next authentication, if any."""
        return self._claims


adopt_identity_bases(CredentialUnavailableError, AuthenticationRequiredError)


class TenantNotAllowedError(ClientAuthenticationError):
    """A token was requested for a tenant the credential may not use."""

    def __init__(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        super().__init__(
            message=f"The credential is not configured to acquire tokens for tenant {tenant_id}. "
            "Add it to additionally_allowed_tenants (AZURE_ADDITIONALLY_ALLOWED_TENANTS), "
            'or add "*" to allow any tenant the application can access.'
        )
        forget_handled_exception(self)


class EntraAuthenticationError(ClientAuthenticationError):
    """Entra ID refused to issue a token; `error_code`, `correlation_id` and friends say why."""

    summary: ClassVar[str] = "Microsoft Entra ID refused to issue a token."
    remediation: ClassVar[str] = (
        "Look up the error code at https://login.microsoftonline.com/error and the sign-in logs for the correlation id."
    )
    codes: ClassVar[tuple[int, ...]] = ()

    def __init__(
        self,
        *,
        error: str | None = None,
        error_code: int | None = None,
        description: str | None = None,
        correlation_id: str | None = None,
        trace_id: str | None = None,
        timestamp: str | None = None,
        status_code: int | None = None,
        suberror: str | None = None,
        claims: str | None = None,
        from_lockout_guard: bool = False,
    ) -> None:
        self.oauth_error = error
        self.error_code = error_code
        self.description = description
        self.correlation_id = correlation_id
        self.trace_id = trace_id
        self.timestamp = timestamp
        self.status_code = status_code
        self.suberror = suberror
        self.claims = claims
        self.from_lockout_guard = from_lockout_guard
        super().__init__(message=self._compose())
        forget_handled_exception(self)

    def _compose(self) -> str:
        code = f"AADSTS{self.error_code}" if self.error_code else (self.oauth_error or "error")
        lines = [f"{code}: {self.description or self.summary}"]
        if self.from_lockout_guard:
            lines.insert(
                0,
                "The password or client credential was not sent again: Entra ID already rejected it (lockout "
                "guard). It is retried only once the configured value changes.",
            )
        lines.append(f"What to do: {self.remediation}")
        ids = {"correlation_id": self.correlation_id, "trace_id": self.trace_id, "timestamp": self.timestamp}
        lines.append(", ".join(f"{key}={value}" for key, value in ids.items() if value) or "no request ids")
        return "\n".join(lines)

    def as_guarded(self) -> EntraAuthenticationError:
        """A copy of this error stating that the lockout guard refused to re-send the password."""
        return type(self)(
            error=self.oauth_error,
            error_code=self.error_code,
            description=self.description,
            correlation_id=self.correlation_id,
            trace_id=self.trace_id,
            timestamp=self.timestamp,
            status_code=self.status_code,
            suberror=self.suberror,
            from_lockout_guard=True,
        )


class EntraUnavailableError(EntraAuthenticationError):
    """Entra ID could not be reached, was throttling, or answered with a server error."""

    summary = "Microsoft Entra ID is unreachable or unavailable."
    remediation = (
        "Usually transient: retry later (cached tokens keep being served while valid). If it persists, "
        "check DNS, proxy (HTTPS_PROXY) and firewall access to the authority host."
    )


class SharedSignInTimeoutError(EntraUnavailableError):
    """Another process sharing the token store held the account's sign-in lease past the wait limit."""

    summary = "Another process sharing the token store is still signing in to this account."
    remediation = (
        "Usually Entra ID is slow or unreachable from the process holding the lease: check its logs. The lease "
        "expires on its own if that process died; retry later."
    )

    def __init__(self, waited: float, location: str) -> None:
        super().__init__(
            description=f"Another process sharing the token store at {location} held this account's sign-in "
            f"lease for more than {waited:g} s, so this process did not sign in itself (that could lock the "
            "account out)."
        )


class UntrustedEndpointError(EntraAuthenticationError):
    """A secret was about to be sent to a host other than the configured authority (or its aliases)."""

    summary = "A secret was not sent: the token endpoint is not on the configured authority host."
    remediation = (
        "Authority metadata named a token endpoint on another host. If a shared cache directory or store can be "
        "written by others, it may have been tampered with: check who can write it. If the authority is a private "
        "cloud, configure its host as the authority (AZURE_AUTHORITY_HOST)."
    )

    def __init__(self, host: str, authority: str) -> None:
        super().__init__(
            description=f"The token endpoint's host {host} is neither the configured authority {authority} nor an "
            "alias that instance discovery returned for it."
        )


class InvalidCredentialsError(EntraAuthenticationError):
    """The username or password is wrong (AADSTS50126)."""

    codes = (50126,)
    summary = "Error validating credentials due to invalid username or password."
    remediation = (
        "Correct the password (AZURE_PASSWORD or its secret file / Key Vault reference) or the username "
        "(AZURE_USERNAME). settings_cred will not send the rejected password again, so the account is not "
        "locked out; it signs in as soon as the configured password changes."
    )


class UserNotFoundError(EntraAuthenticationError):
    """The user does not exist in the tenant (AADSTS50034)."""

    codes = (50034,)
    summary = "The user account does not exist in this tenant."
    remediation = "Check AZURE_USERNAME and AZURE_TENANT_ID; a guest account must sign in to a tenant it belongs to."


class AccountLockedError(EntraAuthenticationError):
    """The account is locked after too many failed sign-ins (AADSTS50053)."""

    codes = (50053,)
    summary = "The account is locked because of too many failed sign-ins or suspicious activity."
    remediation = (
        "Wait for Smart Lockout to expire or ask an admin to unlock the account, then correct the "
        "configured password. settings_cred will not try this password again in this process."
    )


class PasswordExpiredError(EntraAuthenticationError):
    """The password has expired (AADSTS50055)."""

    codes = (50055,)
    summary = "The user's password has expired."
    remediation = (
        "Change the password interactively (ROPC cannot), then update the configured secret; or exempt "
        "this service account from password expiry."
    )


class AccountDisabledError(EntraAuthenticationError):
    """The account is disabled (AADSTS50057)."""

    codes = (50057,)
    summary = "The user account is disabled."
    remediation = "Ask a directory admin to enable the account, or configure another account."


class InteractionRequiredError(EntraAuthenticationError):
    """Entra ID wants an interaction (MFA, consent, a policy) that the password flow cannot do."""

    summary = "Microsoft Entra ID requires user interaction, which the password flow cannot provide."
    remediation = (
        "Move to a flow that supports interaction (device code, interactive browser) or to an app identity "
        "(managed identity, certificate); see docs/ropc-deprecation.md."
    )


class MfaRequiredError(InteractionRequiredError):
    """Multi-factor authentication is required (AADSTS50076, 50079); ROPC cannot do MFA."""

    codes = (50076, 50079)
    summary = "Multi-factor authentication is required, and the password (ROPC) flow cannot perform MFA."
    remediation = (
        "ROPC is deprecated because it cannot do MFA. Migrate to managed identity, a certificate credential or "
        "device code flow; until then an admin may exclude this account with a Conditional Access policy "
        "scoped to trusted network locations."
    )


class ExternalChallengeRequiredError(InteractionRequiredError):
    """An external security challenge was not satisfied (AADSTS50158)."""

    codes = (50158,)
    summary = "An external security challenge (for example third-party MFA) is required."
    remediation = MfaRequiredError.remediation


class ConditionalAccessBlockedError(InteractionRequiredError):
    """A Conditional Access policy blocked the sign-in (AADSTS53003)."""

    codes = (53003,)
    summary = "Access was blocked by a Conditional Access policy."
    remediation = (
        "Ask an admin to look up this correlation id in the sign-in logs and review the Conditional Access "
        "policy that applied (location, device, client app 'other clients')."
    )


class ConsentRequiredError(InteractionRequiredError):
    """Nobody consented to the application for these scopes (AADSTS65001)."""

    codes = (65001,)
    summary = "The user or an administrator has not consented to use the application for these scopes."
    remediation = (
        "An admin must grant consent (Entra admin center > Enterprise applications > Permissions > Grant admin "
        "consent); the password flow cannot show a consent prompt."
    )


class PublicClientFlowsDisabledError(EntraAuthenticationError):
    """The app registration does not allow public client flows (AADSTS7000218)."""

    codes = (7000218,)
    summary = "The app registration requires a client secret or assertion: public client flows are off."
    remediation = "In the app registration, Authentication > Advanced settings, set 'Allow public client flows' to Yes."


class ApplicationNotFoundError(EntraAuthenticationError):
    """No application with this client id exists in the tenant (AADSTS700016)."""

    codes = (700016,)
    summary = "The application was not found in the directory."
    remediation = (
        "Check AZURE_CLIENT_ID and AZURE_TENANT_ID; the app must be registered in, or consented to by, that tenant."
    )


class TenantNotFoundError(EntraAuthenticationError):
    """The tenant does not exist (AADSTS90002)."""

    codes = (90002,)
    summary = "The tenant was not found."
    remediation = (
        "Check AZURE_TENANT_ID (a GUID or a verified domain) and that AZURE_AUTHORITY_HOST names the tenant's cloud."
    )


class ResourcePrincipalNotFoundError(EntraAuthenticationError):
    """The resource named by the scope is unknown to the tenant (AADSTS500011)."""

    codes = (500011,)
    summary = "The resource principal named in the scope was not found in the tenant."
    remediation = (
        "Check the scope (for example 'https://vault.azure.net/.default') and that the authority host belongs "
        "to the same cloud as the resource."
    )


class ServerLoopError(EntraAuthenticationError):
    """Entra ID detected a request loop from this client (AADSTS50196)."""

    codes = (50196,)
    summary = "Microsoft Entra ID detected a loop of token requests from this client."
    remediation = "Reuse one credential per process (it caches tokens) instead of creating one per request."


class RefreshTokenRejectedError(EntraAuthenticationError):
    """The refresh token expired or was revoked (AADSTS70008, 50173, 70043, 700082)."""

    codes = (70008, 50173, 70043, 700082)
    summary = "The refresh token expired or was revoked."
    remediation = "settings_cred signs in with the password again; no action is needed unless that fails."


class InvalidClientSecretError(EntraAuthenticationError):
    """The client secret is wrong (AADSTS7000215)."""

    codes = (7000215,)
    summary = "Invalid client secret provided."
    remediation = (
        "Set AZURE_CLIENT_SECRET to the secret's value (not its ID) of a secret of this app registration. "
        "settings_cred does not send a rejected secret again until the configured value changes."
    )


class ClientSecretExpiredError(EntraAuthenticationError):
    """The client secret has expired (AADSTS7000222)."""

    codes = (7000222,)
    summary = "The app's client secret has expired."
    remediation = (
        "Create a new secret (app registration > Certificates & secrets) and update AZURE_CLIENT_SECRET; better, "
        "move to a certificate (AZURE_CLIENT_CERTIFICATE_PATH) or workload identity, which need no secret rotation."
    )


class CertificateRejectedError(EntraAuthenticationError):
    """Entra ID did not accept the certificate's assertion (AADSTS700027, 700021, 700023)."""

    codes = (700027, 700021, 700023)
    summary = "The client certificate (its signed assertion) was not accepted."
    remediation = (
        "Upload the certificate's public part to the app registration (Certificates & secrets) and point "
        "AZURE_CLIENT_CERTIFICATE_PATH at the matching private key; an expired or removed certificate must be replaced."
    )


class ClientAssertionExpiredError(EntraAuthenticationError):
    """The client assertion is outside its validity period (AADSTS700024)."""

    codes = (700024,)
    summary = "The client assertion is not within its valid time range."
    remediation = (
        "For workload identity, the token file (AZURE_FEDERATED_TOKEN_FILE) must be the projected service account "
        "token Kubernetes keeps rotating; otherwise check this machine's clock."
    )


class FederatedCredentialMismatchError(EntraAuthenticationError):
    """No federated identity credential of the app matches the token (AADSTS70021, 700211-700213, 7000272)."""

    codes = (70021, 700211, 700212, 700213, 7000272)
    summary = "No federated identity credential of the app matches the presented token."
    remediation = (
        "Add a federated credential to the app registration (or user-assigned identity) whose issuer, subject and "
        "audience match the token: for AKS the cluster's OIDC issuer URL, system:serviceaccount:<namespace>:<name> "
        "and api://AzureADTokenExchange."
    )


class ManagedIdentityError(EntraAuthenticationError):
    """The managed identity endpoint refused to issue a token."""

    summary = "The managed identity endpoint refused to issue a token."
    remediation = (
        "Check that a managed identity is assigned to this resource (for a user-assigned one, that AZURE_CLIENT_ID "
        "names it) and that it may access the requested resource."
    )


_ERROR_CLASSES: tuple[type[EntraAuthenticationError], ...] = (
    InvalidCredentialsError,
    UserNotFoundError,
    AccountLockedError,
    PasswordExpiredError,
    AccountDisabledError,
    MfaRequiredError,
    ExternalChallengeRequiredError,
    ConditionalAccessBlockedError,
    ConsentRequiredError,
    PublicClientFlowsDisabledError,
    ApplicationNotFoundError,
    TenantNotFoundError,
    ResourcePrincipalNotFoundError,
    ServerLoopError,
    RefreshTokenRejectedError,
    InvalidClientSecretError,
    ClientSecretExpiredError,
    CertificateRejectedError,
    ClientAssertionExpiredError,
    FederatedCredentialMismatchError,
)
ERROR_TABLE: Mapping[int, type[EntraAuthenticationError]] = {code: cls for cls in _ERROR_CLASSES for code in cls.codes}
"""AADSTS code -> exception class; the single source of truth, documented in docs/errors.md."""

_BY_OAUTH_ERROR: Mapping[str, type[EntraAuthenticationError]] = {
    "interaction_required": InteractionRequiredError,
    "consent_required": ConsentRequiredError,
    "temporarily_unavailable": EntraUnavailableError,
}
_AADSTS = re.compile(r"AADSTS(\d+)")
_SUMMARY = re.compile(r"^AADSTS\d+:\s*(.*?)\s*(?:Trace ID:|Correlation ID:|Timestamp:|$)", re.DOTALL)


def _first_code(result: Mapping[str, Any]) -> int | None:
    codes = result.get("error_codes")
    if isinstance(codes, list) and codes and isinstance(codes[0], int):
        return codes[0]
    match = _AADSTS.search(str(result.get("error_description") or ""))
    return int(match.group(1)) if match else None


def _summary(description: object) -> str | None:
    match = _SUMMARY.match(str(description or ""))
    text = match.group(1).strip() if match else ""
    return text.splitlines()[0][:300] if text else None


def error_from_result(result: Mapping[str, Any], status_code: int | None = None) -> EntraAuthenticationError:
    """Turn an msal error result (a dict) into the matching exception: the only place that does."""
    code = _first_code(result)
    error = str(result.get("error") or "") or None
    cls = ERROR_TABLE.get(code) if code is not None else None
    if cls is None:
        cls = _BY_OAUTH_ERROR.get(error or "", EntraAuthenticationError)
        if status_code is not None and (status_code == 429 or status_code >= 500):
            cls = EntraUnavailableError
    return cls(
        error=error,
        error_code=code,
        description=_summary(result.get("error_description")),
        correlation_id=_opt_str(result.get("correlation_id")),
        trace_id=_opt_str(result.get("trace_id")),
        timestamp=_opt_str(result.get("timestamp")),
        status_code=status_code,
        suberror=_opt_str(result.get("suberror")),
        claims=_opt_str(result.get("claims")),
    )


def _opt_str(value: object) -> str | None:
    return str(value) if value else None
