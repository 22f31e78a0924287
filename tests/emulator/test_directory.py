"""Tenants, users and their validation rules."""

from __future__ import annotations

import dataclasses

import pytest

from settings_cred.emulator import DEFAULT_TENANT_ID, EmulatedUser, EntraEmulator

OTHER_TENANT = "44444444-0000-4000-8000-000000000004"


class TestUsers:
    """``add_user`` and friends."""

    def test_a_user_is_a_snapshot_without_its_password(self, emulator: EntraEmulator) -> None:
        """The returned record holds identity and state, never the password."""
        user = emulator.add_user("frank@contoso.onmicrosoft.com", "Frank-Secret-Pa55", display_name="Frank")
        assert user == EmulatedUser(
            username="frank@contoso.onmicrosoft.com",
            oid=user.oid,
            home_tenant_id=DEFAULT_TENANT_ID,
            display_name="Frank",
        )
        assert "Frank-Secret-Pa55" not in repr(user)
        assert "password" not in {field.name for field in dataclasses.fields(user)}

    def test_object_ids_are_stable(self, emulator: EntraEmulator) -> None:
        """The same user in the same tenant always gets the same object id."""
        first = emulator.add_user("grace@contoso.onmicrosoft.com", "pw")
        emulator.reset()
        assert emulator.add_user("Grace@contoso.onmicrosoft.com", "other").oid == first.oid

    def test_the_home_tenant_is_the_owner_of_the_users_domain(self, emulator: EntraEmulator) -> None:
        """Without ``tenant_id`` a user joins the tenant owning its domain, else the default tenant."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        assert emulator.add_user("heidi@fabrikam.com", "pw").home_tenant_id == OTHER_TENANT
        assert emulator.add_user("ivan@new.example", "pw").home_tenant_id == DEFAULT_TENANT_ID

    def test_guest_tenants_may_be_named_by_domain(self, emulator: EntraEmulator) -> None:
        """``guest_of`` accepts tenant ids or domains and stores ids."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        judy = emulator.add_user("judy@contoso.onmicrosoft.com", "pw", guest_of=["fabrikam.com"])
        assert judy.guest_of == (OTHER_TENANT,)
        assert judy.belongs_to(OTHER_TENANT)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"username": "no-at-sign"}, "user@domain"),
            ({"tenant_id": OTHER_TENANT}, "unknown tenant"),
            ({"guest_of": ["fabrikam.com"]}, "unknown tenant"),
            ({"state": "suspended"}, "state must be one of"),
        ],
        ids=["username", "tenant", "guest-tenant", "state"],
    )
    def test_add_user_rejects_what_entra_would_not_have(
        self, emulator: EntraEmulator, kwargs: dict[str, object], message: str
    ) -> None:
        """Malformed usernames, unknown tenants and unknown states raise ValueError."""
        arguments: dict[str, object] = {"username": "kim@contoso.onmicrosoft.com", "password": "pw", **kwargs}
        with pytest.raises(ValueError, match=message):
            emulator.add_user(**arguments)  # type: ignore[arg-type]

    def test_a_domain_belongs_to_one_tenant(self, emulator: EntraEmulator) -> None:
        """A user cannot be homed in a tenant other than its domain's owner."""
        emulator.add_tenant(OTHER_TENANT, "fabrikam.com")
        with pytest.raises(ValueError, match="belongs to tenant"):
            emulator.add_user("leo@contoso.onmicrosoft.com", "pw", tenant_id=OTHER_TENANT)
        with pytest.raises(ValueError, match="already belongs"):
            emulator.add_tenant(OTHER_TENANT, "contoso.onmicrosoft.com")

    @pytest.mark.parametrize("change", ["set_password", "set_user_state"])
    def test_changing_an_unknown_user_is_a_key_error(self, emulator: EntraEmulator, change: str) -> None:
        """``set_password`` and ``set_user_state`` need an existing user."""
        value = "pw" if change == "set_password" else "locked"
        with pytest.raises(KeyError, match="no user"):
            getattr(emulator, change)("nobody@contoso.onmicrosoft.com", value)


class TestTenants:
    """``add_tenant``."""

    def test_a_tenant_id_must_be_a_guid(self, emulator: EntraEmulator) -> None:
        """Entra tenant ids are GUIDs; anything else is refused."""
        with pytest.raises(ValueError, match="GUID"):
            emulator.add_tenant("fabrikam", "fabrikam.com")

    def test_the_default_tenant_can_be_chosen(self) -> None:
        """The constructor's tenant id and domain become the default tenant."""
        with EntraEmulator(tenant_id=OTHER_TENANT.upper(), tenant_domain="fabrikam.com") as emulator:
            assert emulator.tenant_id == OTHER_TENANT
            assert emulator.add_user("mia@fabrikam.com", "pw").home_tenant_id == OTHER_TENANT
