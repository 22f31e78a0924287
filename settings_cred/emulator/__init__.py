"""A local Microsoft Entra ID (and Key Vault, and a managed identity endpoint) over real TLS on loopback.

>>> with EntraEmulator() as emulator:                     # doctest: +SKIP
...     emulator.add_user("alice@contoso.onmicrosoft.com", "p@ss")
...     credential = UsernamePasswordCredential(
...         client_id, "alice@contoso.onmicrosoft.com", "p@ss",
...         authority=emulator.authority_host, **emulator.pipeline_options())
"""

from ._certificates import ClientCertificate
from ._directory import EmulatedUser, UserState
from ._emulator import DEFAULT_TENANT_ID, EntraEmulator
from ._faults import Endpoint, Fault
from ._identities import ManagedIdentity
from ._issuers import DEFAULT_TOKEN_ISSUER, TOKEN_EXCHANGE_AUDIENCE
from ._log import RecordedRequest
from ._resources import WELL_KNOWN_RESOURCES

__all__ = [
    "DEFAULT_TENANT_ID",
    "DEFAULT_TOKEN_ISSUER",
    "TOKEN_EXCHANGE_AUDIENCE",
    "WELL_KNOWN_RESOURCES",
    "ClientCertificate",
    "EmulatedUser",
    "Endpoint",
    "EntraEmulator",
    "Fault",
    "ManagedIdentity",
    "RecordedRequest",
    "UserState",
]
