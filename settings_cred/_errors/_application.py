"""What Entra ID answers about an application's own credentials, and managed identity refusals."""

from __future__ import annotations

from ._base import EntraAuthenticationError


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
