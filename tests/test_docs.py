"""The docs say what the code does: reference tables match the code, and every snippet runs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import structlog

from settings_cred import audit, errors
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME
from tools import gen_reference

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
SNIPPETS = [
    pytest.param(page, index, code, id=f"{page.name}-{index}")
    for page in PAGES
    for index, code in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.DOTALL))
]


@pytest.mark.parametrize("name", sorted(gen_reference.PAGES))
def test_generated_reference_pages_are_current(name: str) -> None:
    """docs/errors.md and docs/audit.md are exactly what tools/gen_reference.py renders from the code."""
    assert (ROOT / "docs" / name).read_text() == gen_reference.PAGES[name](), "run: python tools/gen_reference.py"


def test_error_reference_lists_every_code_with_its_remediation() -> None:
    """docs/errors.md has a row per exception class with its codes, summary and remediation."""
    text = (ROOT / "docs" / "errors.md").read_text()
    for code, cls in errors.ERROR_TABLE.items():
        row = next(line for line in text.splitlines() if f"`{cls.__name__}`" in line and "AADSTS" in line)
        assert f"AADSTS{code}" in row
        assert cls.remediation in row


def test_audit_reference_lists_every_event_with_its_fields_and_level() -> None:
    """docs/audit.md documents every event with exactly its allowed fields and its level."""
    text = (ROOT / "docs" / "audit.md").read_text()
    for name, fields in audit.EVENT_FIELDS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        assert set(re.findall(r"`(\w+)`", row.split("|")[4])) == set(fields)
        assert f"| {logging.getLevelName(audit.EVENT_LEVELS[name]).lower()} |" in row


@pytest.mark.parametrize(("page", "index", "code"), SNIPPETS)
def test_snippet_runs(
    page: Path, index: int, code: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Each python snippet runs as written, against the emulator (and a Redis, if it needs one) via the environment."""
    idp: EntraEmulator = request.getfixturevalue("idp")
    for name, value in idp.environ().items():
        monkeypatch.setenv(name, value)
    if "AZURE_CLIENT_SECRET" in code:
        idp.add_client_secret(CLIENT_ID, "Docs-Client-Secret-Canary")
        monkeypatch.setenv("AZURE_TENANT_ID", idp.tenant_id)
        monkeypatch.setenv("AZURE_CLIENT_SECRET", "Docs-Client-Secret-Canary")
    if "AZURE_TOKEN_CACHE_URL" in code:
        monkeypatch.setenv("AZURE_TOKEN_CACHE_URL", request.getfixturevalue("redis_server").url)
        monkeypatch.setenv("AZURE_TOKEN_CACHE_KEY", CACHE_KEY)
    monkeypatch.setenv("AZURE_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("AZURE_USERNAME", USERNAME)
    monkeypatch.setenv("AZURE_PASSWORD", PASSWORD)
    try:
        exec(compile(code, f"{page.name}[{index}]", "exec"), {"__name__": "__docs__"})  # noqa: S102
    finally:
        structlog.reset_defaults()
