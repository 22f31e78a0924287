"""Everything the emulator knows, behind one lock."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass

from ._apps import AppRegistry
from ._directory import Directory, guid
from ._faults import FaultPlan
from ._identities import Identities
from ._issuers import Issuers
from ._keyvault import Vaults
from ._log import RequestLog
from ._resources import Resources
from ._tokens import TokenService


@dataclass(slots=True)
class Settings:
    """The knobs a test may turn while the emulator runs."""

    access_token_lifetime: int
    refresh_in: int | None
    latency: float

    def __post_init__(self) -> None:
        if self.access_token_lifetime < 1:
            raise ValueError(f"access_token_lifetime must be positive, got {self.access_token_lifetime!r}")
        if self.refresh_in is not None and self.refresh_in < 1:
            raise ValueError(f"refresh_in must be positive or None, got {self.refresh_in!r}")
        if self.latency < 0:
            raise ValueError(f"latency must not be negative, got {self.latency!r}")


class State:
    """Directory, apps, issuers, resources, tokens, secrets, faults, request log and settings; hold ``lock``
    to touch any of them."""

    __slots__ = (
        "_defaults",
        "apps",
        "default_domain",
        "default_tenant_id",
        "directory",
        "faults",
        "identities",
        "issuers",
        "lock",
        "log",
        "refused",
        "resources",
        "settings",
        "tokens",
        "vaults",
    )

    def __init__(self, tenant_id: str, tenant_domain: str, settings: Settings) -> None:
        self.lock = threading.RLock()
        self.default_tenant_id = guid(tenant_id, "tenant_id")
        self.default_domain = tenant_domain
        self._defaults = dataclasses.replace(settings)
        self._fresh_stores()
        self.faults = FaultPlan()
        self.log = RequestLog()
        self.refused: list[str] = []
        self.settings = settings

    def knows_resource(self, resource: str) -> bool:
        """Whether tokens may be issued for ``resource``: well known, registered, or a registered app."""
        return self.resources.knows(resource) or self.apps.is_resource(resource)

    def reset(self) -> None:
        """Back to the state at construction: the default tenant only, fresh signing key, default settings."""
        with self.lock:
            self._fresh_stores()
            self.faults.clear()
            self.log.clear()
            self.refused.clear()
            self.settings = dataclasses.replace(self._defaults)

    def _fresh_stores(self) -> None:
        """New, empty stores (a new signing key among them), the directory holding the default tenant."""
        self.directory = Directory()
        self.directory.add_tenant(self.default_tenant_id, self.default_domain)
        self.apps = AppRegistry()
        self.identities = Identities()
        self.issuers = Issuers()
        self.resources = Resources()
        self.tokens = TokenService()
        self.vaults = Vaults()
