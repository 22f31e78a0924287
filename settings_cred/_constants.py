"""Names and numbers shared with azure-identity, kept verbatim so settings_cred is a drop-in."""

from __future__ import annotations

from typing import Final

DEFAULT_TENANT: Final = "organizations"
META_TENANTS: Final = frozenset({"organizations", "common", "consumers"})
"""Authority segments that name no tenant: an application cannot sign in to its own tenant through them."""
DEFAULT_REFRESH_OFFSET: Final = 300
"""Seconds before expiry at which a token is refreshed (azure-identity's value)."""
DEFAULT_TOKEN_REFRESH_RETRY_DELAY: Final = 30
"""Seconds to wait before retrying a failed background refresh (azure-identity's value)."""

ENV_AUTHORITY_HOST: Final = "AZURE_AUTHORITY_HOST"
ENV_DISABLE_MULTITENANT_AUTH: Final = "AZURE_IDENTITY_DISABLE_MULTITENANTAUTH"


class AzureAuthorityHosts:
    """Microsoft Entra ID authority hosts of the national clouds (same values as azure-identity)."""

    AZURE_CHINA: Final = "login.chinacloudapi.cn"
    AZURE_GOVERNMENT: Final = "login.microsoftonline.us"
    AZURE_PUBLIC_CLOUD: Final = "login.microsoftonline.com"


KnownAuthorities = AzureAuthorityHosts
"""Alias of :class:`AzureAuthorityHosts`, as in azure-identity."""

DEFAULT_AUTHENTICATE_SCOPES: Final[dict[str, tuple[str, ...]]] = {
    "https://" + AzureAuthorityHosts.AZURE_CHINA: ("https://management.core.chinacloudapi.cn//.default",),
    "https://" + AzureAuthorityHosts.AZURE_GOVERNMENT: ("https://management.core.usgovcloudapi.net//.default",),
    "https://" + AzureAuthorityHosts.AZURE_PUBLIC_CLOUD: ("https://management.core.windows.net//.default",),
}
"""Scopes `authenticate()` requests when none are given, per authority (azure-identity's table)."""
