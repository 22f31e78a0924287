"""Managed identities of the emulated host: one system-assigned, any number of user-assigned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from ._directory import guid

SUBSCRIPTION_ID: Final = "5ca1ab1e-0000-4000-8000-00000000e3a1"
RESOURCE_GROUP: Final = "emulator-rg"
_NAMESPACE: Final = uuid.UUID("9d7e5c1a-2b4f-4c8d-a6e3-7f1b0c2d4e59")


@dataclass(frozen=True, slots=True)
class ManagedIdentity:
    """A managed identity the emulated host can get tokens for."""

    client_id: str
    object_id: str
    """The object (principal) id of its service principal."""
    resource_id: str
    """Its Azure resource id (``mi_res_id``); for the system-assigned identity, the host's own resource."""
    name: str | None = None
    """The user-assigned identity's name; ``None`` for the system-assigned one."""

    @property
    def user_assigned(self) -> bool:
        """Whether the identity is user-assigned."""
        return self.name is not None


class Identities:
    """The host's identities; callers hold the emulator's lock."""

    __slots__ = ("_system", "_users")

    def __init__(self) -> None:
        self._system: ManagedIdentity | None = None
        self._users: list[ManagedIdentity] = []

    def add(self, name: str | None, *, client_id: str | None, object_id: str | None) -> ManagedIdentity:
        """Enable the system-assigned identity (``name=None``) or add a user-assigned one."""
        seed = name or "system-assigned"
        identity = ManagedIdentity(
            client_id=guid(client_id, "client_id") if client_id else str(uuid.uuid5(_NAMESPACE, f"{seed}/client")),
            object_id=guid(object_id, "object_id") if object_id else str(uuid.uuid5(_NAMESPACE, f"{seed}/object")),
            resource_id=_resource_id(name),
            name=name,
        )
        others = [i for i in self._users if i.name != name]
        if any(i.client_id == identity.client_id or i.object_id == identity.object_id for i in others):
            raise ValueError("another managed identity already has this client_id or object_id")
        if name is None:
            self._system = identity
        else:
            self._users = [*others, identity]
        return identity

    def find(self, selector: tuple[str, str] | None) -> ManagedIdentity | None:
        """The identity a request names by ``(parameter, value)``; ``None`` selects the system-assigned one."""
        if selector is None:
            return self._system
        parameter, value = selector
        attribute = {"client_id": "client_id", "object_id": "object_id", "principal_id": "object_id"}.get(
            parameter, "resource_id"
        )
        return next((i for i in self._users if getattr(i, attribute).lower() == value.lower()), None)


def _resource_id(name: str | None) -> str:
    base = f"/subscriptions/{SUBSCRIPTION_ID}/resourcegroups/{RESOURCE_GROUP}/providers"
    if name is None:
        return f"{base}/Microsoft.Web/sites/emulated-app"
    return f"{base}/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
