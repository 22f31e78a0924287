"""The roots of settings_cred's exceptions: unavailable, not allowed, Entra's refusals, and how they stay clean."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from azure.core.exceptions import ClientAuthenticationError

from .._identity_compat import adopt_identity_bases


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
