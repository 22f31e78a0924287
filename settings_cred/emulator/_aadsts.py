"""Entra's AADSTS codes: one table row per code, with the OAuth ``error`` it travels with, the HTTP
status, the message (``{placeholders}`` are filled from the request) and the ``suberror`` Entra adds.

Messages follow what Entra answers today (as quoted in Microsoft's docs, the Azure SDK troubleshooting
guides and public bug reports); codes whose wording varies keep Entra's structure with a ``{reason}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

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
    AadstsError(50027, "invalid_request", 400, "JWT token is invalid or malformed."),
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
        50059,
        "invalid_request",
        400,
        "No tenant-identifying information found in either the request or implied by any provided credentials.",
    ),
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
        70021,
        "invalid_request",
        400,
        "No matching federated identity record found for presented assertion. Assertion Issuer: '{issuer}'. "
        "Assertion Subject: '{subject}'. Assertion Audience: '{audience}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
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
        700021,
        "invalid_client",
        401,
        "Client assertion application identifier doesn't match 'client_id' parameter. "
        "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.",
    ),
    AadstsError(
        700023,
        "invalid_client",
        401,
        "Client assertion audience claim does not match Realm issuer. "
        "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.",
    ),
    AadstsError(
        700024,
        "invalid_client",
        401,
        "Client assertion is not within its valid time range. Current time: {now}, assertion valid from "
        "{valid_from}, expiry time of assertion {expires}. "
        "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.",
    ),
    AadstsError(
        700025,
        "invalid_client",
        400,
        "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),
    AadstsError(
        700027,
        "invalid_client",
        401,
        "Client assertion failed signature validation. [Reason - {reason}, Thumbprint of key used by client: "
        "'{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured "
        "keys for app Id '{client_id}'.]",
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
        700211,
        "invalid_client",
        401,
        "No matching federated identity record found for presented assertion issuer '{issuer}'. Please check "
        "your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    ),
    AadstsError(
        700212,
        "invalid_client",
        401,
        "No matching federated identity record found for presented assertion audience '{audience}'. Please check "
        "your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    ),
    AadstsError(
        700213,
        "invalid_client",
        401,
        "No matching federated identity record found for presented assertion subject '{subject}'. Check your "
        "federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
    ),
    AadstsError(
        900144, "invalid_request", 400, "The request body must contain the following parameter: '{parameter}'."
    ),
    AadstsError(
        900561, "invalid_request", 405, "The endpoint only accepts POST requests. Received a {method} request."
    ),
    AadstsError(
        1002012,
        "invalid_scope",
        400,
        "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with "
        "/.default suffixed to the resource identifier (application ID URI).",
    ),
    AadstsError(
        7000215,
        "invalid_client",
        401,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
        "not the client secret ID, for a secret added to app '{client_id}'.",
    ),
    AadstsError(
        7000218,
        "invalid_client",
        401,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
    AadstsError(
        7000222,
        "invalid_client",
        401,
        "The provided client secret keys for app '{client_id}' are expired. Visit the Azure portal to create new "
        "keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added "
        "security: https://aka.ms/certCreds.",
    ),
    AadstsError(
        7000272,
        "invalid_client",
        401,
        "The certificate with identifier {kid} used to sign the federated credential could not be found in the "
        "metadata of identity provider {issuer}. Please validate that your Identity Provider's metadata exposes the "
        "key used to sign the incoming token.",
    ),
    AadstsError(9002313, "invalid_grant", 400, "Invalid request. Request is malformed or invalid."),
)
AADSTS_ERRORS: Final[Mapping[int, AadstsError]] = {row.code: row for row in _ROWS}
"""Every AADSTS code the emulator can answer with, by code."""
