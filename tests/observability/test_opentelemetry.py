"""OpenTelemetry: spans around sign-ins and refreshes, metrics for sign-ins, failures, hits and the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from settings_cred import InvalidCredentialsError, TokenCachePersistenceOptions, UsernamePasswordCredential
from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE, CredentialFactory
from tests.observability.conftest import Telemetry

WRONG = "Wrong-Otel-Canary-3b71"


def test_a_sign_in_is_a_child_span_of_the_caller_with_no_personal_data(
    make_credential: CredentialFactory, idp: EntraEmulator, otel: Telemetry
) -> None:
    """The acquire_token span hangs under the caller's span and names kind, client, tenant, scopes and grant."""
    from opentelemetry import trace

    credential = make_credential()
    with trace.get_tracer("tests").start_as_current_span("caller") as caller:
        token = credential.get_token(VAULT_SCOPE).token
    (span,) = otel.finished("settings_cred.acquire_token")
    assert span.parent is not None
    assert span.parent.span_id == caller.get_span_context().span_id
    assert span.attributes["settings_cred.kind"] == "password"
    assert span.attributes["settings_cred.client_id"] == CLIENT_ID
    assert span.attributes["settings_cred.grant"] == "password"
    assert list(span.attributes["settings_cred.scopes"]) == [VAULT_SCOPE]
    assert span.attributes["settings_cred.username"] == "a***@contoso.onmicrosoft.com"
    everything = json.dumps([dict(s.attributes or {}) for s in otel.spans.get_finished_spans()], default=str)
    for secret in (PASSWORD, token, USERNAME, *idp.issued_refresh_tokens()):
        assert secret not in everything


def test_a_failed_sign_in_marks_its_span_with_the_error_class_and_code(
    make_credential: CredentialFactory, otel: Telemetry
) -> None:
    """Status ERROR with the exception class and AADSTS code, never the message."""
    credential = make_credential(password=WRONG)
    with pytest.raises(InvalidCredentialsError):
        credential.get_token(VAULT_SCOPE)
    (span,) = otel.finished("settings_cred.acquire_token")
    assert span.status.status_code.name == "ERROR"
    assert span.attributes["error.type"] == "InvalidCredentialsError"
    assert span.attributes["settings_cred.error_code"] == 50126
    assert span.events == ()


def test_counters_for_sign_ins_failures_and_lockout_refusals(
    make_credential: CredentialFactory, otel: Telemetry
) -> None:
    """One sign-in; a wrong password is one failure (50126), then one lockout-guard refusal."""
    before = (
        otel.total("settings_cred.sign_ins", **{"settings_cred.grant": "password"}),
        otel.total("settings_cred.failures", **{"settings_cred.error_code": 50126}),
        otel.total("settings_cred.lockout_refusals"),
        otel.total("settings_cred.duration", **{"settings_cred.operation": "sign_in"}),
    )
    make_credential().get_token(VAULT_SCOPE)
    wrong = make_credential(password=WRONG)
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            wrong.get_token(VAULT_SCOPE)
    after = (
        otel.total("settings_cred.sign_ins", **{"settings_cred.grant": "password"}),
        otel.total("settings_cred.failures", **{"settings_cred.error_code": 50126}),
        otel.total("settings_cred.lockout_refusals"),
        otel.total("settings_cred.duration", **{"settings_cred.operation": "sign_in"}),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 2, 1, 3]


def test_cache_hits_are_counted_without_an_event_per_call(make_credential: CredentialFactory, otel: Telemetry) -> None:
    """The observable counter reads the core's hit count: 100 warm calls, 100 hits."""
    credential = make_credential()
    credential.get_token(VAULT_SCOPE)
    before = otel.total("settings_cred.cache.hits", **{"settings_cred.client_id": CLIENT_ID})
    for _ in range(100):
        credential.get_token(VAULT_SCOPE)
    after = otel.total("settings_cred.cache.hits", **{"settings_cred.client_id": CLIENT_ID})
    assert after - before >= 100


