"""Injected faults: failing, dropping and slowing down the next matching requests."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

from settings_cred.emulator import EntraEmulator, Fault
from settings_cred.emulator._errors import AADSTS_ERRORS
from tests.emulator.helpers import AUTHORITY, password_grant, refresh_grant

DISCOVERY = f"{AUTHORITY}/organizations/v2.0/.well-known/openid-configuration"


class TestStatusFaults:
    """``inject(status=...)``: an HTTP error with an Entra-shaped body."""

    def test_a_503_with_retry_after_then_normal_service(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The next token request gets 503 with Retry-After and a transient-error body; the one after succeeds."""
        fault = emulator.inject(status=503, retry_after=7)
        first = password_grant(http)
        assert first.status_code == 503
        assert first.headers["Retry-After"] == "7"
        assert first.json()["error"] == "temporarily_unavailable"
        assert first.json()["error_codes"] == [90033]
        assert password_grant(http).status_code == 200
        assert (fault.hits, fault.remaining) == (1, 0)

    def test_a_429_is_throttling(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A 429 carries Entra's throttling code."""
        emulator.inject(status=429)
        response = password_grant(http)
        assert (response.status_code, response.json()["error_codes"]) == (429, [90055])

    def test_times_counts_matching_requests(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``times=2`` fails exactly the next two requests."""
        emulator.inject(status=500, times=2)
        assert [password_grant(http).status_code for _ in range(3)] == [500, 500, 200]

    def test_times_none_lasts_until_cleared(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``times=None`` keeps failing until ``clear_faults()``."""
        fault = emulator.inject(status=502, times=None)
        assert [password_grant(http).status_code for _ in range(4)] == [502] * 4
        assert (fault.hits, fault.remaining) == (4, None)
        emulator.clear_faults()
        assert password_grant(http).status_code == 200

    def test_faults_apply_in_the_order_injected(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Two faults for the same endpoint are used up one after the other."""
        emulator.inject(status=500)
        emulator.inject(status=503)
        assert [password_grant(http).status_code for _ in range(3)] == [500, 503, 200]


class TestAadstsFaults:
    """``inject(aadsts=...)``: answer with any row of the AADSTS table."""

    @pytest.mark.parametrize("code", sorted(AADSTS_ERRORS), ids=[f"AADSTS{c}" for c in sorted(AADSTS_ERRORS)])
    def test_every_table_row_can_be_injected(self, emulator: EntraEmulator, http: requests.Session, code: int) -> None:
        """The answer has the row's status, ``error``, code and ``suberror``, in Entra's body shape."""
        row = AADSTS_ERRORS[code]
        emulator.inject(aadsts=code)
        response = password_grant(http)
        body = response.json()
        assert response.status_code == row.status
        assert (body["error"], body["error_codes"], body.get("suberror")) == (row.error, [code], row.suberror)
        assert body["error_description"].startswith(f"AADSTS{code}: ")
        assert "{" not in body["error_description"].split(" Trace ID: ")[0].replace("{EmailHidden}", "")

    def test_an_explicit_status_overrides_the_tables(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``status`` with ``aadsts`` keeps the code and changes the HTTP status."""
        emulator.inject(aadsts=50126, status=401)
        response = password_grant(http)
        assert (response.status_code, response.json()["error_codes"]) == (401, [50126])


class TestMatching:
    """Which requests a fault applies to."""

    def test_grant_type_narrows_a_token_fault(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A fault for refresh-token grants leaves password grants alone."""
        emulator.inject(aadsts=50173, grant_type="refresh_token")
        refresh_token = password_grant(http).json()["refresh_token"]
        assert refresh_grant(http, refresh_token).json()["error_codes"] == [50173]
        assert refresh_grant(http, refresh_token).status_code == 200

    def test_an_endpoint_fault_leaves_other_endpoints_alone(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """A fault on OpenID metadata does not touch the token endpoint."""
        emulator.inject(endpoint="openid_configuration", status=500)
        assert password_grant(http).status_code == 200
        assert http.get(DISCOVERY).status_code == 500

    def test_any_matches_every_endpoint(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``endpoint="any"`` takes the next request wherever it goes."""
        emulator.inject(endpoint="any", status=500)
        assert http.get(DISCOVERY).status_code == 500

    def test_a_keyvault_fault_has_key_vaults_error_shape(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Status faults on Key Vault answer in Key Vault's ``{"error": {"code", "message"}}`` shape."""
        emulator.inject(endpoint="keyvault", status=503, retry_after=1)
        response = http.get("https://myvault.vault.azure.net/secrets/s?api-version=7.5")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "ServiceUnavailable"
        assert response.headers["Retry-After"] == "1"


class TestDropAndDelay:
    """Faults that cut the connection or slow the answer."""

    def test_drop_closes_the_connection_without_an_answer(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """A dropped request surfaces as a connection error and is logged with no status."""
        emulator.inject(drop=True)
        with pytest.raises(requests.exceptions.ConnectionError):
            password_grant(http)
        assert [(r.endpoint, r.status) for r in emulator.requests] == [("token", None)]
        assert password_grant(http).status_code == 200

    def test_delay_slows_the_next_answer(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``delay`` alone waits, then answers normally."""
        emulator.inject(delay=0.2)
        started = time.perf_counter()
        assert password_grant(http).status_code == 200
        assert time.perf_counter() - started >= 0.2
        started = time.perf_counter()
        password_grant(http)
        assert time.perf_counter() - started < 0.2

    def test_latency_applies_to_the_token_endpoint_only(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The ``latency`` setting slows token answers, not discovery."""
        emulator.latency = 0.15
        started = time.perf_counter()
        http.get(DISCOVERY)
        assert time.perf_counter() - started < 0.15
        started = time.perf_counter()
        password_grant(http)
        assert time.perf_counter() - started >= 0.15


class TestConcurrency:
    """Faults are consumed exactly once under concurrent load."""

    def test_a_fault_is_used_exactly_times_under_concurrency(self, emulator: EntraEmulator) -> None:
        """Eight threads racing through a ``times=5`` fault see exactly five failures."""
        emulator.inject(status=503, times=5)
        statuses: list[int] = []
        lock = threading.Lock()

        def sign_in() -> None:
            with requests.Session() as session:
                session.trust_env = False
                session.proxies, session.verify = {"https": emulator.proxy_url}, emulator.ca_bundle
                for _ in range(5):
                    status = password_grant(session).status_code
                    with lock:
                        statuses.append(status)

        threads = [threading.Thread(target=sign_in) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [200] * 35 + [503] * 5
        assert emulator.count("token") == 40


class TestValidation:
    """``inject`` refuses faults that cannot happen."""

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"endpoint": "authorize"},
            {"status": 99},
            {"status": 600},
            {"aadsts": 12345},
            {"times": 0},
            {"delay": -1.0},
            {"retry_after": -1},
        ],
        ids=[
            "unknown-endpoint",
            "status-too-low",
            "status-too-high",
            "unknown-aadsts",
            "times-0",
            "negative-delay",
            "negative-retry-after",
        ],
    )
    def test_rejects_impossible_faults(self, emulator: EntraEmulator, kwargs: dict[str, Any]) -> None:
        """Each impossible fault raises ValueError at injection time, not at request time."""
        with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
            emulator.inject(**kwargs)

    def test_a_fault_describes_itself(self, emulator: EntraEmulator) -> None:
        """A fault's repr names what it does and how often."""
        fault = emulator.inject(status=503, retry_after=2, times=3)
        assert isinstance(fault, Fault)
        assert repr(fault) == "Fault(endpoint='token', status=503, retry_after=2, hits=0, remaining=3)"
