"""The public surface of ``settings_cred.emulator`` and its pytest plugin."""

from __future__ import annotations

import inspect
import uuid

import pytest

import settings_cred.emulator as emulator_package
from settings_cred.emulator import ClientCertificate, EntraEmulator, pytest_plugin


def test_exports_exactly_the_public_names_sorted() -> None:
    """``__all__`` is sorted and lists exactly the public API."""
    assert emulator_package.__all__ == [
        "DEFAULT_TENANT_ID",
        "DEFAULT_TOKEN_ISSUER",
        "TOKEN_EXCHANGE_AUDIENCE",
        "WELL_KNOWN_RESOURCES",
        "ClientCertificate",
        "EmulatedUser",
        "Endpoint",
        "EntraEmulator",
        "Fault",
        "ManagedIdentity",
        "RecordedRequest",
        "UserState",
    ]
    for name in emulator_package.__all__:
        assert getattr(emulator_package, name) is not None


def test_the_default_tenant_is_a_fixed_guid() -> None:
    """``DEFAULT_TENANT_ID`` is a lower-case GUID string."""
    tenant = emulator_package.DEFAULT_TENANT_ID
    assert str(uuid.UUID(tenant)) == tenant


@pytest.mark.parametrize(
    ("method", "keywords"),
    [
        (
            "__init__",
            [
                "tenant_id",
                "tenant_domain",
                "access_token_lifetime",
                "refresh_in",
                "latency",
                "port",
                "proxy_port",
                "identity_port",
                "identity_header",
            ],
        ),
        ("add_user", ["tenant_id", "guest_of", "display_name", "state"]),
        ("add_app", ["allow_public_client_flows", "tenant_id", "roles"]),
        ("add_client_secret", ["expires_on"]),
        ("add_federated_credential", ["issuer", "audiences", "name"]),
        ("issue_federated_token", ["issuer", "audience", "lifetime", "issued_at"]),
        ("add_managed_identity", ["client_id", "object_id"]),
        ("managed_identity_environ", ["source"]),
        ("add_secret", ["version", "content_type"]),
        ("inject", ["endpoint", "status", "aadsts", "retry_after", "drop", "delay", "times", "grant_type"]),
        ("count", ["grant_type"]),
    ],
)
def test_options_are_keyword_only(method: str, keywords: list[str]) -> None:
    """Options are keyword-only, with the documented names."""
    parameters = inspect.signature(getattr(EntraEmulator, method)).parameters.values()
    assert [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY] == keywords


def test_every_public_callable_has_a_docstring() -> None:
    """Each public method and property of EntraEmulator and ClientCertificate is documented."""
    for cls in (EntraEmulator, ClientCertificate):
        for name, member in inspect.getmembers(cls):
            if not name.startswith("_"):
                assert inspect.getdoc(member), name


def test_fixtures_are_documented() -> None:
    """The plugin's fixtures say what they give."""
    for fixture in (pytest_plugin.entra_emulator, pytest_plugin.entra_emulator_session):
        assert inspect.getdoc(fixture)


def test_the_function_fixture_is_the_session_emulator_reset(
    entra_emulator: EntraEmulator, entra_emulator_session: EntraEmulator
) -> None:
    """``entra_emulator`` is the session's emulator, reset for this test."""
    assert entra_emulator is entra_emulator_session
    assert entra_emulator.requests == []
    assert entra_emulator.proxy_url.startswith("http://127.0.0.1:")
