"""The default bootstrap credential that reads Key Vault references: workload or managed identity, then developer
sign-ins.

Never azure-identity's ``DefaultAzureCredential``: its ``EnvironmentCredential`` reads ``AZURE_CLIENT_ID``,
``AZURE_USERNAME`` and ``AZURE_PASSWORD`` (our variables, with the default prefix) and would post the
unresolved ``@Microsoft.KeyVault(...)`` text as a password, a failed sign-in towards the account's
lockout on every load. Nothing in this chain ever uses a username and password.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from ._keyvault import DEFAULT_CHAIN, KEYVAULT_EXTRA, KeyVaultFetchError

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

SELECTOR: Final = "AZURE_TOKEN_CREDENTIALS"
"""azure-identity's variable: ``prod`` keeps the workload and managed identities, ``dev`` the developer sign-ins."""
WORKLOAD_IDENTITY_VARIABLES: Final = ("AZURE_FEDERATED_TOKEN_FILE", "AZURE_CLIENT_ID", "AZURE_TENANT_ID")
"""Set together (by AKS's workload identity webhook, or a federated CI job): workload identity is tried first."""


def default_bootstrap_credential() -> TokenCredential:
    """A ``ChainedTokenCredential`` of :data:`DEFAULT_CHAIN`, narrowed by ``AZURE_TOKEN_CREDENTIALS=prod|dev``.

    ``WorkloadIdentityCredential`` comes first when its variables are set (as in ``DefaultAzureCredential``:
    on an AKS node the metadata endpoint would answer for the node's identity, not the workload's), then
    ``ManagedIdentityCredential``, the platform's identity (App Service, Functions, Container Apps, a VM).

    :raises KeyVaultFetchError: naming the extra to install when azure-identity is missing.
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
    if mode != "dev":
        if all(os.environ.get(name) for name in WORKLOAD_IDENTITY_VARIABLES):
            members.append(identity.WorkloadIdentityCredential())
        members.append(identity.ManagedIdentityCredential())
    if mode != "prod":
        members += [identity.AzureCliCredential(), identity.AzureDeveloperCliCredential()]
        members.append(identity.AzurePowerShellCredential())
    return identity.ChainedTokenCredential(*members)
