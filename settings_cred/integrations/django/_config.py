"""``settings.SETTINGS_CRED``: one entry per alias, read into plain records without touching a secret.

.. code-block:: text

    SETTINGS_CRED = {
        "default": {"ENV_PREFIX": "AZURE_", "CLIENT_ID": "...", "OPTIONS": {"retry_total": 5}},
        "powerbi": {"ENV_PREFIX": "POWERBI_"},
    }
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..._pipeline import PipelineOptions
from ..._settings import CredentialSettings
from ..._settings._model import ClassDefault

SETTING: Final = "SETTINGS_CRED"
DEFAULT_ALIAS: Final = "default"
LOADING_KEYS: Final = frozenset({"ENV_PREFIX", "ENV_FILE", "SECRETS_DIR", "OPTIONS"})
FIELD_KEYS: Final = {name.upper(): name for name in CredentialSettings.model_fields}
OPTION_NAMES: Final = frozenset(PipelineOptions.__annotations__)


class ConfigurationError(ImproperlyConfigured):  # type: ignore[misc]  # Django ships no type information
    """``SETTINGS_CRED`` is malformed; :attr:`problems` lists each fault (never a value)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{SETTING} is malformed: " + "; ".join(self.problems))


@dataclass(frozen=True)
class AliasConfig:
    """How to load one alias's settings: the loading keywords, explicit field values, pipeline options."""

    alias: str
    env_prefix: str | None = None
    env_file: str | os.PathLike[str] | ClassDefault | None = ClassDefault.CONFIG
    secrets_dir: str | os.PathLike[str] | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """How a user writes one key of this alias: ``SETTINGS_CRED['default']['CLIENT_ID']``."""
        return f"{SETTING}[{self.alias!r}][{name!r}]"

    def load(self, *, resolve_references: bool = True) -> CredentialSettings:
        """The alias's settings; explicit values win over the environment and files."""
        return CredentialSettings.from_sources(
            env_prefix=self.env_prefix,
            env_file=self.env_file,
            secrets_dir=self.secrets_dir,
            resolve_references=resolve_references,
            **self.values,
        )


def configured_aliases() -> dict[str, AliasConfig]:
    """The aliases of ``settings.SETTINGS_CRED``; without the setting, ``default`` read from ``AZURE_``."""
    raw = getattr(settings, SETTING, None)
    return {DEFAULT_ALIAS: AliasConfig(DEFAULT_ALIAS)} if raw is None else parse(raw)


def parse(raw: object) -> dict[str, AliasConfig]:
    """Each alias of ``raw`` as an :class:`AliasConfig`.

    :raises ConfigurationError: naming every malformed alias, key or option.
    """
    if not isinstance(raw, Mapping):
        raise ConfigurationError([f"{SETTING} must be a dict of aliases, not {type(raw).__name__}"])
    problems: list[str] = []
    aliases: dict[str, AliasConfig] = {}
    if not raw:
        problems.append(f"{SETTING} names no alias; add {DEFAULT_ALIAS!r} or remove the setting")
    for alias, entry in raw.items():
        if not isinstance(alias, str) or not isinstance(entry, Mapping):
            problems.append(f"{SETTING}[{alias!r}] must be a dict keyed by a string alias")
            continue
        config = _alias(alias, entry, problems)
        if config is not None:
            aliases[alias] = config
    if problems:
        raise ConfigurationError(problems)
    return aliases


def _alias(alias: str, entry: Mapping[Any, Any], problems: list[str]) -> AliasConfig | None:
    start = len(problems)
    naming = AliasConfig(alias)
    for key in entry:
        if key not in LOADING_KEYS and key not in FIELD_KEYS:
            problems.append(f"{naming.key(key)} is not a setting{_suggestion(str(key), [*LOADING_KEYS, *FIELD_KEYS])}")
    prefix = entry.get("ENV_PREFIX")
    if prefix is not None and not isinstance(prefix, str):
        problems.append(f"{naming.key('ENV_PREFIX')} must be a string such as 'AZURE_'")
    for key in ("ENV_FILE", "SECRETS_DIR"):
        if entry.get(key) is not None and not isinstance(entry[key], (str, os.PathLike)):
            problems.append(f"{naming.key(key)} must be a path or None")
    options = entry.get("OPTIONS", {})
    if not isinstance(options, Mapping):
        problems.append(f"{naming.key('OPTIONS')} must be a dict of azure-core pipeline options")
        options = {}
    for name in options:
        if name not in OPTION_NAMES:
            problems.append(f"{naming.key('OPTIONS')} has no option {name!r}{_suggestion(str(name), OPTION_NAMES)}")
    if len(problems) > start:
        return None
    return AliasConfig(
        alias,
        env_prefix=prefix,
        env_file=entry.get("ENV_FILE", ClassDefault.CONFIG),
        secrets_dir=entry.get("SECRETS_DIR"),
        values={FIELD_KEYS[key]: value for key, value in entry.items() if key in FIELD_KEYS},
        options=dict(options),
    )


def _suggestion(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