def test_a_gauge_says_when_each_token_must_be_refreshed(make_credential: CredentialFactory, otel: Telemetry) -> None:
    """Seconds until refresh: a fresh one-hour token is due in about 55 minutes."""
    credential = make_credential()
    credential.get_token(VAULT_SCOPE)
    values = [
        p.value for p in otel.points("settings_cred.token.refresh_in") if p.attributes.get("settings_cred.scopes")
    ]
    assert any(3200 < value <= 3300 for value in values)


def test_a_background_refresh_is_a_span_of_its_own(
    make_credential: CredentialFactory, idp: EntraEmulator, otel: Telemetry
) -> None:
    """A refresh in the refresh window produces a refresh_token span with the refresh-token grant."""
    idp.refresh_in = 1
    credential = make_credential()
    credential.get_token(VAULT_SCOPE)
    time.sleep(1.2)
    credential.get_token(VAULT_SCOPE)
    deadline = time.monotonic() + 5
    while not otel.finished("settings_cred.refresh_token") and time.monotonic() < deadline:
        time.sleep(0.02)
    (span,) = otel.finished("settings_cred.refresh_token")
    assert span.attributes["settings_cred.grant"] == "refresh_token"


def test_store_reads_and_writes_are_counted(idp: EntraEmulator, cache_dir: Path, otel: Telemetry) -> None:
    """A second credential on a shared store reads a hit; the first one's writes are stored."""
    options = TokenCachePersistenceOptions(name="otel", directory=cache_dir, encryption_key=CACHE_KEY)
    hits = otel.total("settings_cred.store.operations", **{"settings_cred.store.result": "hit"})
    stored = otel.total("settings_cred.store.operations", **{"settings_cred.store.result": "stored"})
    for _ in range(2):
        with UsernamePasswordCredential(
            CLIENT_ID, USERNAME, PASSWORD, cache_persistence_options=options, **idp.pipeline_options()
        ) as credential:
            credential.get_token(VAULT_SCOPE)
    assert otel.total("settings_cred.store.operations", **{"settings_cred.store.result": "hit"}) > hits
    assert otel.total("settings_cred.store.operations", **{"settings_cred.store.result": "stored"}) > stored


def test_without_opentelemetry_nothing_of_it_is_loaded(idp: EntraEmulator) -> None:
    """An application that does not use OpenTelemetry pays nothing: the API is never imported."""
    code = (
        "import sys, warnings; warnings.simplefilter('ignore')\n"
        "from settings_cred import UsernamePasswordCredential\n"
        f"c = UsernamePasswordCredential({CLIENT_ID!r}, {USERNAME!r}, {PASSWORD!r}, "
        f"proxies={{'https': {idp.proxy_url!r}}}, connection_verify={idp.ca_bundle!r})\n"
        f"c.get_token({VAULT_SCOPE!r}); c.get_token({VAULT_SCOPE!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"


def test_key_vault_resolution_is_a_span_with_a_child_per_secret(
    idp: EntraEmulator, otel: Telemetry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolving references opens a span under the caller's, with one child per secret read (in worker threads)."""
    from opentelemetry import trace

    from settings_cred import CredentialSettings

    idp.add_secret("contoso-vault", "svc-password", PASSWORD)
    monkeypatch.setenv("AZURE_PASSWORD", "@Microsoft.KeyVault(VaultName=contoso-vault;SecretName=svc-password)")
    with (
        UsernamePasswordCredential(CLIENT_ID, USERNAME, PASSWORD, **idp.pipeline_options()) as bootstrap,
        trace.get_tracer("tests").start_as_current_span("start-up") as caller,
    ):
        CredentialSettings.from_sources(
            env_file=None,
            client_id=CLIENT_ID,
            username=USERNAME,
            keyvault_credential=bootstrap,
            keyvault_options={**idp.pipeline_options(), "retry_total": 0},
        )
    (resolve,) = otel.finished("settings_cred.keyvault.resolve")
    (read,) = otel.finished("settings_cred.keyvault.get_secret")
    assert resolve.parent.span_id == caller.get_span_context().span_id
    assert read.parent.span_id == resolve.context.span_id
    assert read.attributes["settings_cred.keyvault.secret"] == "svc-password"
    assert read.attributes["settings_cred.keyvault.vault"] == "contoso-vault.vault.azure.net"
