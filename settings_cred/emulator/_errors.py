"""Entra's error answers: one table of AADSTS codes, and the JSON body Entra wraps them in.

Each row says which OAuth ``error`` the code travels with, the HTTP status, the message
(``{placeholders}`` are filled from the request) and the ``suberror`` Entra adds.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._http import Request, Response, json_response

MFA_CLAIMS: Final = '{"access_token":{"capolids":{"essential":true,"values":["c1e8e0a4-5d8c-4a4b-9b0a-6f1c7f3a2e11"]}}}'
"""The claims challenge Entra attaches when a Conditional Access policy asks for MFA."""


@dataclass(frozen=True, slots=True)
class AadstsError:
    """One row of the table: how Entra answers with a given AADSTS code."""

    code: int
    error: str
    status: int
    message: str
    suberror: str | None = None
    claims: str | None = None

    def describe(self, details: Mapping[str, str]) -> str:
        """``AADSTS<code>: <message>`` with the placeholders filled in."""
        return f"AADSTS{self.code}: " + self.message.format_map(_Details(details))


class _Details(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "unknown"


_MFA = "Due to a configuration change made by your administrator, or because you moved to a new location,"
_ROWS = (
    AadstsError(
        50034,
        "invalid_grant",
        400,
        "The user account {{EmailHidden}} does not exist in the {tenant} "
        "directory. To sign into this application, the account must be added to the directory.",
    ),
    AadstsError(50049, "invalid_instance", 400, "Unknown or invalid instance."),
    AadstsError(
        50053,
        "invalid_grant",
        400,
        "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
    ),
    AadstsError(50055, "invalid_grant", 400, "The password is expired.", "user_password_expired"),
    AadstsError(50057, "invalid_grant", 400, "The user account is disabled."),
    AadstsError(
        50076,
        "invalid_grant",
        400,
        _MFA + " you must use multi-factor authentication to access '{resource}'.",
        "basic_action",
        MFA_CLAIMS,
    ),
    AadstsError(
        50079,
        "invalid_grant",
        400,
        _MFA + " you must enroll in multi-factor authentication to access '{resource}'.",
        "basic_action",
    ),
    AadstsError(50126, "invalid_grant", 400, "Error validating credentials due to invalid username or password."),
    AadstsError(
        50158,
        "invalid_grant",
        400,
        "External security challenge not satisfied. User will be redirected "
        "to another page or authentication provider to satisfy additional authentication challenges.",
        "basic_action",
    ),
    AadstsError(
        50173,
        "invalid_grant",
        400,
        "The provided grant has expired due to it being revoked, a fresh auth "
        "token is needed. The user might have changed or reset their password. The grant was issued on "
        "'{issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is "
        "'{valid_from}'.",
    ),
    AadstsError(
        50196,
        "invalid_grant",
        400,
        "The server terminated an operation because it encountered a client "
        "request loop. Please contact your app vendor.",
    ),
    AadstsError(
        53003,
        "interaction_required",
        400,
        "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
        "message_only",
    ),
    AadstsError(
        65001,
        "invalid_grant",
        400,
        "The user or administrator has not consented to use the application "
        "with ID '{client_id}' named '{client_id}'. Send an interactive authorization request for this "
        "user and resource.",
        "consent_required",
    ),
    AadstsError(
        70000,
        "invalid_grant",
        400,
        "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid.",
    ),
    AadstsError(70003, "unsupported_grant_type", 400, "The app requested an unsupported grant type '{grant_type}'."),
    AadstsError(
        70008,
        "invalid_grant",
        400,
        "The provided authorization code or refresh token has expired due "
        "to inactivity. Send a new interactive authorization request for this user and resource.",
    ),
    AadstsError(
        70043,
        "invalid_grant",
        400,
        "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. "
        "The token was issued on {issued} and the maximum allowed lifetime for this request is {lifetime}.",
    ),
    AadstsError(
        90002,
        "invalid_request",
        400,
        "Tenant '{tenant}' not found. Check to make sure you have the "
        "correct tenant ID and are signing into the correct cloud. Check with your subscription "
        "administrator, this may happen if there are no active subscriptions for the tenant.",
    ),
    AadstsError(90033, "temporarily_unavailable", 503, "A transient error has occurred. Please try again."),
    AadstsError(
        90055,
        "temporarily_unavailable",
        429,
        "TenantThrottlingError - There are too many incoming requests. Please try again later.",
    ),
    AadstsError(
        500011,
        "invalid_resource",
        400,
        "The resource principal named {resource} was not found in the "
        "tenant named {tenant}. This can happen if the application has not been installed by the "
        "administrator of the tenant or consented to by any user in the tenant. You might have sent your "
        "authentication request to the wrong tenant.",
    ),
    AadstsError(
        700016,
        "unauthorized_client",
        400,
        "Application with identifier '{client_id}' was not found in "
        "the directory '{tenant}'. This can happen if the application has not been installed by the "
        "administrator of the tenant or consented to by any user in the tenant. You may have sent your "
        "authentication request to the wrong tenant.",
    ),
    AadstsError(
        700082,
        "invalid_grant",
        400,
        "The refresh token has expired due to inactivity. The token was issued on {issued} and was inactive "
        "for 90.00:00:00.",
        "bad_token",
    ),
    AadstsError(
        900144, "invalid_request", 400, "The request body must contain the following parameter: '{parameter}'."
    ),
    AadstsError(
        900561, "invalid_request", 405, "The endpoint only accepts POST requests. Received a {method} request."
    ),
    AadstsError(
        7000218,
        "invalid_client",
        401,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
    AadstsError(9002313, "invalid_grant", 400, "Invalid request. Request is malformed or invalid."),
)
AADSTS_ERRORS: Final[Mapping[int, AadstsError]] = {row.code: row for row in _ROWS}
"""Every AADSTS code the emulator can answer with, by code."""


@dataclass(frozen=True, slots=True)
class Trace:
    """The identifiers Entra stamps on an answer."""

    trace_id: str
    correlation_id: str
    timestamp: str
    """UTC, as Entra writes it: ``2024-05-01 12:34:56Z``."""
    host: str

    @classmethod
    def of(cls, request: Request, now: float) -> Trace:
        """Fresh identifiers for ``request``; its ``client-request-id`` header becomes the correlation id."""
        correlation = request.headers.get("client-request-id", "")
        try:
            correlation = str(uuid.UUID(correlation))
        except ValueError:
            correlation = str(uuid.uuid4())
        moment = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        host = request.host if request.host.startswith("login.") else "login.microsoftonline.com"
        return cls(str(uuid.uuid4()), correlation, moment.strftime("%Y-%m-%d %H:%M:%SZ"), host)


def entra_error(
    code: int,
    trace: Trace,
    details: Mapping[str, str] | None = None,
    *,
    status: int | None = None,
    error: str | None = None,
) -> Response:
    """Entra's JSON error answer for an AADSTS ``code``; status and ``error`` from the table unless given."""
    row = AADSTS_ERRORS[code]
    description = (
        f"{row.describe(details or {})} Trace ID: {trace.trace_id} "
        f"Correlation ID: {trace.correlation_id} Timestamp: {trace.timestamp}"
    )
    body: dict[str, Any] = {
        "error": error or row.error,
        "error_description": description,
        "error_codes": [code],
        "timestamp": trace.timestamp,
        "trace_id": trace.trace_id,
        "correlation_id": trace.correlation_id,
        "error_uri": f"https://{trace.host}/error?code={code}",
    }
    if row.suberror:
        body["suberror"] = row.suberror
    if row.claims:
        body["claims"] = row.claims
    return json_response(status or row.status, body)


def code_for_status(status: int) -> int:
    """The AADSTS code Entra pairs with a bare HTTP status: throttling, transient, or malformed request."""
    if status == 429:
        return 90055
    return 90033 if status >= 500 else 9002313
