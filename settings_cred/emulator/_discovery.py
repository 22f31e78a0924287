"""What msal asks before a token request: instance discovery, OpenID metadata and user realm."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

from ._directory import CONSUMERS_TENANT_ID, META_TENANTS, Directory
from ._errors import Trace, entra_error
from ._hosts import AUTHORITY_HOST, AUTHORITY_HOSTS
from ._http import Request, Response, json_response

CLOUD_METADATA: Final[tuple[dict[str, Any], ...]] = (
    {
        "preferred_network": "login.microsoftonline.com",
        "preferred_cache": "login.windows.net",
        "aliases": ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
    },
    {
        "preferred_network": "login.partner.microsoftonline.cn",
        "preferred_cache": "login.partner.microsoftonline.cn",
        "aliases": ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
    },
    {
        "preferred_network": "login.microsoftonline.us",
        "preferred_cache": "login.microsoftonline.us",
        "aliases": ["login.microsoftonline.us", "login.usgovcloudapi.net"],
    },
    {
        "preferred_network": "login-us.microsoftonline.com",
        "preferred_cache": "login-us.microsoftonline.com",
        "aliases": ["login-us.microsoftonline.com"],
    },
)
"""The clouds and host aliases Entra's instance discovery lists."""
KNOWN_INSTANCES: Final = frozenset(alias for group in CLOUD_METADATA for alias in group["aliases"])
_REALM: Final = {"cloud_instance_name": "microsoftonline.com", "cloud_audience_urn": "urn:federation:MicrosoftOnline"}
_CACHEABLE: Final = ("Cache-Control", "max-age=86400, private")


def instance_discovery(request: Request, trace: Trace) -> Response:
    """``GET /common/discovery/instance``: where the tenant's metadata lives, and the host aliases."""
    endpoint = request.query.get("authorization_endpoint", f"https://{AUTHORITY_HOST}/common/oauth2/authorize")
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if host not in KNOWN_INSTANCES:
        return entra_error(50049, trace)
    tenant = parts.path.split("/")[1] if parts.path.count("/") > 1 else "common"
    version = "v2.0/" if "/v2.0/" in parts.path else ""
    body = {
        "tenant_discovery_endpoint": f"https://{host}/{tenant}/{version}.well-known/openid-configuration",
        "api-version": request.query.get("api-version", "1.1"),
        "metadata": CLOUD_METADATA,
    }
    return json_response(200, body, _CACHEABLE)


def openid_configuration(request: Request, segment: str, directory: Directory, trace: Trace) -> Response:
    """``GET /<tenant>/v2.0/.well-known/openid-configuration`` for a known tenant or a multi-tenant alias."""
    tenant = segment.lower()
    region: str | None = None
    if tenant in META_TENANTS:
        issuer_tenant = CONSUMERS_TENANT_ID if tenant == "consumers" else "{tenantid}"
    else:
        found = directory.find_tenant(segment)
        if found is None:
            return entra_error(90002, trace, {"tenant": segment}, error="invalid_tenant")
        tenant = issuer_tenant = found
        region = "NA"
    host = request.host if request.host in AUTHORITY_HOSTS else request.netloc
    base = f"https://{host}/{tenant}"
    body = {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"https://{host}/{issuer_tenant}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "acr",
            "nonce",
            "preferred_username",
            "name",
            "tid",
            "ver",
            "at_hash",
            "c_hash",
            "email",
        ],
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": region,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    }
    return json_response(200, body, _CACHEABLE)


def user_realm(username: str, directory: Directory) -> Response:
    """``GET /common/userrealm/<username>``: ``Managed`` for the directory's domains, else ``Unknown``."""
    domain = username.rpartition("@")[2].lower()
    if domain and directory.knows_domain(domain):
        body = {"ver": "1.0", "account_type": "Managed", "domain_name": domain, **_REALM}
    else:
        body = {"ver": "1.0", "account_type": "Unknown", **_REALM}
    return json_response(200, body)
