"""One settings load: the options it runs with, where each value came from, and what went wrong.

A :class:`Load` is active (in a context variable) while ``CredentialSettings.__init__`` runs, so the
sources pydantic-settings calls and the model's validators can record into it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic.fields import FieldInfo

from ._dotenv import UnparsedLine
from ._errors import MISSING, NOT_SET, Problem, SettingsWarning
from ._keyvault import DEFAULT_REFRESH_INTERVAL, DEFAULT_TIMEOUT, VaultAccess
from ._kind import KindChoice
from ._origin import DEFAULT, Origin
from ._paths import UnusablePathError, absolute
from ._references import KeyVaultReference
from ._report import SettingsReport
from ._variables import VariableNames

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential


@dataclass(frozen=True)
class LoadOptions:
    """How references are resolved (whether at all, with which credential, options and deadline), and which
    keywords the caller takes besides the settings."""

    resolve_references: bool = True
    keyvault_credential: TokenCredential | None = None
    keyvault_options: Mapping[str, Any] | None = field(default=None, repr=False)  # may hold a proxy's password
    keyvault_timeout: float = DEFAULT_TIMEOUT
    keyvault_refresh_interval: float = DEFAULT_REFRESH_INTERVAL
    also_accepted: frozenset[str] = frozenset()
    """Keywords of a caller that also takes them (``credential_from_env``'s pipeline options): a misspelt keyword
    is matched against them too."""


_OPTIONS: ContextVar[LoadOptions] = ContextVar("settings_cred_load_options", default=LoadOptions())  # noqa: B039
_ACTIVE: ContextVar[Load | None] = ContextVar("settings_cred_load", default=None)


def options_in_force() -> LoadOptions:
    """The options that apply here: the defaults, or those of an enclosing :func:`load_options` block."""
    return _OPTIONS.get()


@contextmanager
def load_options(options: LoadOptions) -> Iterator[None]:
    """Make ``options`` apply to the settings constructed inside the block (start from :func:`options_in_force`)."""
    token = _OPTIONS.set(options)
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def active_load() -> Load | None:
    """The load in progress in this context, if any."""
    return _ACTIVE.get()


@dataclass(repr=False)
class Load:
    """What one load found: origins (first source wins), problems, warnings, names seen, references.

    ``raw`` holds the values as the sources found them (secrets masked); the ``repr`` shows none of them.
    """

    names: VariableNames
    env_file: Path | None
    secrets_dir: Path | None
    fields: Mapping[str, FieldInfo]
    options: LoadOptions = field(default_factory=_OPTIONS.get)
    origins: dict[str, Origin] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[SettingsWarning] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)
    """Our-prefixed names a source had (for typo checks), each with where: ``in the environment``, ..."""
    unparsed: list[UnparsedLine] = field(default_factory=list)
    references: dict[str, KeyVaultReference] = field(default_factory=dict)
    access: VaultAccess | None = None
    choice: KindChoice | None = None
    """The credential kind the values describe, once the cross-setting rules have run."""

    @contextmanager
    def active(self) -> Iterator[Load]:
        """Make this the active load for the duration of the block."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def __repr__(self) -> str:
        """Names and counts only: a frame local of a failure must not show a value."""
        found = ", ".join(f"{name}={origin}" for name, origin in self.origins.items())
        return f"<Load prefix={self.names.prefix!r} found=[{found}] problems={len(self.problems)}>"

    def saw(self, names: Iterable[str], where: str) -> None:
        """A source had these names; those with our prefix are kept (the first place each was seen)."""
        for name in names:
            if self.names.ours(name):
                self.seen.setdefault(name, where)

    def record(self, name: str, value: Any, origin: Origin) -> None:
        """A source found ``value`` for field ``name``; sources report in precedence order."""
        if name not in self.origins:
            self.origins[name] = origin
            self.raw[name] = value

    def reroute(self, name: str, origin: Origin) -> None:
        """Field ``name``'s value now comes from ``origin`` (a Key Vault reference found in its source)."""
        self.origins[name] = origin

    def origin(self, name: str) -> Origin:
        """Where field ``name`` got its value (``default`` when no source had it)."""
        return self.origins.get(name, DEFAULT)

    def setting(self, name: str) -> str:
        """The variable a user would set for field ``name``."""
        return self.names.variable(name)

    def problem(
        self, name: str, message: str, fix: str, *, origin: Origin | None = None, setting: str | None = None
    ) -> None:
        """Record a bad setting; its value is never part of ``message``."""
        where = origin or self.origin(name)
        setting = setting or where.variable or self.setting(name)
        self.problems.append(Problem(name, setting, str(where), message, fix))

    def missing(self, name: str) -> None:
        """Record a required setting that no source had."""
        self.problems.append(Problem(name, self.setting(name), NOT_SET, MISSING, self.missing_fix(), True))

    def missing_fix(self, name: str | None = None) -> str:
        """How to provide setting ``name`` (or each of several), naming the places this load looked."""
        if name is None:
            where = ["set each as an environment variable", "or NAME_FILE naming a file that holds it"]
        else:
            where = [
                "set it as an environment variable",
                f"or {self.names.file_variable(name)} naming a file that holds it",
            ]
        if self.env_file is not None:
            where.append(f"or a line in {os.fspath(self.env_file)}")
        if self.secrets_dir is not None:
            where.append(f"or a file named like the variable in {os.fspath(self.secrets_dir)}")
        return ", ".join(where)

    def location(self, keyword: str, value: object, source: str) -> Path | None:
        """The path a loading keyword (``env_file``, ``secrets_dir``) gives, or ``None`` after recording why not."""
        if not isinstance(value, (str, os.PathLike)):
            return None
        try:
            return absolute(value)
        except UnusablePathError as problem:
            reason = str(problem)
        fix = f"pass {keyword}= a path written out in full" + (
            " (or None for no file)" if keyword == "env_file" else ""
        )
        self.problems.append(Problem("", keyword, source, f"{os.fspath(value)} cannot be used: {reason}.", fix))
        return None

    def warn(self, kind: str, setting: str, message: str) -> None:
        """Record something that works but is probably not what was meant."""
        self.warnings.append(SettingsWarning(kind, setting, message))

    def has_problem(self, name: str) -> bool:
        """Whether field ``name`` already has a recorded problem."""
        return any(p.field == name for p in self.problems)


class Loaded(NamedTuple):
    """What a settings instance keeps from its load: provenance, references and how to re-read them."""

    env_prefix: str
    origins: Mapping[str, Origin]
    references: Mapping[str, KeyVaultReference]
    access: VaultAccess | None
    refresh_interval: float
    report: SettingsReport

    @property
    def choice(self) -> KindChoice:
        """The credential kind in use, as the report names it (a report of settings that loaded always does)."""
        choice = self.report.kind
        assert choice is not None  # noqa: S101 - both builders in _outcome.py give the report a kind
        return choice
