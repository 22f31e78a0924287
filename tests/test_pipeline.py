"""Requests to Entra ID go through our azure-core pipeline: retries, proxy, user agent, safe logging."""

from __future__ import annotations

import logging

import pytest
from azure.core.pipeline.policies import NetworkTraceLoggingPolicy, ProxyPolicy, RetryPolicy
from azure.core.pipeline.transport import RequestsTransport

from settings_cred import EntraUnavailableError
from settings_cred._transport._pipeline import redact_url
from settings_cred.emulator import EntraEmulator
from tests.conftest import VAULT_SCOPE, CredentialFactory


def test_post_is_retried_after_a_server_error(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """A 503 on the token POST is retried (Retry-After honoured) and the sign-in succeeds."""
    idp.inject(endpoint="token", status=503, retry_after=0, times=1)
    assert make_credential(retry_backoff_factor=0.01).get_token(VAULT_SCOPE).token
    assert idp.count("token") == 2


def test_a_dropped_connection_is_retried(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """A connection closed without an answer is retried like a server error."""
    idp.inject(endpoint="token", drop=True, times=1)
    assert make_credential(retry_backoff_factor=0.01).get_token(VAULT_SCOPE).token
    assert idp.count("token") >= 1


def test_outage_becomes_entra_unavailable(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """When every attempt fails, the error says Entra ID is unavailable and what to check."""
    idp.inject(endpoint="token", status=503, times=None)
    with pytest.raises(EntraUnavailableError, match="What to do"):
        make_credential(retry_total=1, retry_backoff_factor=0.01).get_token(VAULT_SCOPE)


def test_unreachable_proxy_becomes_entra_unavailable(make_credential: CredentialFactory) -> None:
    """A network failure is reported as EntraUnavailableError, not a raw transport exception."""
    credential = make_credential(proxies={"https": "http://127.0.0.1:9"}, retry_total=0)
    with pytest.raises(EntraUnavailableError, match="Could not reach"):
        credential.get_token(VAULT_SCOPE)


def test_user_supplied_transport_and_policies_are_used(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """A transport and a policy list given by the caller replace ours."""
    transport = RequestsTransport(connection_verify=idp.ca_bundle)
    policies = [ProxyPolicy(proxies={"https": idp.proxy_url}), RetryPolicy(retry_total=0)]
    credential = make_credential(transport=transport, policies=policies)
    assert credential.get_token(VAULT_SCOPE).token


def test_body_logging_policy_is_removed(make_credential: CredentialFactory, idp: EntraEmulator) -> None:
    """NetworkTraceLoggingPolicy, which logs bodies, is dropped from given policies with a warning."""
    with pytest.warns(UserWarning, match="NetworkTraceLoggingPolicy"):
        make_credential(policies=[NetworkTraceLoggingPolicy(logging_enable=True)])


def test_logging_enable_logs_requests_without_bodies(
    make_credential: CredentialFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """logging_enable logs one line per request: method, redacted URL, status."""
    caplog.set_level(logging.DEBUG, logger="settings_cred.http")
    make_credential(logging_enable=True).get_token(VAULT_SCOPE)
    lines = [r.getMessage() for r in caplog.records if r.name == "settings_cred.http"]
    assert any(line.startswith("POST https://login.microsoftonline.com/") and "-> 200" in line for line in lines)
    assert all("password" not in line for line in lines)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://login.microsoftonline.com/common/userrealm/alice@contoso.com?api-version=1.0",
            "https://login.microsoftonline.com/common/userrealm/a***@contoso.com",
            id="user-realm",
        ),
        pytest.param(
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/token?x=1",
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
            id="query-dropped",
        ),
    ],
)
def test_logged_urls_are_redacted(url: str, expected: str) -> None:
    """Logged URLs lose their query and mask the username in user-realm paths."""
    assert redact_url(url) == expected
