"""Multi-tenant rules: which tenant a token request goes to (azure-identity's rules, table-driven)."""

from __future__ import annotations

import pytest

from settings_cred import TenantNotAllowedError
from settings_cred._core._authority import resolve_tenant
from settings_cred.audit import TENANT_BLOCKED, capture_audit
from settings_cred.emulator import EntraEmulator
from tests.conftest import USERNAME, VAULT_SCOPE, CredentialFactory

OTHER = "22222222-0000-0000-0000-000000000002"
THIRD = "33333333-0000-0000-0000-000000000003"
HOME = "11111111-0000-0000-0000-000000000001"

ALLOWED = [
    pytest.param(HOME, None, (), {}, HOME, id="no-request-uses-configured"),
    pytest.param(HOME, HOME, (), {}, HOME, id="same-tenant"),
    pytest.param("organizations", OTHER, (), {}, OTHER, id="organizations-allows-any-without-list"),
    pytest.param(HOME, OTHER, (OTHER,), {}, OTHER, id="listed-tenant"),
    pytest.param(HOME, OTHER, ("*",), {}, OTHER, id="wildcard"),
    pytest.param(HOME, OTHER, (), {"AZURE_IDENTITY_DISABLE_MULTITENANTAUTH": "1"}, HOME, id="multitenant-disabled"),
    pytest.param("adfs", OTHER, (), {}, "adfs", id="adfs-ignores-requests"),
]
REFUSED = [
    pytest.param(HOME, OTHER, (), id="specific-tenant-no-list"),
    pytest.param(HOME, OTHER, (THIRD,), id="not-in-list"),
    pytest.param("organizations", OTHER, (THIRD,), id="organizations-with-list"),
]


@pytest.mark.parametrize(("configured", "requested", "allowed", "environ", "expected"), ALLOWED)
def test_resolves_tenant(
    configured: str, requested: str | None, allowed: tuple[str, ...], environ: dict[str, str], expected: str
) -> None:
    """The request goes to the tenant azure-identity would pick."""
    assert resolve_tenant(configured, requested, additionally_allowed_tenants=allowed, environ=environ) == expected


@pytest.mark.parametrize(("configured", "requested", "allowed"), REFUSED)
def test_refuses_tenant_outside_the_allowed_list(configured: str, requested: str, allowed: tuple[str, ...]) -> None:
    """A tenant that is neither configured nor allowed is refused, and the error says how to allow it."""
    with pytest.raises(TenantNotAllowedError, match="additionally_allowed_tenants") as caught:
        resolve_tenant(configured, requested, additionally_allowed_tenants=allowed, environ={})
    assert caught.value.tenant_id == requested


def test_requested_tenant_must_be_a_valid_identifier() -> None:
    """A requested tenant with URL characters is rejected before it can reach a URL."""
    with pytest.raises(ValueError, match="Invalid tenant ID"):
        resolve_tenant("organizations", "evil/../x", additionally_allowed_tenants=(), environ={})


class TestAgainstEntra:
    def test_token_for_a_tenant_where_the_user_is_a_guest(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """An allowed tenant gets its own token, issued by that tenant."""
        idp.add_tenant(OTHER, "fabrikam.onmicrosoft.com")
        idp.add_user("bob@contoso.onmicrosoft.com", "Bob-Pa55", guest_of=[OTHER])
        credential = make_credential(
            username="bob@contoso.onmicrosoft.com",
            password="Bob-Pa55",
            tenant_id=idp.tenant_id,
            additionally_allowed_tenants=[OTHER],
        )
        home = credential.get_token(VAULT_SCOPE)
        guest = credential.get_token(VAULT_SCOPE, tenant_id=OTHER)
        assert home.token != guest.token
        tenants = [r.path.split("/")[1] for r in idp.requests if r.endpoint == "token"]
        assert tenants == [idp.tenant_id, OTHER]

    def test_blocked_tenant_is_audited_and_sends_nothing(
        self, make_credential: CredentialFactory, idp: EntraEmulator
    ) -> None:
        """A refused tenant raises, emits tenant.blocked, and makes no request."""
        credential = make_credential(tenant_id=idp.tenant_id)
        with capture_audit() as events, pytest.raises(TenantNotAllowedError):
            credential.get_token(VAULT_SCOPE, tenant_id=OTHER)
        assert [e["event"] for e in events] == [TENANT_BLOCKED]
        assert events[0]["requested_tenant_id"] == OTHER
        assert events[0]["username"] != USERNAME
        assert idp.count("token") == 0
