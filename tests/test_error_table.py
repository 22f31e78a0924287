"""Every Entra error code maps to a specific exception whose message says what to do."""

from __future__ import annotations

import pytest
from azure.core.exceptions import ClientAuthenticationError

import settings_cred
from settings_cred import errors
from settings_cred.emulator import EntraEmulator
from tests.conftest import PASSWORD, VAULT_SCOPE, CredentialFactory

ROWS = sorted(errors.ERROR_TABLE.items())
REQUIRED_CODES = {
    50126,
    50053,
    50055,
    50057,
    50076,
    50079,
    50158,
    65001,
    7000218,
    700016,
    90002,
    500011,
    50034,
    50196,
    53003,
}


def entra_answer(code: int) -> dict[str, object]:
    """An error body shaped like Entra's."""
    return {
        "error": "invalid_grant",
        "error_description": f"AADSTS{code}: Something specific happened. Trace ID: trace-1 "
        "Correlation ID: corr-1 Timestamp: 2026-11-29 05:00:00Z",
        "error_codes": [code],
        "timestamp": "2026-11-29 05:00:00Z",
        "trace_id": "trace-1",
        "correlation_id": "corr-1",
    }


def test_table_covers_the_documented_codes() -> None:
    """The table has a row for every code the docs promise."""
    assert set(errors.ERROR_TABLE) >= REQUIRED_CODES


@pytest.mark.parametrize(("code", "cls"), ROWS, ids=[f"AADSTS{code}" for code, _ in ROWS])
def test_code_maps_to_its_exception(code: int, cls: type[errors.EntraAuthenticationError]) -> None:
    """An Entra answer with this code becomes its exception, with code, ids and remediation in the message."""
    error = errors.error_from_result(entra_answer(code), 400)
    assert type(error) is cls
    assert isinstance(error, ClientAuthenticationError)
    assert error.error_code == code
    message = str(error)
    assert f"AADSTS{code}: Something specific happened." in message
    assert "What to do: " + cls.remediation in message
    assert "correlation_id=corr-1" in message
    assert "trace_id=trace-1" in message
    assert "timestamp=2026-11-29 05:00:00Z" in message
    assert message.count("Something specific happened") == 1
    assert cls.__name__ in settings_cred.__all__


@pytest.mark.parametrize(
    ("answer", "status", "expected"),
    [
        pytest.param({"error": "interaction_required"}, 400, errors.InteractionRequiredError, id="interaction"),
        pytest.param({"error": "temporarily_unavailable"}, 400, errors.EntraUnavailableError, id="temp-unavailable"),
        pytest.param({"error": "server_error"}, 503, errors.EntraUnavailableError, id="http-503"),
        pytest.param({"error": "too_many"}, 429, errors.EntraUnavailableError, id="http-429"),
        pytest.param({"error": "invalid_request"}, 400, errors.EntraAuthenticationError, id="unknown"),
        pytest.param({"error_description": "AADSTS50126: bad"}, 400, errors.InvalidCredentialsError, id="code-in-text"),
    ],
)
def test_answers_without_a_table_code_map_by_error_and_status(
    answer: dict[str, object], status: int, expected: type[Exception]
) -> None:
    """Answers without a known code map by OAuth error and HTTP status."""
    assert type(errors.error_from_result(answer, status)) is expected


@pytest.mark.parametrize(("code", "cls"), ROWS, ids=[f"AADSTS{code}" for code, _ in ROWS])
def test_entra_answer_raises_the_mapped_exception(
    make_credential: CredentialFactory, idp: EntraEmulator, code: int, cls: type[Exception]
) -> None:
    """When Entra answers the password grant with this code, the credential raises its exception."""
    idp.inject(endpoint="token", aadsts=code)
    with pytest.raises(cls) as caught:
        make_credential().get_token(VAULT_SCOPE)
    assert f"AADSTS{code}" in str(caught.value)
    assert caught.value.correlation_id  # type: ignore[attr-defined]
    assert PASSWORD not in str(caught.value)
