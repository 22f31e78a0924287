"""A local Microsoft Entra ID (and Key Vault) emulator over real TLS on loopback.

>>> with EntraEmulator() as emulator:                     # doctest: +SKIP
...     emulator.add_user("alice@contoso.onmicrosoft.com", "p@ss")
...     credential = UsernamePasswordCredential(
...         client_id, "alice@contoso.onmicrosoft.com", "p@ss",
...         authority=emulator.authority_host, **emulator.pipeline_options())
"""

from ._directory import EmulatedUser, UserState
from ._emulator import DEFAULT_TENANT_ID, EntraEmulator
from ._faults import Endpoint, Fault
from ._log import RecordedRequest

__all__ = [
    "DEFAULT_TENANT_ID",
    "EmulatedUser",
    "Endpoint",
    "EntraEmulator",
    "Fault",
    "RecordedRequest",
    "UserState",
]
