"""Reading referenced secrets from Key Vault: one ``get_secret`` each, in parallel, under a deadline.

Each read runs in a daemon thread, so a vault that never answers costs the caller the timeout and
nothing more (not even at interpreter exit). Failures become :class:`KeyVaultFetchError` with a
reason and a fix; no message ever carries a secret's value.
"""

from __future__ import annotations

import contextvars
import importlib.util
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import urlsplit

from .. import _telemetry
from .._secret import Secret
from .._transport._options import DEFAULT_RETRY_BACKOFF_FACTOR, DEFAULT_RETRY_TOTAL
from ._references import KeyVaultReference

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError
    from azure.keyvault.secrets import SecretClient

KEYVAULT_EXTRA: Final = "settings-cred[keyvault]"
"""The extra that brings azure-keyvault-secrets and azure-identity (for the default bootstrap credential)."""
_OPTIONAL: Final = {"azure.identity": "azure-identity", "azure.keyvault.secrets": "azure-keyvault-secrets"}
DEFAULT_CHAIN: Final = (
    "workload identity when configured, managed identity, then Azure CLI, Azure Developer CLI and Azure "
    "PowerShell sign-ins; never a password"
)
"""The default bootstrap credential (``_bootstrap.py``), in words, for messages and docs."""
DEFAULT_CHAIN_FIX: Final = (
    "on Azure, give the app a managed identity (or a workload identity) that may Get the vault's secrets; on a "
    "developer machine, sign in with az login (or azd auth login); or pass keyvault_credential= a credential "
    "that works here"
)
"""What to do when the default chain gets no token."""
DEFAULT_TIMEOUT: Final = 10.0
"""Seconds to wait for all references of one load (or one refresh) before giving up."""
DEFAULT_REFRESH_INTERVAL: Final = 300.0
"""Seconds after which a versionless reference is read again."""
_PERMISSION_FIX: Final = (
    "grant the bootstrap identity the Get permission on secrets (RBAC role 'Key Vault Secrets User' on the "
    "vault or the secret, or an access policy with secret Get); List is not needed"
)


def missing_packages() -> list[str]:
    """The packages of :data:`KEYVAULT_EXTRA` that cannot be imported here (none on a full install)."""
    missing = []
    for module, distribution in _OPTIONAL.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except ImportError:  # its parent package is missing too
            found = False
        if not found:
            missing.append(distribution)
    return missing


class KeyVaultFetchError(Exception):
    """A referenced secret could not be read: ``reason`` says what happened, ``fix`` what to do."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(f"{reason}. Fix: {fix}")
        self.reason = reason
        self.fix = fix


class VaultAccess(NamedTuple):
    """How to reach Key Vault: the bootstrap credential, SecretClient options, the deadline, and whether the
    credential is the default chain (its failure is explained differently)."""

    credential: TokenCredential
    options: Mapping[str, Any]
    timeout: float = DEFAULT_TIMEOUT
    default_chain: bool = False


def fetch_secret(access: VaultAccess, reference: KeyVaultReference) -> Secret:
    """One ``get_secret`` for ``reference``; raises :class:`KeyVaultFetchError` (nothing chained to it)."""
    secret_client = _secret_client_class()
    from azure.core.exceptions import AzureError  # noqa: PLC0415 - loaded with the SDK client just above

    options = {"retry_total": DEFAULT_RETRY_TOTAL, "retry_backoff_factor": DEFAULT_RETRY_BACKOFF_FACTOR}
    options.update(access.options)
    per_request: dict[str, Any] = {"connection_timeout": access.timeout, "read_timeout": access.timeout}
    failure = None
    try:
        with secret_client(reference.vault_url, access.credential, **options) as client:
            value = Secret(client.get_secret(reference.name, reference.version, **per_request).value or "")
    except AzureError as exc:
        failure = _explained(exc, access, reference.vault_url)
    if failure is not None:
        raise failure  # outside the except: the SDK's exception and its frames are not kept
    if not value:
        raise KeyVaultFetchError("the secret has no value", "store a non-empty value in the secret")
    return value


def _secret_client_class() -> type[SecretClient]:
    """azure-keyvault-secrets' ``SecretClient``; :class:`KeyVaultFetchError` naming the extra when missing."""
    try:
        from azure.keyvault.secrets import SecretClient  # noqa: PLC0415 - an optional dependency
    except ImportError:
        found = None
    else:
        found = SecretClient
    if found is None:
        raise KeyVaultFetchError("azure-keyvault-secrets is not installed", f"pip install '{KEYVAULT_EXTRA}'")
    return found


