"""System checks (``manage.py check``): every alias of ``SETTINGS_CRED`` loads, read without the network.

==================== ==========================================================================
``settings_cred.E001`` a setting is missing or invalid (message: alias, setting, source; hint: fix)
``settings_cred.E002`` ``SETTINGS_CRED`` itself is malformed (not a dict, unknown key or option)
``settings_cred.W001`` a Key Vault reference is left for start-up (not resolved by the check)
``settings_cred.W002`` the persistent token cache may be stored in plain text
``settings_cred.W003`` a variable looks like a misspelt setting
``settings_cred.W004`` any other advice of the settings report (ignored setting, PII logging, ...)
==================== ==========================================================================

Messages are built from the names in the settings report and :class:`SettingsError`, never from a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from django.core.checks import CheckMessage, Error, Warning

from ..._settings import Problem, SettingsError
from ._config import AliasConfig, ConfigurationError, configured_aliases

__all__ = ["WARNING_IDS", "check_settings"]

WARNING_IDS: Final = {
    "unresolved_reference": "settings_cred.W001",
    "unencrypted_cache": "settings_cred.W002",
    "typo": "settings_cred.W003",
}
OTHER_WARNING: Final = "settings_cred.W004"


def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """One ``Error`` per bad setting and one ``Warning`` per piece of advice, for every alias."""
    try:
        aliases = configured_aliases()
    except ConfigurationError as exc:
        return [
            Error(problem, hint="see docs/django.md for the shape of SETTINGS_CRED", id="settings_cred.E002")
            for problem in exc.problems
        ]
    messages: list[CheckMessage] = []
    for config in aliases.values():
        messages += _check_alias(config)
    return messages


def _check_alias(config: AliasConfig) -> list[CheckMessage]:
    try:
        loaded = config.load(resolve_references=False)
    except SettingsError as exc:
        return [_error(config, problem) for problem in exc.problems]
    return [
        Warning(
            f"SETTINGS_CRED[{config.alias!r}]: {warning.message}",
            id=WARNING_IDS.get(warning.kind, OTHER_WARNING),
        )
        for warning in loaded.describe().warnings
    ]


def _error(config: AliasConfig, problem: Problem) -> Error:
    key = config.key(problem.field.upper())
    if problem.source.startswith("argument"):
        source, hint = key, problem.fix.replace(problem.setting, key)
    else:
        source, hint = problem.source, f"{problem.fix}; or set {key}" if problem.missing else problem.fix
    return Error(
        f"SETTINGS_CRED[{config.alias!r}]: {problem.setting} ({source}): {problem.message}",
        hint=hint,
        id="settings_cred.E001",
    )
