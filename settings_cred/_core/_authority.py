"""Authority and tenant rules: pure functions, no I/O, azure-identity's semantics.

The settings layer validates with them too, so the module loads neither azure-core nor the errors
(they are imported on the paths that raise them).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from string import ascii_letters, digits
from urllib.parse import urlparse

from .._constants import ENV_AUTHORITY_HOST, ENV_DISABLE_MULTITENANT_AUTH, AzureAuthorityHosts

_LOGGER = logging.getLogger("settings_cred")
_TENANT_CHARACTERS = frozenset(ascii_letters + digits + "-.")


def normalize_authority(authority: str) -> str:
    """Return `authority` as an https URL without trailing slashes; reject any other scheme."""
    parsed = urlparse(authority)
    if not parsed.scheme:
        return "https://" + authority.rstrip(" /")
    if parsed.scheme != "https":
        raise ValueError(
            f"'{authority}' is an invalid authority. The value must be a TLS protected (https) URL, "
            f"for example '{AzureAuthorityHosts.AZURE_PUBLIC_CLOUD}'."
        )
    return authority.rstrip(" /")


def default_authority(environ: Mapping[str, str]) -> str:
    """The authority from `AZURE_AUTHORITY_HOST`, or the public cloud's."""
    return normalize_authority(environ.get(ENV_AUTHORITY_HOST) or AzureAuthorityHosts.AZURE_PUBLIC_CLOUD)


def validate_tenant_id(tenant_id: str) -> None:
    """Raise `ValueError` unless `tenant_id` is non-empty and made of letters, digits, '-' and '.'."""
    if not tenant_id or any(c not in _TENANT_CHARACTERS for c in tenant_id):
        raise ValueError(
            "Invalid tenant ID provided. Use a tenant GUID or a verified domain (letters, digits, '-' and '.'); "
            "see https://learn.microsoft.com/partner-center/find-ids-and-domain-names"
        )


def validate_scopes(scopes: Sequence[str], method: str) -> None:
    """Raise `ValueError` when no scope was given, as azure-identity does."""
    if not scopes:
        raise ValueError(f"'{method}' requires at least one scope")


def validate_claims(claims: str | None) -> None:
    """Raise ``ClientAuthenticationError`` unless `claims` is absent or a JSON object (a claims challenge)."""
    if not claims:
        return
    try:
        valid = isinstance(json.loads(claims), dict)
    except ValueError:
        valid = False
    if not valid:
        from azure.core.exceptions import ClientAuthenticationError  # noqa: PLC0415 - the settings layer uses the

        from .._errors._base import forget_handled_exception  # noqa: PLC0415 - rest of this module without them

        error = ClientAuthenticationError(
            message="The claims challenge is not a JSON object. Pass the 'claims' parameter of the resource's "
            "WWW-Authenticate header, base64-decoded, unchanged."
        )
        forget_handled_exception(error)
        raise error


def resolve_tenant(
    default_tenant: str,
    requested_tenant: str | None,
    *,
    additionally_allowed_tenants: Sequence[str],
    environ: Mapping[str, str],
) -> str:
    """The tenant a token request goes to, following azure-identity's multi-tenant rules."""
    if requested_tenant is None or requested_tenant == default_tenant:
        return default_tenant
    if default_tenant == "adfs" or environ.get(ENV_DISABLE_MULTITENANT_AUTH):
        _LOGGER.info(
            "Token requested for tenant %s but multi-tenant authentication is disabled; using %s",
            requested_tenant,
            default_tenant,
        )
        return default_tenant
    validate_tenant_id(requested_tenant)
    if "*" in additionally_allowed_tenants or requested_tenant in additionally_allowed_tenants:
        return requested_tenant
    if not additionally_allowed_tenants and default_tenant == "organizations":
        return requested_tenant
    from ..errors import TenantNotAllowedError  # noqa: PLC0415 - see validate_claims

    raise TenantNotAllowedError(requested_tenant)
