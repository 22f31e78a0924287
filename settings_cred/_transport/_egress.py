"""The last wall before a secret leaves: it goes only to the configured authority, and never as a reference.

Whatever authority metadata says (fetched, cached, or planted by someone who could write the cache), a
request whose form carries a password, client secret, assertion or refresh token is sent only to the
configured authority host or to an alias that instance discovery returned for that host. And text
shaped like an unresolved Key Vault reference is never sent as a secret.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

from ..errors import CredentialUnavailableError, UntrustedEndpointError

SECRET_FIELDS: Final = ("password", "client_secret", "client_assertion", "refresh_token")
_REFERENCE_PREFIX: Final = "@microsoft.keyvault("


def _host(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port or 443


class EgressGuard:
    """The hosts a secret may be posted to: the authority's, plus its discovered aliases."""

    def __init__(self, authority: str) -> None:
        self._authority = authority
        self._home = _host(authority)
        self._allowed = {self._home}
        self._lock = threading.Lock()

    def learn(self, url: str, body: str) -> None:
        """Add the aliases that an instance discovery answer lists for the authority host."""
        if "/discovery/instance" not in url:
            return
        try:
            groups = json.loads(body).get("metadata") or []
        except (ValueError, AttributeError):
            return
        host, port = self._home
        for group in groups if isinstance(groups, list) else []:
            aliases = {str(a).lower() for a in group.get("aliases") or []} if isinstance(group, dict) else set()
            if host in aliases:
                with self._lock:
                    self._allowed.update((alias, port) for alias in aliases)

    def check(self, url: str, form: Mapping[str, str]) -> None:
        """Raise unless `form` may be posted to `url` (no secret, or a trusted host and no reference)."""
        carried = [name for name in SECRET_FIELDS if form.get(name)]
        if not carried:
            return
        for name in ("password", "client_secret"):
            if str(form.get(name) or "").lstrip().lower().startswith(_REFERENCE_PREFIX):
                raise CredentialUnavailableError(
                    message=f"The {name.replace('_', ' ')} is an unresolved Key Vault reference "
                    "(@Microsoft.KeyVault(...)), so it was not sent to Microsoft Entra ID. Resolve references when "
                    "loading settings (settings_cred resolves them by default) or give the secret itself."
                )
        host = _host(url)
        with self._lock:
            trusted = host in self._allowed
        if not trusted:
            raise UntrustedEndpointError(host[0], self._authority)
