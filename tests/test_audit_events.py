"""Audit events: stable names, fixed fields, JSON-ready, usernames masked."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys

import pytest
import structlog

from settings_cred import audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import USERNAME, VAULT_SCOPE, CredentialFactory


def test_event_names_are_stable() -> None:
    """The documented event names are exactly these (renaming one is a breaking change)."""
    assert sorted(audit.EVENT_FIELDS) == [
        "cache.metadata_hit",
        "cache.unencrypted",
        "cache.unreadable",
        "credential.created",
        "lockout.engaged",
        "lockout.released",
        "secret.rotated",
        "settings.loaded",
        "settings.typo_suspected",
        "settings.value_resolved",
        "store.recovered",
        "store.unavailable",
        "tenant.blocked",
        "token.acquired",
        "token.cache_hit",
        "token.failed",
        "token.refresh_failed",
        "token.refresh_token_rejected",
        "token.refreshed",
    ]
    assert set(audit.EVENT_LEVELS) == set(audit.EVENT_FIELDS)


def test_fields_outside_the_allow_list_are_refused() -> None:
    """An event cannot carry a field it does not declare, so a secret cannot slip in."""
    with pytest.raises(ValueError, match="password"):
        audit.emit(audit.TOKEN_ACQUIRED, password="x")


def test_a_sign_in_tells_its_story(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """Creating a credential and getting a token twice emits created, acquired, cache_hit with fixed fields."""
    with audit.capture_audit() as events:
        credential = make_credential()
        credential.get_token(VAULT_SCOPE)
        credential.get_token(VAULT_SCOPE)
    assert [e["event"] for e in events] == [audit.CREDENTIAL_CREATED, audit.TOKEN_ACQUIRED, audit.TOKEN_CACHE_HIT]
    acquired = events[1]
    assert acquired["grant"] == "password"
    assert acquired["scopes"] == [VAULT_SCOPE]
    assert acquired["cache_hit"] is False
    assert acquired["duration_ms"] > 0
    assert acquired["username"] == "a***@contoso.onmicrosoft.com"
    for event in events:
        assert set(event) - {"event", "log_level"} <= audit.EVENT_FIELDS[event["event"]]
        assert USERNAME not in json.dumps(event)


def test_unconfigured_structlog_falls_back_to_stdlib_json(
    make_credential: CredentialFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Without structlog configuration, events reach the stdlib logger settings_cred.audit as JSON."""
    if structlog.is_configured():
        pytest.skip("structlog was configured by another test in this process")
    caplog.set_level(logging.INFO, logger=audit.LOGGER_NAME)
    make_credential().get_token(VAULT_SCOPE)
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == audit.LOGGER_NAME]
    assert [line["event"] for line in lines] == [audit.CREDENTIAL_CREATED, audit.TOKEN_ACQUIRED]
    assert lines[1]["level"] == "info"


def test_importing_does_not_configure_structlog() -> None:
    """Importing settings_cred leaves structlog unconfigured (a library must not)."""
    code = "import settings_cred, settings_cred.aio, structlog; print(structlog.is_configured())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_json_helper_writes_one_json_object_per_event() -> None:
    """configure_json_logging renders each event as a JSON line with level and UTC timestamp."""
    stream = io.StringIO()
    audit.configure_json_logging(stream=stream)
    try:
        audit.emit(audit.LOCKOUT_RELEASED, client_id="c", tenant_id="t", username="u***@x", authority="a")
    finally:
        structlog.reset_defaults()
    line = json.loads(stream.getvalue())
    assert line["event"] == "lockout.released"
    assert line["level"] == "info"
    assert line["timestamp"].endswith("Z")
