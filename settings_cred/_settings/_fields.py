"""Per-field validation rules: pure functions that raise ``ValueError`` naming the rule, never the value."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from .._core._authority import normalize_authority, validate_tenant_id
from .._store._key_strength import KEY_ADVICE, MIN_KEY_CHARACTERS, key_weakness
from .._store._options import REDIS_SCHEMES, valid_cache_name
from ._kind import KINDS
from ._paths import UnusablePathError, expand, kind
from ._references import looks_like_reference

EXPECTED: Final = {
    "client_id": "the application (client) ID of the app registration (or of a user-assigned managed identity)",
    "username": "the user's UPN, such as svc-reports@contoso.onmicrosoft.com",
    "password": "the user's password",
    "tenant_id": "a tenant GUID or verified domain, or organizations",
    "credential_kind": f"one of {', '.join(KINDS)}",
    "client_secret": "the value (not the ID) of one of the app registration's client secrets",
    "client_certificate_path": "the path of a PEM or PKCS#12 (.pfx) file with the certificate and its private key",
    "client_certificate_password": "the password of the certificate file's private key",
    "federated_token_file": "the path of the federated token file (AKS projects it)",
    "authority_host": "an https authority host such as login.microsoftonline.com",
    "additionally_allowed_tenants": "tenant IDs separated by ';', or *",
    "token_cache_name": "a file name prefix such as msal.cache (no path separators)",
    "token_cache_url": "a Redis URL: redis://, rediss:// (TLS) or unix://",
    "token_cache_key": f"a random secret of at least {MIN_KEY_CHARACTERS} characters",
    "token_cache_dir": "a directory path",
    "ca_bundle": "the path of a PEM file with the CA certificates to trust",
    "https_proxy": "a proxy URL such as http://proxy.example.com:3128",
}
"""What each field expects, for error messages and docs; booleans expect ``true`` or ``false``."""
_PROXY_SCHEMES: Final = frozenset({"http", "https", "socks5", "socks5h"})
MAX_PATH_CHARACTERS: Final = 1024
"""Longer than any path a person writes: the value is taken for a file's content."""


def expected(name: str) -> str:
    """What field ``name`` expects, in words."""
    return EXPECTED.get(name, "true or false")


def pending(value: object) -> bool:
    """Whether ``value`` is a Key Vault reference left unresolved on purpose (rules then wait for it)."""
    return looks_like_reference(value)


def check_text(value: str) -> str:
    """Non-empty after trimming surrounding whitespace."""
    if not value:
        raise ValueError("it is empty")
    return value


def check_username(value: str) -> str:
    """A non-empty name without whitespace inside."""
    if any(c.isspace() for c in check_text(value)):
        raise ValueError("it contains whitespace")
    return value


def check_tenant(value: str) -> str:
    """A tenant GUID, a domain, or ``organizations``/``common``."""
    validate_tenant_id(value)
    return value


def check_authority(value: str) -> str:
    """An https authority, returned normalized (``https://host``)."""
    try:
        return normalize_authority(value)
    except ValueError:
        raise ValueError("the authority must be an https URL or a host name") from None


def split_tenants(value: object) -> object:
    """``a;b`` -> ``("a", "b")``: the separator other Azure SDKs use; blanks are dropped."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


def check_tenants(value: tuple[str, ...]) -> tuple[str, ...]:
    """Each entry a valid tenant, or ``*``."""
    for tenant in value:
        if tenant != "*":
            validate_tenant_id(tenant)
    return value


def check_cache_name(value: str) -> str:
    """A file name prefix: letters, digits, ``.``, ``_`` and ``-``, not starting with ``.``."""
    if not valid_cache_name(value):
        raise ValueError("the name may use letters, digits, '.', '_' and '-' and must not start with '.'")
    return value


def check_cache_key(value: str) -> str:
    """At least :data:`MIN_KEY_CHARACTERS` characters, and not predictable (one repeated character or word)."""
    weakness = key_weakness(value)
    if weakness == "short":
        raise ValueError(f"the key is shorter than {MIN_KEY_CHARACTERS} characters; {KEY_ADVICE}")
    if weakness == "predictable":
        raise ValueError(f"the key is too predictable (repeated or few distinct characters); {KEY_ADVICE}")
    return value


def check_file(value: Path) -> Path:
    """An existing file, ``~`` expanded; a value that looks like a file's content is never echoed."""
    if looks_like_content(os.fspath(value)):
        raise ValueError("it looks like the content of a file (a certificate or a token), not its path")
    try:
        path = expand(value)
        found = kind(path)
    except UnusablePathError as problem:
        reason = str(problem)
    else:
        reason = "" if found == "file" else f"there is no file at {path}"
    if reason:
        raise ValueError(reason)
    return path