def _explained(exc: AzureError, access: VaultAccess, vault_url: str) -> KeyVaultFetchError:
    from azure.core.exceptions import (  # noqa: PLC0415 - loaded already: exc is one of them
        ClientAuthenticationError,
        HttpResponseError,
        ResourceNotFoundError,
        ServiceRequestError,
        ServiceResponseError,
    )

    if isinstance(exc, ResourceNotFoundError):
        return KeyVaultFetchError(
            "the vault has no such secret (or no such version of it)",
            "check the vault and secret names and the version; a deleted secret must be recovered first",
        )
    if isinstance(exc, HttpResponseError) and _answered_by(exc, vault_url):
        code = getattr(exc.error, "code", None) if exc.error is not None else None
        detail = f"HTTP {exc.status_code}" + (f", {code}" if code else "")
        if exc.status_code in (401, 403):
            return KeyVaultFetchError(f"Key Vault refused access ({detail})", _PERMISSION_FIX)
        return KeyVaultFetchError(f"Key Vault answered {detail}", "retry later; check the vault's health")
    if isinstance(exc, ClientAuthenticationError):
        return _no_token(exc, access)
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return KeyVaultFetchError(
            f"the vault could not be reached ({type(exc).__name__})",
            "check the vault name, DNS, firewall and proxy settings (AZURE_HTTPS_PROXY, AZURE_CA_BUNDLE)",
        )
    return KeyVaultFetchError(f"reading the secret failed ({type(exc).__name__})", "retry; check the vault")


def _no_token(exc: ClientAuthenticationError, access: VaultAccess) -> KeyVaultFetchError:
    """The bootstrap credential got no token: the default chain's advice, or the given credential's error."""
    if access.default_chain:
        reason = f"the default bootstrap credential ({DEFAULT_CHAIN}) got no token for Key Vault"
        return KeyVaultFetchError(reason, DEFAULT_CHAIN_FIX)
    first_line = (exc.message or type(exc).__name__).splitlines()[0][:300]
    return KeyVaultFetchError(
        f"the bootstrap credential could not get a token for Key Vault ({type(exc).__name__}: {first_line})",
        "pass keyvault_credential= a credential that works in this environment (for example a managed identity)",
    )


def _answered_by(exc: HttpResponseError, vault_url: str) -> bool:
    """Whether the vault itself sent the error response (not the token endpoint behind a credential)."""
    request = getattr(exc.response, "request", None)
    return request is not None and urlsplit(request.url).hostname == urlsplit(vault_url).hostname


def fetch_all(
    access: VaultAccess, references: Mapping[str, KeyVaultReference]
) -> dict[str, Secret | KeyVaultFetchError]:
    """Read every reference in parallel; each result is the value or the error, within ``access.timeout``."""
    unique = {ref.secret_uri: ref for ref in references.values()}
    results: dict[str, Secret | KeyVaultFetchError] = {}

    def read(uri: str, reference: KeyVaultReference) -> None:
        fields = {"vault": urlsplit(reference.vault_url).hostname, "secret": reference.name}
        with _telemetry.span("settings_cred.keyvault.get_secret", fields) as span:
            try:
                results[uri] = fetch_secret(access, reference)
            except KeyVaultFetchError as exc:
                results[uri] = exc
            except Exception as exc:  # noqa: BLE001 - a bootstrap credential may raise anything
                results[uri] = KeyVaultFetchError(f"reading the secret failed ({type(exc).__name__})", "retry")
            if span is not None and isinstance(results[uri], KeyVaultFetchError):
                span.set_attribute("error.type", "KeyVaultFetchError")

    with _telemetry.span("settings_cred.keyvault.resolve", {"references": len(unique)}):
        threads = [  # each reads in the caller's context, so its span is a child of the caller's
            threading.Thread(
                target=contextvars.copy_context().run, args=(read, *item), name="settings-cred-keyvault", daemon=True
            )
            for item in unique.items()
        ]
        deadline = time.monotonic() + access.timeout
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
    late = KeyVaultFetchError(
        f"Key Vault did not answer within {access.timeout:g} s",
        "check that the vault is reachable from here; raise keyvault_timeout if it is merely slow",
    )
    return {field: results.get(ref.secret_uri, late) for field, ref in references.items()}
