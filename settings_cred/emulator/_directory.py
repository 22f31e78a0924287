"""The emulated directory: tenants and their domains, and users."""

from __future__ import annotations

import dataclasses
import hmac
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, get_args

UserState = Literal["active", "locked", "disabled", "password_expired", "mfa_required", "consent_required"]
USER_STATES: Final = frozenset(get_args(UserState))
STATE_ERRORS: Final[Mapping[str, int]] = {
    "locked": 50053,
    "disabled": 50057,
    "password_expired": 50055,
    "mfa_required": 50076,
    "consent_required": 65001,
}
"""The AADSTS code a sign-in gets for each user state other than ``active``."""
META_TENANTS: Final = frozenset({"organizations", "common", "consumers"})
CONSUMERS_TENANT_ID: Final = "9188040d-6c67-4c5b-b112-36a304b66dad"
_OID_NAMESPACE: Final = uuid.UUID("5b2c3f1e-9a47-4e0c-8d6b-1f2a3c4d5e6f")


@dataclass(frozen=True, slots=True)
class EmulatedUser:
    """A user of the emulated directory, as a snapshot (the password is never part of it)."""

    username: str
    oid: str
    """Object id in the home tenant (stable: derived from the home tenant and the username)."""
    home_tenant_id: str
    display_name: str
    guest_of: tuple[str, ...] = ()
    """Tenants where the user is a guest (B2B); tokens for them carry a tenant-specific ``oid``."""
    state: UserState = "active"

    def belongs_to(self, tenant_id: str) -> bool:
        """Whether the user is a member or a guest of ``tenant_id``."""
        return tenant_id == self.home_tenant_id or tenant_id in self.guest_of

    def oid_in(self, tenant_id: str) -> str:
        """The user's object id in ``tenant_id`` (a guest is a separate object in each resource tenant)."""
        if tenant_id == self.home_tenant_id:
            return self.oid
        return str(uuid.uuid5(uuid.UUID(self.oid), tenant_id))


class Directory:
    """Tenants and users; callers hold the emulator's lock."""

    __slots__ = ("_domains", "_passwords", "_tenants", "_users")

    def __init__(self) -> None:
        self._tenants: dict[str, list[str]] = {}
        self._domains: dict[str, str] = {}
        self._users: dict[str, EmulatedUser] = {}
        self._passwords: dict[str, str] = {}

    def add_tenant(self, tenant_id: str, *domains: str) -> None:
        """Add a tenant (or more domains to one); a domain belongs to one tenant only."""
        tenant_id = guid(tenant_id, "tenant_id")
        for domain in (d.lower() for d in domains):
            owner = self._domains.get(domain, tenant_id)
            if owner != tenant_id:
                raise ValueError(f"domain {domain!r} already belongs to tenant {owner}")
        known = self._tenants.setdefault(tenant_id, [])
        for domain in (d.lower() for d in domains):
            if domain not in known:
                known.append(domain)
                self._domains[domain] = tenant_id

    def find_tenant(self, name: str) -> str | None:
        """The id of the tenant named by GUID or by one of its domains, if any."""
        name = name.lower()
        return name if name in self._tenants else self._domains.get(name)

    def known_tenant(self, name: str) -> str:
        """The id of the tenant named by GUID or by one of its domains; ``ValueError`` if there is none."""
        tenant_id = self.find_tenant(name)
        if tenant_id is None:
            raise ValueError(f"unknown tenant {name!r}; add it with add_tenant() first")
        return tenant_id

    def knows_domain(self, domain: str) -> bool:
        """Whether ``domain`` is a verified domain of some tenant."""
        return domain.lower() in self._domains

    def add_user(
        self,
        username: str,
        password: str,
        *,
        tenant_id: str | None,
        guest_of: Iterable[str],
        display_name: str | None,
        state: UserState,
        default_tenant_id: str,
    ) -> EmulatedUser:
        """Add or replace a user; its domain joins its home tenant unless another tenant owns it."""
        local, _, domain = username.partition("@")
        if not local or not domain:
            raise ValueError(f"username must look like user@domain, got {username!r}")
        _check_state(state)
        owner = self._domains.get(domain.lower())
        if tenant_id is None:
            home = owner or default_tenant_id
        else:
            home = self.known_tenant(tenant_id)
            if owner not in (None, home):
                raise ValueError(f"domain {domain!r} belongs to tenant {owner}, not {home}")
        self.add_tenant(home, domain)
        guests = tuple(dict.fromkeys(self.known_tenant(t) for t in guest_of if t != home))
        oid = str(uuid.uuid5(_OID_NAMESPACE, f"{home}/{username.lower()}"))
        user = EmulatedUser(username, oid, home, display_name or local, guests, state)
        self._users[username.lower()] = user
        self._passwords[username.lower()] = password
        return user

    def user(self, username: str) -> EmulatedUser | None:
        """The user signing in as ``username`` (case-insensitive), if any."""
        return self._users.get(username.lower())

    def password_matches(self, username: str, password: str) -> bool:
        """Whether ``password`` is the user's password (constant-time comparison)."""
        expected = self._passwords.get(username.lower())
        return expected is not None and hmac.compare_digest(expected.encode(), password.encode())

    def set_password(self, username: str, password: str) -> EmulatedUser:
        """Change a user's password."""
        user = self._existing(username)
        self._passwords[username.lower()] = password
        return user

    def set_state(self, username: str, state: UserState) -> EmulatedUser:
        """Change a user's state."""
        _check_state(state)
        user = dataclasses.replace(self._existing(username), state=state)
        self._users[username.lower()] = user
        return user

    def _existing(self, username: str) -> EmulatedUser:
        user = self._users.get(username.lower())
        if user is None:
            raise KeyError(f"no user {username!r} in the emulated directory")
        return user


def guid(value: str, what: str) -> str:
    """``value`` as a GUID in canonical form; ``ValueError`` naming ``what`` if it is not one."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"{what} must be a GUID, got {value!r}") from None


def _check_state(state: str) -> None:
    if state not in USER_STATES:
        raise ValueError(f"state must be one of {sorted(USER_STATES)}, got {state!r}")
