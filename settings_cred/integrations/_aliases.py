"""``SETTINGS_CRED``, framework-neutral: one entry per alias, shaped like Django's ``DATABASES``.

.. code-block:: text

    SETTINGS_CRED = {
        "default": {"ENV_PREFIX": "AZURE_", "CLIENT_ID": "...", "OPTIONS": {"retry_total": 5}},
        "powerbi": {"ENV_PREFIX": "POWERBI_"},
    }

The Django and Flask integrations read their configuration through :func:`parse_aliases` and report
its :class:`Fault` records in their own way (system checks, ``SettingsError``). Never a value appears.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from .._settings import CredentialSettings, Problem, SettingRow, SettingsError, SettingsReport
from .._settings._masked import mask_options, masked
from .._settings._model import ClassDefault
from .._transport._options import PIPELINE_OPTION_NAMES

SETTING: Final = "SETTINGS_CRED"
DEFAULT_ALIAS: Final = "default"
LOADING_KEYS: Final = frozenset({"ENV_PREFIX", "ENV_FILE", "SECRETS_DIR", "OPTIONS"})
FIELD_KEYS: Final = {name.upper(): name for name in CredentialSettings.model_fields}


class Fault(NamedTuple):
    """One malformed part of ``SETTINGS_CRED``: where (``key``), what is wrong, and what to do."""

    key: str
    message: str
    fix: str

    def sentence(self) -> str:
        """``SETTINGS_CRED['default']['CLIENTID'] is not a setting; did you mean 'CLIENT_ID'?``."""
        return f"{self.key} {self.message}; {self.fix}" if self.fix else f"{self.key} {self.message}"


class MalformedAliasesError(ValueError):
    """``SETTINGS_CRED`` is malformed; :attr:`faults` lists every fault."""

    def __init__(self, faults: Iterable[Fault]) -> None:
        self.faults = tuple(faults)
        super().__init__(f"{SETTING} is malformed: " + "; ".join(f.sentence() for f in self.faults))


class UnknownAliasError(KeyError):
    """``credentials[alias]`` for an alias that ``SETTINGS_CRED`` does not configure."""

    def __init__(self, alias: str, configured: Iterable[str]) -> None:
        self.alias = alias
        self.configured = tuple(configured)
        super().__init__(alias)

    def __str__(self) -> str:
        """Names the configured aliases (``KeyError`` would only repr the key)."""
        names = ", ".join(repr(name) for name in self.configured) or "none"
        return f"{SETTING} has no alias {self.alias!r}; configured aliases: {names}"


@dataclass(frozen=True, repr=False)
class AliasConfig:
    """How to load one alias: the loading keywords, explicit field values and pipeline options.

    ``values`` and ``options`` hold secrets masked (a ``Secret``, a ``ProxyUrl``); the ``repr`` names keys only.
    """

    alias: str
    env_prefix: str | None = None
    env_file: str | os.PathLike[str] | ClassDefault | None = ClassDefault.CONFIG
    secrets_dir: str | os.PathLike[str] | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """The alias, where it reads from, and which values and options it sets (never a value)."""
        return (
            f"AliasConfig(alias={self.alias!r}, env_prefix={self.env_prefix!r}, values={sorted(self.values)}, "
            f"options={sorted(self.options)})"
        )

    def key(self, name: str) -> str:
        """How a user writes one key of this alias: ``SETTINGS_CRED['default']['CLIENT_ID']``."""
        return f"{SETTING}[{self.alias!r}][{name!r}]"

    def load(self, *, resolve_references: bool = True) -> CredentialSettings:
        """The alias's settings; values written in ``SETTINGS_CRED`` win over the environment and files.

        :raises SettingsError: naming every bad setting, values from ``SETTINGS_CRED`` by their key.
        """
        try:
            return CredentialSettings.from_sources(
                env_prefix=self.env_prefix,
                env_file=self.env_file,
                secrets_dir=self.secrets_dir,
                resolve_references=resolve_references,
                **self.values,
            )
        except SettingsError as error:
            problems = [self._locate(problem) for problem in error.problems]
            report = self.locate_report(error.report) if error.report else None
            located = SettingsError(problems, env_prefix=error.env_prefix, report=report)
        raise located  # outside the except: nothing chained

    def locate_report(self, report: SettingsReport) -> SettingsReport:
        """``report`` with each value from ``SETTINGS_CRED`` sourced to its key rather than to "argument"."""
        rows = tuple(self._locate_row(row) for row in report.rows)
        problems = tuple(self._locate(problem) for problem in report.problems)
        return dataclasses.replace(report, rows=rows, problems=problems)

    def _locate_row(self, row: SettingRow) -> SettingRow:
        if row.source != "argument":
            return row
        key = self.key(row.field.upper())
        return row._replace(location=key, origin=row.origin._replace(location=key))

    def _locate(self, problem: Problem) -> Problem:
        if problem.source == f"argument {problem.field}":
            return problem._replace(source=f"argument {self.key(problem.field.upper())}")
        return problem


def parse_aliases(raw: object) -> dict[str, AliasConfig]:
    """The aliases of ``raw``; when it is None (the setting is absent), ``default`` read from ``AZURE_``.

    :raises MalformedAliasesError: naming every malformed alias, key or option.
    """
    if raw is None:
        return {DEFAULT_ALIAS: AliasConfig(DEFAULT_ALIAS)}
    if not isinstance(raw, Mapping):
        raise MalformedAliasesError([Fault(SETTING, f"must be a dict of aliases, not {type(raw).__name__}", "")])
    faults: list[Fault] = []
    if not raw:
        faults.append(Fault(SETTING, "names no alias", f"add {DEFAULT_ALIAS!r} or remove the setting"))
    aliases: dict[str, AliasConfig] = {}
    for alias, entry in raw.items():
        if not isinstance(alias, str) or not isinstance(entry, Mapping):
            faults.append(Fault(f"{SETTING}[{alias!r}]", "must be a dict keyed by a string alias", ""))
            continue
        config = _alias(alias, entry, faults)
        if config is not None:
            aliases[alias] = config
    if faults:
        raise MalformedAliasesError(faults)
    return aliases


def _alias(alias: str, entry: Mapping[Any, Any], faults: list[Fault]) -> AliasConfig | None:
    start = len(faults)
    naming = AliasConfig(alias)
    for key in entry:
        if key not in LOADING_KEYS and key not in FIELD_KEYS:
            faults.append(
                Fault(naming.key(key), "is not a setting", _suggestion(str(key), [*LOADING_KEYS, *FIELD_KEYS]))
            )
    prefix = entry.get("ENV_PREFIX")
    if prefix is not None and not isinstance(prefix, str):
        faults.append(Fault(naming.key("ENV_PREFIX"), "must be a string", "use a prefix such as 'AZURE_'"))
    for key in ("ENV_FILE", "SECRETS_DIR"):
        if entry.get(key) is not None and not isinstance(entry[key], (str, os.PathLike)):
            faults.append(Fault(naming.key(key), "must be a path or None", "give a path"))
    options = entry.get("OPTIONS", {})
    if not isinstance(options, Mapping):
        faults.append(Fault(naming.key("OPTIONS"), "must be a dict of azure-core pipeline options", ""))
        options = {}
    for name in options:
        if name not in PIPELINE_OPTION_NAMES:
            faults.append(
                Fault(naming.key("OPTIONS"), f"has no option {name!r}", _suggestion(str(name), PIPELINE_OPTION_NAMES))
            )
    if len(faults) > start:
        return None
    return AliasConfig(
        alias,
        env_prefix=prefix,
        env_file=entry.get("ENV_FILE", ClassDefault.CONFIG),
        secrets_dir=entry.get("SECRETS_DIR"),
        values={FIELD_KEYS[key]: masked(FIELD_KEYS[key], value) for key, value in entry.items() if key in FIELD_KEYS},
        options=mask_options(options) or {},
    )


def _suggestion(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(sorted(choices))}"