def looks_like_content(text: str) -> bool:
    """Whether a path setting holds what should be in the file (PEM, a JWT, base64): never shown in a message."""
    return "\n" in text or "-----BEGIN" in text or len(text) > MAX_PATH_CHARACTERS or text.startswith("eyJ")


def check_store_url(value: str) -> str:
    """A Redis URL (``redis://``, ``rediss://`` or ``unix://``) with a host or a socket path."""
    if not _url_ok(value, REDIS_SCHEMES):
        raise ValueError("it is not a Redis URL (redis://host:6379/0, rediss://host:6380/0 or unix:///path)")
    return value


def check_cache_dir(value: Path) -> Path:
    """A usable directory path (it may not exist yet), ``~`` expanded."""
    try:
        return expand(value)
    except UnusablePathError as problem:
        reason = str(problem)
    raise ValueError(reason)


def check_proxy(value: str) -> str:
    """A proxy URL with a scheme requests understands and a host."""
    if not _url_ok(value, _PROXY_SCHEMES):
        raise ValueError("it is not a proxy URL (http://host:port)")
    return value


def _url_ok(value: str, schemes: frozenset[str]) -> bool:
    """Whether ``value`` is a URL with one of ``schemes``, a host (for ``unix``, a socket path) and no port 0.

    The ``ValueError`` of a malformed URL is not kept: the caller raises its own message, with nothing chained.
    """
    try:
        parts = urlsplit(value)
        scheme = parts.scheme.lower()
        port = parts.port
        where = parts.path if scheme == "unix" else parts.hostname
    except ValueError:
        return False
    return scheme in schemes and bool(where) and port != 0


CHECKS: Final[dict[str, Callable[[Any], Any]]] = {
    "client_id": check_text,
    "username": check_username,
    "password": check_text,
    "tenant_id": check_tenant,
    "client_secret": check_text,
    "client_certificate_path": check_file,
    "client_certificate_password": check_text,
    "federated_token_file": check_file,
    "authority_host": check_authority,
    "additionally_allowed_tenants": check_tenants,
    "token_cache_name": check_cache_name,
    "token_cache_url": check_store_url,
    "token_cache_key": check_cache_key,
    "token_cache_dir": check_cache_dir,
    "ca_bundle": check_file,
    "https_proxy": check_proxy,
}
"""The rule each field's value must pass after type validation."""
TRIMMED_FIELDS: Final = (
    "client_id",
    "username",
    "tenant_id",
    "credential_kind",
    "authority_host",
    "token_cache_name",
    "token_cache_url",
    "https_proxy",
)
"""Fields whose surrounding whitespace is dropped (never a secret's)."""
PATH_FIELDS: Final = frozenset({"client_certificate_path", "federated_token_file"})
"""Fields that name a file the credential reads itself: an ``X_FILE`` or a secrets directory's entry *is* that file."""
LOCATION_FIELDS: Final = frozenset({*PATH_FIELDS, "ca_bundle", "token_cache_dir"})
"""Fields that hold a location: a Key Vault reference, which gives a value rather than a file, is refused there."""
TEXT_FIELDS: Final = frozenset(
    {*TRIMMED_FIELDS, "password", "client_secret", "client_certificate_password", "token_cache_key"}
)
"""Fields that may hold an unresolved reference's text (``resolve_references=False``); others drop it."""
