"""``app.config["SETTINGS_CRED"]`` read through the framework-neutral parser; its faults as one ``SettingsError``."""

from __future__ import annotations

from collections.abc import Mapping

from ..._settings import CredentialSettings, Problem, SettingsError
from .._aliases import DEFAULT_ALIAS, SETTING, AliasConfig, Fault, MalformedAliasesError, parse_aliases

__all__ = ["DEFAULT_ALIAS", "SETTING", "AliasConfig", "configured_aliases", "load_all"]


def configured_aliases(raw: object) -> dict[str, AliasConfig]:
    """The aliases of ``app.config["SETTINGS_CRED"]``; when it is absent, ``default`` read from ``AZURE_``.

    :raises SettingsError: naming every malformed alias, key or option (never a value).
    """
    try:
        return parse_aliases(raw)
    except MalformedAliasesError as exc:
        faults = exc.faults
    del raw  # the app's SETTINGS_CRED may hold a password: no frame of the error keeps it
    raise SettingsError([_problem(fault) for fault in faults])  # outside the except: the parser's frames stay out


def load_all(aliases: Mapping[str, AliasConfig]) -> dict[str, CredentialSettings]:
    """Every alias's settings.

    :raises SettingsError: one error listing the problems of every invalid alias.
    """
    loaded: dict[str, CredentialSettings] = {}
    failures: list[SettingsError] = []
    for alias, config in aliases.items():
        try:
            loaded[alias] = config.load()
        except SettingsError as error:
            failures.append(error)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise SettingsError([problem for error in failures for problem in error.problems])
    return loaded


def _problem(fault: Fault) -> Problem:
    message = fault.message[:1].upper() + fault.message[1:] + "."
    return Problem("", fault.key, "app.config", message, fault.fix or "see docs/flask.md")
