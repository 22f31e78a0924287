"""What Entra ID answers about a user's sign-in: password, account, interaction, application, tenant."""

from __future__ import annotations

from ._base import EntraAuthenticationError


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
