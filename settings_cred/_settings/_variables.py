"""Variable names: ours for a prefix, their case-insensitive lookup, and near-misses that look like typos."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Final, NamedTuple

FILE_SUFFIX: Final = "_FILE"
TYPO_CUTOFF: Final = 0.8
_PREFIX = re.compile(r"^[A-Za-z0-9_]*$")

AZURE_IDENTITY_SUFFIXES: Final = frozenset(
    {
        "REGIONAL_AUTHORITY_NAME",
        "POD_IDENTITY_AUTHORITY_HOST",
        "IDENTITY_DISABLE_MULTITENANTAUTH",
        "TOKEN_CREDENTIALS",
        "SUBSCRIPTION_ID",
        "RESOURCE_GROUP",
        "LOG_LEVEL",
        "CLOUD",
    }
)
"""Suffixes of variables that other credentials and Azure tools read: never reported as typos of ours."""


class Variable(NamedTuple):
    """A variable found in a source, under the name it was spelt with."""

    name: str
    value: str

    def __repr__(self) -> str:
        """The name only: the value may be a password."""
        return f"Variable({self.name!r}, '**********')"


class VariableNames:
    """Our variable names for one prefix: ``PREFIX + FIELD`` and ``PREFIX + FIELD + _FILE``."""

    __slots__ = ("fields", "prefix")

    def __init__(self, prefix: str, fields: Iterable[str]) -> None:
        if not _PREFIX.match(prefix):
            raise ValueError(f"env_prefix must be letters, digits and underscores, like 'AZURE_' (got {prefix!r})")
        self.prefix = prefix.upper()
        self.fields = tuple(fields)

    def variable(self, field: str) -> str:
        """``AZURE_PASSWORD`` for ``password``."""
        return self.prefix + field.upper()

    def file_variable(self, field: str) -> str:
        """``AZURE_PASSWORD_FILE`` for ``password``."""
        return self.variable(field) + FILE_SUFFIX

    def known(self) -> frozenset[str]:
        """Every name we read, upper case."""
        return frozenset(n for f in self.fields for n in (self.variable(f), self.file_variable(f)))

    def field_of(self, name: str) -> str | None:
        """The field that variable ``name`` (or ``name`` with ``_FILE``) sets, in any case; ``None`` if none."""
        upper = name.upper()
        return next((f for f in self.fields if upper in (self.variable(f), self.file_variable(f))), None)

    def ours(self, name: str) -> bool:
        """Whether ``name`` carries our prefix (case-insensitively); with no prefix, nothing is ours."""
        return bool(self.prefix) and name.upper().startswith(self.prefix)


def lookup(variables: Mapping[str, str], name: str) -> Variable | None:
    """The variable ``name`` in ``variables``, exact spelling first, then any case; empty counts as unset."""
    value = variables.get(name)
    if value is None:
        wanted = name.upper()
        match = next((key for key in variables if key.upper() == wanted), None)
        if match is None:
            return None
        name, value = match, variables[match]
    return Variable(name, value) if value else None


def suspect_typos(names: VariableNames, candidates: Iterable[str]) -> list[tuple[str, str]]:
    """``(variable, suggestion)`` for each prefixed name that is not ours but is close to one of ours."""
    known = names.known()
    suffixes = {name[len(names.prefix) :]: name for name in known}
    found: list[tuple[str, str]] = []
    for candidate in dict.fromkeys(candidates):
        upper = candidate.upper()
        if not names.ours(candidate) or upper in known:
            continue
        suffix = upper[len(names.prefix) :]
        if suffix in AZURE_IDENTITY_SUFFIXES:
            continue
        close = difflib.get_close_matches(suffix, suffixes, n=1, cutoff=TYPO_CUTOFF)
        if close:
            found.append((candidate, suffixes[close[0]]))
    return found
