"""Resources (token audiences) the emulated cloud knows; Entra refuses the others with AADSTS500011."""

from __future__ import annotations

import re
from typing import Final

WELL_KNOWN_RESOURCES: Final = frozenset(
    {
        "https://vault.azure.net",
        "https://graph.microsoft.com",
        "00000003-0000-0000-c000-000000000000",
        "https://management.azure.com",
        "https://management.core.windows.net/",
        "https://storage.azure.com",
        "https://database.windows.net/",
        "https://ossrdbms-aad.database.windows.net",
        "https://analysis.windows.net/powerbi/api",
        "https://cognitiveservices.azure.com",
        "https://servicebus.azure.net",
        "https://eventhubs.azure.net",
        "https://monitor.azure.com",
        "https://outlook.office365.com",
    }
)
"""Microsoft resources every tenant has: Key Vault, Graph, ARM (both names), Storage, SQL, Power BI..."""
WELL_KNOWN_PATTERNS: Final = (
    re.compile(r"https://[a-z0-9-]+\.crm[0-9]*\.dynamics\.com"),
    re.compile(r"https://[a-z0-9-]+(-admin|-my)?\.sharepoint\.com"),
    re.compile(r"https://[a-z0-9]+\.(blob|queue|table|file|dfs)\.core\.windows\.net"),
)
"""Per-organisation resources: Dynamics 365 (``https://<org>.crm.dynamics.com``), SharePoint, storage accounts."""


def normalize(resource: str) -> str:
    """The form resources are compared in: lower case, without trailing slashes (Entra ignores both)."""
    return resource.strip().rstrip("/").lower()


class Resources:
    """The resources tokens may be issued for; callers hold the emulator's lock."""

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known = {normalize(resource) for resource in WELL_KNOWN_RESOURCES}

    def add(self, resource: str) -> None:
        """Register a resource (an application ID URI such as ``api://my-api`` or ``https://...``)."""
        if not normalize(resource):
            raise ValueError("a resource identifier must not be empty")
        self._known.add(normalize(resource))

    def knows(self, resource: str) -> bool:
        """Whether a token may be issued for ``resource``."""
        name = normalize(resource)
        return name in self._known or any(pattern.fullmatch(name) for pattern in WELL_KNOWN_PATTERNS)
