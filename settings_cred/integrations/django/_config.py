"""``settings.SETTINGS_CRED`` read through the framework-neutral parser, its faults as ``ImproperlyConfigured``."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .._aliases import DEFAULT_ALIAS, SETTING, AliasConfig, Fault, MalformedAliasesError, parse_aliases

__all__ = ["DEFAULT_ALIAS", "SETTING", "AliasConfig", "ConfigurationError", "configured_aliases"]


class ConfigurationError(ImproperlyConfigured):  # type: ignore[misc]  # Django ships no type information
    """``SETTINGS_CRED`` is malformed; :attr:`problems` lists each fault as a sentence (never a value)."""

    def __init__(self, faults: Iterable[Fault]) -> None:
        self.problems = tuple(fault.sentence() for fault in faults)
        super().__init__(f"{SETTING} is malformed: " + "; ".join(self.problems))


def configured_aliases() -> dict[str, AliasConfig]:
    """The aliases of ``settings.SETTINGS_CRED``; without the setting, ``default`` read from ``AZURE_``."""
    try:
        return parse_aliases(getattr(settings, SETTING, None))
    except MalformedAliasesError as exc:
        faults = exc.faults
    raise ConfigurationError(faults)  # outside the except: the parser's frames hold the raw SETTINGS_CRED
