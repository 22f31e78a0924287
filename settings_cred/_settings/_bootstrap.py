"""The default bootstrap credential that reads Key Vault references: managed identity, then developer sign-ins.

Never azure-identity's ``DefaultAzureCredential``: its ``EnvironmentCredential`` reads ``AZURE_CLIENT_ID``,
``AZURE_USERNAME`` and ``AZURE_PASSWORD`` (our variables, with the default prefix) and would post the
unresolved ``@Microsoft.KeyVault(...)`` text as a password, a failed sign-in towards the account's
lockout on every load. Nothing in this chain ever uses a username and password.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from ._keyvault import DEFAULT_CHAIN, DEFAULT_CHAIN_FIX, KEYVAULT_EXTRA, KeyVaultFetchError

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

SELECTOR: Final = "AZURE_TOKEN_CREDENTIALS"
"""azure-identity's variable: ``prod`` keeps the managed identity only, ``dev`` the developer sign-ins only."""


def default_bootstrap_credential() -> TokenCredential:
    """A ``ChainedTokenCredential`` of :data:`DEFAULT_CHAIN`, narrowed by ``AZURE_TOKEN_CREDENTIALS=prod|dev``.

    ``ManagedIdentityCredential`` is the platform's identity (App Service, Functions, Container Apps, a
    VM's), or workload identity when ``AZURE_FEDERATED_TOKEN_FILE``, ``AZURE_CLIENT_ID`` and
    ``AZURE_TENANT_ID`` are set.

    :raises KeyVaultFetchError: naming the extra to install when azure-identity is missing, or why the
        chain cannot be made.
    """
    try:
        from azure import identity  # noqa: PLC0415 - an optional dependency, loaded on first use
    except ImportError:
        missing = True
    else:
        missing = False
    if missing:
        raise KeyVaultFetchError(
            "resolving a Key Vault reference needs a bootstrap credential, and azure-identity is not installed",
            f"pip install '{KEYVAULT_EXTRA}' (for the default: {DEFAULT_CHAIN}), or pass keyvault_credential=",
        )
    mode = os.environ.get(SELECTOR, "").strip().lower()
    members: list[TokenCredential] = []
    reason = ""
    if mode != "dev":
        try:
            members.append(identity.ManagedIdentityCredential())
        except ValueError as exc:  # workload identity variables that do not fit (say, a tenant that is a reference)
            reason = str(exc).splitlines()[0][:200]
    if reason:
        raise KeyVaultFetchError(f"the managed identity cannot be configured ({reason})", DEFAULT_CHAIN_FIX)
    if mode != "prod":
        members += [identity.AzureCliCredential(), identity.AzureDeveloperCliCredential()]
        members.append(identity.AzurePowerShellCredential())
    return identity.ChainedTokenCredential(*members)
