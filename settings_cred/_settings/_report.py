"""The provenance report: one row per setting with its source and a masked value, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from .._masking import mask_username
from ._errors import Problem, SettingsWarning
from ._fields import LOCATION_FIELDS, looks_like_content
from ._kind import KindChoice
from ._masked import MASK, mask_store_url, mask_url_password, revealed
from ._origin import DEFAULT, Origin
from ._references import looks_like_reference

NOT_SET: Final = "(not set)"
PENDING: Final = "(Key Vault reference, not resolved)"


class SettingRow(NamedTuple):
    """One setting: field, the variable for it, source kind, location, and the value as safe to show."""

    field: str
    variable: str
    source: str
    location: str
    value: str
    origin: Origin = DEFAULT


@dataclass(frozen=True)
class SettingsReport:
    """What a load found: rows, warnings, problems (empty when valid), the credential kind; as text or JSON."""

    env_prefix: str
    rows: tuple[SettingRow, ...]
    warnings: tuple[SettingsWarning, ...] = ()
    problems: tuple[Problem, ...] = ()
    kind: KindChoice | None = None
    """The credential kind in use and what chose it (``None`` when the settings cannot tell one)."""

    @property
    def valid(self) -> bool:
        """Whether the settings loaded without a problem."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``valid``, ``env_prefix``, ``credential_kind``, ``settings``, ``warnings``, ``errors``."""
        return {
            "valid": self.valid,
            "env_prefix": self.env_prefix,
            "credential_kind": self.kind.as_dict() if self.kind is not None else None,
            "settings": [{k: getattr(r, k) for k in SettingRow._fields if k != "origin"} for r in self.rows],
            "warnings": [w._asdict() for w in self.warnings],
            "errors": [{k: v for k, v in p._asdict().items() if k != "missing"} for p in self.problems],
        }

    def as_json(self) -> str:
        """:meth:`as_dict` as indented JSON."""
        return json.dumps(self.as_dict(), indent=2)

    def as_text(self) -> str:
        """An aligned table (variable, value, source), the credential kind and why, then the warnings."""
        table = [("VARIABLE", "VALUE", "SOURCE")] + [(r.variable, r.value, str(r.origin)) for r in self.rows]
        widths = [max(len(line[i]) for line in table) for i in range(2)]
        lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in table]
        if self.kind is not None:
            lines.append(self.kind.line())
        lines += [f"warning: {w.message}" for w in self.warnings]
        return "\n".join(lines)


def build_rows(
    variables: Mapping[str, str],
    origins: Mapping[str, Origin],
    values: Mapping[str, Any],
    secret_fields: Iterable[str],
) -> tuple[SettingRow, ...]:
    """Rows for every field of ``variables`` (field -> variable name), values masked as they must be."""
    secret = frozenset(secret_fields)
    rows = []
    for name, variable in variables.items():
        origin = origins.get(name, DEFAULT)
        shown = display(name, values.get(name), secret=name in secret)
        rows.append(SettingRow(name, origin.variable or variable, origin.kind, origin.location, shown, origin))
    return tuple(rows)


def display(name: str, value: object, *, secret: bool) -> str:
    """A value as safe to print: secrets masked, the username masked, proxy credentials hidden."""
    raw = revealed(value)
    if raw is None or raw in ("", ()):
        return NOT_SET
    if secret:
        return MASK
    if looks_like_reference(raw):
        return PENDING
    return _FORMATS.get(name, _plain)(raw)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ";".join(str(item) for item in value)
    return str(value)


_FORMATS: Final[dict[str, Callable[[object], str]]] = {
    "username": lambda value: mask_username(str(value)),
    "https_proxy": lambda value: mask_url_password(str(value)),
    "token_cache_url": lambda value: mask_store_url(str(value)),
    **dict.fromkeys(LOCATION_FIELDS, lambda value: MASK if looks_like_content(str(value)) else str(value)),
}
