"""App Service's Key Vault reference syntax: detection and a strict parser (pure functions).

    @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>])
    @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])

Error messages describe what is wrong without echoing the text, which may sit in a secret setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

PREFIX: Final = "@microsoft.keyvault"
VAULT_SUFFIXES: Final = {
    "login.microsoftonline.com": ".vault.azure.net",
    "login.chinacloudapi.cn": ".vault.azure.cn",
    "login.microsoftonline.us": ".vault.usgovcloudapi.net",
}
"""Key Vault's DNS suffix in each cloud, by authority host."""
PUBLIC_VAULT_SUFFIX: Final = ".vault.azure.net"
_VAULT_NAME = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$")
_SECRET_NAME = re.compile(r"^[A-Za-z0-9-]{1,127}$")
_VERSION = re.compile(r"^[0-9A-Fa-f]{32}$")
_KEY = re.compile(r"^[A-Za-z]{1,32}$")
FORMS: Final = (
    "@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>]) or "
    "@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])"
)
"""The two accepted forms, for messages."""
_NAME_KEYS: Final = "VaultName, SecretName and SecretVersion"
_KEYS: Final = frozenset({"secreturi", "vaultname", "secretname", "secretversion"})


class ReferenceSyntaxError(ValueError):
    """Text that starts like a Key Vault reference but does not follow the syntax."""


@dataclass(frozen=True, slots=True)
class KeyVaultReference:
    """One secret in one vault, optionally pinned to a version."""

    vault_url: str
    name: str
    version: str | None = None

    @property
    def secret_uri(self) -> str:
        """``https://<vault>.vault.azure.net/secrets/<name>[/<version>]``."""
        tail = f"/{self.version}" if self.version else ""
        return f"{self.vault_url}/secrets/{self.name}{tail}"

    @property
    def pinned(self) -> bool:
        """Whether the reference names a version (which never changes)."""
        return self.version is not None


def looks_like_reference(value: object) -> bool:
    """Whether ``value`` is text that starts like an App Service Key Vault reference."""
    return isinstance(value, str) and value.lstrip().lower().startswith(PREFIX)


def parse_reference(text: str, *, vault_suffix: str = PUBLIC_VAULT_SUFFIX) -> KeyVaultReference:
    """Parse a reference; ``vault_suffix`` completes a ``VaultName``. Raises :class:`ReferenceSyntaxError`."""
    stripped = text.strip()
    head = stripped[: len(PREFIX) + 1].lower()
    if head != PREFIX + "(" or not stripped.endswith(")"):
        raise ReferenceSyntaxError(f"it must have the form {FORMS}")
    pairs = _pairs(stripped[len(PREFIX) + 1 : -1])
    if "secreturi" in pairs:
        if len(pairs) > 1:
            raise ReferenceSyntaxError("SecretUri cannot be combined with VaultName, SecretName or SecretVersion")
        return _from_uri(pairs["secreturi"])
    if "vaultname" not in pairs or "secretname" not in pairs:
        raise ReferenceSyntaxError(f"it needs SecretUri, or VaultName and SecretName: {FORMS}")
    vault = _checked(pairs["vaultname"], _VAULT_NAME, "VaultName", "3-24 letters, digits and single hyphens")
    return KeyVaultReference(
        f"https://{vault.lower()}{vault_suffix}",
        _checked(pairs["secretname"], _SECRET_NAME, "SecretName", "1-127 letters, digits and hyphens"),
        _version(pairs.get("secretversion")),
    )


def _pairs(body: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in body.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise ReferenceSyntaxError(f"each part must be Key=Value with Key one of SecretUri, {_NAME_KEYS}")
        if key.lower() not in _KEYS:
            raise ReferenceSyntaxError(f"unknown key {key!r}: use SecretUri, or {_NAME_KEYS}")
        if key.lower() in pairs:
            raise ReferenceSyntaxError(f"{key} is given twice")
        pairs[key.lower()] = value.strip()
    return pairs


def _from_uri(uri: str) -> KeyVaultReference:
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        raise ReferenceSyntaxError("SecretUri is not a valid URL") from None
    host = (parts.hostname or "").lower()
    suffix = next((s for s in VAULT_SUFFIXES.values() if host.endswith(s)), None)
    if parts.scheme.lower() != "https" or suffix is None or port not in (None, 443):
        raise ReferenceSyntaxError("SecretUri must be https://<vault>.vault.azure.net/... (or a national cloud's)")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ReferenceSyntaxError("SecretUri must not carry a query, a fragment or credentials")
    _checked(host[: -len(suffix)], _VAULT_NAME, "the vault name in SecretUri", "3-24 letters, digits and hyphens")
    segments = parts.path.strip("/").split("/")
    if len(segments) not in (2, 3) or segments[0].lower() != "secrets":
        raise ReferenceSyntaxError("SecretUri's path must be /secrets/<name> or /secrets/<name>/<version>")
    name = _checked(segments[1], _SECRET_NAME, "the secret name in SecretUri", "1-127 letters, digits and hyphens")
    return KeyVaultReference(f"https://{host}", name, _version(segments[2] if len(segments) == 3 else None))


def _version(value: str | None) -> str | None:
    if not value:
        return None
    return _checked(value, _VERSION, "the secret version", "32 hexadecimal digits").lower()


def _checked(value: str, pattern: re.Pattern[str], what: str, rule: str) -> str:
    if not pattern.match(value):
        raise ReferenceSyntaxError(f"{what} is not valid ({rule})")
    return value
