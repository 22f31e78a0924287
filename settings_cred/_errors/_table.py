"""The one table from AADSTS codes to exception classes, and the one function that applies it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._application import (
    CertificateRejectedError,
    ClientAssertionExpiredError,
    ClientSecretExpiredError,
    FederatedCredentialMismatchError,
    InvalidClientSecretError,
)
from ._base import EntraAuthenticationError, EntraUnavailableError
from ._user import (
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
        correlation_id=optional_text(result.get("correlation_id")),
        trace_id=optional_text(result.get("trace_id")),
        timestamp=optional_text(result.get("timestamp")),
        status_code=status_code,
        suberror=optional_text(result.get("suberror")),
        claims=optional_text(result.get("claims")),
    )


def optional_text(value: object) -> str | None:
    """A field of an error answer as text; None when absent or empty."""
    return str(value) if value else None
