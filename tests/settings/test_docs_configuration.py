"""docs/configuration.md documents exactly the variables CredentialSettings reads, with their defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from settings_cred._settings import CredentialSettings
from settings_cred._settings._kind import REQUIRED

PAGE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
ROWS = {
    match.group(1): match.group(2)
    for match in re.finditer(r"^\| `(AZURE_[A-Z_]+)` \| [^|]+ \| ([^|]+) \|", PAGE.read_text(), re.MULTILINE)
}
MEANINGS = {
    match.group(1): match.group(2)
    for match in re.finditer(r"^\| `(AZURE_[A-Z_]+)` \| [^|]+ \| [^|]+ \| ([^|]+) \|", PAGE.read_text(), re.MULTILINE)
}
FIELDS = CredentialSettings.model_fields


def test_every_variable_has_exactly_one_row() -> None:
    """The variables table lists each field's variable, and nothing else."""
    assert sorted(ROWS) == sorted(f"AZURE_{name.upper()}" for name in FIELDS)


@pytest.mark.parametrize("name", [name for name, info in FIELDS.items() if not info.is_required()])
def test_documented_defaults_match_the_code(name: str) -> None:
    """A literal default in the table is the field's default; an unset one says what applies instead."""
    documented = ROWS[f"AZURE_{name.upper()}"].strip()
    default = FIELDS[name].get_default()
    if default in (None, ()):
        assert documented
        assert documented != "required"
    elif isinstance(default, bool):
        assert documented == f"`{str(default).lower()}`"
    else:
        assert documented == f"`{default}`"


@pytest.mark.parametrize(
    ("kind", "name"),
    [pytest.param(kind, name, id=f"{kind}-{name}") for kind, names in REQUIRED.items() for name in names],
)
def test_what_each_kind_requires_is_documented(kind: str, name: str) -> None:
    """A setting some kind cannot do without says "required by" that kind (tenant_id, in its meaning)."""
    row = ROWS[f"AZURE_{name.upper()}"] if name != "tenant_id" else MEANINGS["AZURE_TENANT_ID"]
    assert "required" in row
    assert kind in row or "except for managed identity" in row or "application kinds" in row
