"""The persistent cache or shared store that settings describe, opened as a credential would, and pinged."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, Literal, NamedTuple

from .._settings import CredentialSettings
from .._settings._report import PENDING
from .._store._errors import StoreConfigurationError

_STORE_FIELDS: Final = frozenset({"token_cache_url", "token_cache_key"})
State = Literal["memory", "answers", "silent", "pending", "refused"]


class StoreStatus(NamedTuple):
    """Where tokens are kept (a directory or a masked Redis URL) and whether that store answers now."""

    state: State
    """``memory`` (nothing shared), ``answers``, ``silent`` (no answer to ``PING``), ``pending`` (a Key Vault
    reference not resolved, so not opened) or ``refused`` (it cannot be used as configured)."""
    location: str | None = None
    detail: str = ""

    @property
    def usable(self) -> bool:
        """False when a credential built from these settings would refuse to start."""
        return self.state != "refused"

    def line(self, prefix: str) -> str:
        """``token cache: rediss://***@cache:6380/0 answers``, or what is wrong, for ``check``'s text output."""
        if self.state == "memory":
            return (
                "token cache: in memory only (each process signs in itself; set "
                f"{prefix}TOKEN_CACHE_PERSISTENCE=true or {prefix}TOKEN_CACHE_URL to share tokens)"
            )
        if self.state == "pending":
            return f"token cache: not opened, {self.detail} is a Key Vault reference (check --resolve opens it)"
        if self.state == "refused":
            return f"token cache: cannot be used: {self.detail}"
        answer = "answers" if self.state == "answers" else "does not answer (tokens are then kept per process)"
        return f"token cache: {self.location} {answer}"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``state``, ``location``, ``answers``, ``detail``."""
        return {
            "state": self.state,
            "location": self.location,
            "answers": self.state == "answers",
            "detail": self.detail or None,
        }


def store_status(settings: CredentialSettings, environ: Mapping[str, str] = os.environ) -> StoreStatus:
    """Open the store the settings describe (as a credential would) and ``PING`` it."""
    options = settings.cache_persistence_options()
    if options is None:
        return StoreStatus("memory")
    pending = [row.variable for row in settings.describe().rows if row.field in _STORE_FIELDS and row.value == PENDING]
    if pending:
        return StoreStatus("pending", detail=" and ".join(pending))
    from .._store._open import open_store  # noqa: PLC0415 - the store's backends load only when one is configured

    try:
        store = open_store(options, environ)
    except StoreConfigurationError as error:
        return StoreStatus("refused", detail=str(error))
    return StoreStatus("answers" if store.ping() else "silent", store.location)
