"""The request log, and ``reset()``: what a test can observe, and how it starts clean."""

from __future__ import annotations

import dataclasses
import logging
import time

import pytest
import requests

from settings_cred.emulator import ClientCertificate, EntraEmulator, RecordedRequest
from settings_cred.emulator._apps import AppRegistry, ClientSecret
from settings_cred.emulator._certificates import registered_certificate
from settings_cred.emulator._cli_inputs import secret_argument
from settings_cred.emulator._http import Request, json_response
from settings_cred.emulator._identity_endpoint import IdentityCall
from tests.emulator.helpers import (
    APP_ID,
    APP_SECRET,
    AUTHORITY,
    CLIENT_ID,
    MSAL_SCOPES,
    PASSWORD,
    USERNAME,
    client_credentials,
    password_grant,
    refresh_grant,
    signed_assertion,
    with_assertion,
)


class TestRequestLog:
    """Every request is recorded with a fixed set of fields."""

    def test_a_token_request_is_recorded_field_by_field(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """The record names the endpoint, grant, client, user, scope and outcome."""
        before = time.time()
        password_grant(http, claims='{"access_token":{"xms_cc":{"values":["CP1"]}}}')
        (record,) = emulator.requests
        assert dataclasses.replace(record, at=0.0) == RecordedRequest(
            method="POST",
            host="login.microsoftonline.com",
            path="/organizations/oauth2/v2.0/token",
            endpoint="token",
            grant_type="password",
            client_id=CLIENT_ID,
            username=USERNAME,
            scope=MSAL_SCOPES,
            claims_present=True,
            status=200,
            at=0.0,
        )
        assert before <= record.at <= time.time()

    def test_a_refresh_is_recorded_under_the_tokens_owner(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """A refresh-token grant has no username field, yet its record names the user."""
        refresh_grant(http, password_grant(http).json()["refresh_token"])
        assert emulator.requests[-1].username == USERNAME
        assert emulator.requests[-1].grant_type == "refresh_token"

    def test_no_secret_ever_reaches_the_log(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """Passwords, tokens and Authorization headers appear in no recorded field."""
        body = password_grant(http).json()
        refresh_grant(http, body["refresh_token"])
        password_grant(http, password="Wrong-Canary-Pa55")
        http.get(
            "https://myvault.vault.azure.net/secrets/x?api-version=7.5",
            headers={"Authorization": "Bearer " + body["access_token"]},
        )
        log = repr(emulator.requests)
        assert len(emulator.requests) == 4
        for secret in (PASSWORD, "Wrong-Canary-Pa55", body["access_token"], body["refresh_token"], body["id_token"]):
            assert secret not in log

    def test_no_client_credential_reaches_the_log_or_logging(
        self,
        emulator: EntraEmulator,
        http: requests.Session,
        certificate: ClientCertificate,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Client secrets, assertions, private keys and identity headers appear in no record and no log line."""
        caplog.set_level(logging.DEBUG)
        emulator.add_client_secret(APP_ID, APP_SECRET)
        emulator.add_client_certificate(APP_ID, certificate)
        emulator.add_managed_identity()
        assertion = signed_assertion(certificate)
        for form in ({"client_secret": APP_SECRET}, {"client_secret": "Wrong-Canary"}, with_assertion(assertion)):
            client_credentials(http, **form)
        with requests.Session() as direct:
            direct.trust_env = False
            direct.get(
                emulator.identity_endpoint,
                params={"api-version": "2019-08-01", "resource": "https://vault.azure.net"},
                headers={"X-IDENTITY-HEADER": emulator.identity_header},
            )
        seen = repr(emulator.requests) + caplog.text + repr(emulator)
        key = certificate.private_key_pem().decode().splitlines()[1]
        for secret in (APP_SECRET, "Wrong-Canary", assertion, key, emulator.identity_header):
            assert secret not in seen
        assert [r.client_auth for r in emulator.requests] == ["client_secret", None, "certificate", None]

    def test_internal_request_and_response_reprs_hide_bodies_and_headers(self) -> None:
        """The records handlers pass around show no body or header in their repr."""
        request = Request(
            method="POST",
            host="login.microsoftonline.com",
            netloc="login.microsoftonline.com",
            path="/organizations/oauth2/v2.0/token",
            query={},
            headers={"authorization": "Bearer Canary-1", "content-type": "application/x-www-form-urlencoded"},
            body=b"password=Canary-2",
        )
        response = json_response(200, {"access_token": "Canary-3"})
        assert request.form["password"] == "Canary-2"
        assert "Canary" not in repr(request) + repr(response)

    def test_records_holding_client_credentials_hide_them(self, certificate: ClientCertificate) -> None:
        """An app with a secret and a certificate, a call to the identity endpoint and a Key Vault secret
        from the command line show no secret in their repr."""
        apps = AppRegistry()
        app = apps.confidential(APP_ID)
        app.secrets["k"] = ClientSecret("k", "Canary-4", None)
        app.certificates["t"] = registered_certificate(certificate)
        request = Request("GET", "127.0.0.1", "127.0.0.1", "/msi/token", {}, {"x-identity-header": "Canary-5"})
        call = IdentityCall("managed_identity", request, "Canary-5", correlation_id="c", now=0.0)
        entry = secret_argument("vault/name=Canary-6")
        assert entry.value == "Canary-6"
        assert "Canary" not in repr(app) + repr(call) + repr(entry) + repr(certificate)

    def test_count_filters_by_endpoint_and_grant_type(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """``count`` totals all requests, or those of one endpoint and grant type."""
        refresh_grant(http, password_grant(http).json()["refresh_token"])
        http.get(f"{AUTHORITY}/organizations/v2.0/.well-known/openid-configuration")
        assert emulator.count() == emulator.count("any") == 3
        assert emulator.count("token") == 2
        assert emulator.count("token", grant_type="refresh_token") == 1
        assert emulator.count(grant_type="password") == 1
        assert emulator.count("keyvault") == 0

    def test_requests_is_a_snapshot_and_clear_requests_empties_it(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """Changing the returned list changes nothing; ``clear_requests`` empties the log."""
        password_grant(http)
        snapshot = emulator.requests
        snapshot.clear()
        assert len(emulator.requests) == 1
        emulator.clear_requests()
        assert emulator.requests == []

    def test_records_are_immutable(self, emulator: EntraEmulator, http: requests.Session) -> None:
        """A recorded request cannot be altered after the fact."""
        password_grant(http)
        with pytest.raises(dataclasses.FrozenInstanceError):
            emulator.requests[0].status = 500  # type: ignore[misc]


class TestReset:
    """``reset()`` returns the running emulator to its state right after ``start()``."""

    def test_reset_forgets_everything_but_the_default_tenant(
        self, emulator: EntraEmulator, http: requests.Session
    ) -> None:
        """Users, apps, secrets, faults, settings, the log and refused connects all go; the servers stay."""
        proxy_url = emulator.proxy_url
        emulator.add_secret("myvault", "s", "v")
        emulator.add_app("some-app")
        emulator.inject(status=500, times=None)
        emulator.access_token_lifetime, emulator.refresh_in, emulator.latency = 60, 30, 0.01
        password_grant(http)
        with pytest.raises(requests.exceptions.ProxyError):
            requests.get("https://example.com", proxies={"https": proxy_url}, timeout=5, verify=True)
        assert emulator.refused_connects == ["example.com:443"]
        emulator.reset()
        assert emulator.requests == []
        assert emulator.refused_connects == []
        assert emulator.issued_refresh_tokens() == []
        assert emulator.access_token_lifetime == 3600
        assert emulator.refresh_in is None
        assert emulator.latency == 0.0
        assert emulator.proxy_url == proxy_url
        assert password_grant(http).json()["error_codes"] == [50034]  # Alice is gone, no fault fires
        emulator.add_user(USERNAME, PASSWORD)
        assert password_grant(http, client_id="any-client").status_code == 200

    def test_defaults_are_the_constructors(self) -> None:
        """Settings given to the constructor are what ``reset()`` restores."""
        with EntraEmulator(access_token_lifetime=900, refresh_in=450, latency=0.0) as emulator:
            emulator.access_token_lifetime = 60
            emulator.reset()
            assert (emulator.access_token_lifetime, emulator.refresh_in) == (900, 450)

    @pytest.mark.parametrize(
        ("setting", "value"),
        [("access_token_lifetime", 0), ("refresh_in", 0), ("latency", -0.1)],
    )
    def test_settings_reject_impossible_values(self, emulator: EntraEmulator, setting: str, value: float) -> None:
        """Lifetimes must be positive and latency not negative."""
        with pytest.raises(ValueError, match=setting):
            setattr(emulator, setting, value)
