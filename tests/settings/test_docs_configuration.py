"""docs/configuration.md documents exactly the variables CredentialSettings reads, with their defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from settings_cred._settings import CredentialSettings

PAGE = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
ROWS = {
    match.group(1): match.group(2)
    for match in re.finditer(r"^\| `(AZURE_[A-Z_]+)` \| [^|]+ \| ([^|]+) \|", PAGE.read_text(), re.MULTILINE)
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


@pytest.mark.parametrize("name", [name for name, info in FIELDS.items() if info.is_required()])
def test_required_variables_are_marked_required(name: str) -> None:
    """Required settings say so."""
    assert ROWS[f"AZURE_{name.upper()}"].strip() == "required"
