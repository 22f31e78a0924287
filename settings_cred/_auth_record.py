"""AuthenticationRecord: non-secret account information, serialized exactly as azure-identity does."""

from __future__ import annotations

import json
from typing import Final

SUPPORTED_VERSIONS: Final = frozenset({"1.0"})


class AuthenticationRecord:
    """Non-secret account information for an authenticated user (azure-identity's format)."""

    __slots__ = ("_authority", "_client_id", "_home_account_id", "_tenant_id", "_username")

    def __init__(self, tenant_id: str, client_id: str, authority: str, home_account_id: str, username: str) -> None:
        self._tenant_id = tenant_id
        self._client_id = client_id
        self._authority = authority
        self._home_account_id = home_account_id
        self._username = username

    @property
    def authority(self) -> str:
        """The authority host used to authenticate the account."""
        return self._authority

    @property
    def client_id(self) -> str:
        """The client ID of the application that performed the authentication."""
        return self._client_id

    @property
    def home_account_id(self) -> str:
        """A unique identifier of the account (``<object id>.<home tenant id>``)."""
        return self._home_account_id

    @property
    def tenant_id(self) -> str:
        """The tenant the account authenticated in."""
        return self._tenant_id

    @property
    def username(self) -> str:
        """The user principal name of the account."""
        return self._username

    @classmethod
    def deserialize(cls, data: str) -> AuthenticationRecord:
        """Read a record written by :meth:`serialize` (or by azure-identity)."""
        parsed = json.loads(data)
        version = parsed.get("version")
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(f'Unexpected version "{version}". Supported versions: {sorted(SUPPORTED_VERSIONS)}')
        return cls(
            authority=parsed["authority"],
            client_id=parsed["clientId"],
            home_account_id=parsed["homeAccountId"],
            tenant_id=parsed["tenantId"],
            username=parsed["username"],
        )

    def serialize(self) -> str:
        """JSON with azure-identity's keys: authority, clientId, homeAccountId, tenantId, username, version."""
        return json.dumps(
            {
                "authority": self._authority,
                "clientId": self._client_id,
                "homeAccountId": self._home_account_id,
                "tenantId": self._tenant_id,
                "username": self._username,
                "version": "1.0",
            }
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AuthenticationRecord):
            return NotImplemented
        return self.serialize() == other.serialize()

    def __hash__(self) -> int:
        return hash(self.serialize())

    def __repr__(self) -> str:
        return (
            f"AuthenticationRecord(tenant_id={self._tenant_id!r}, client_id={self._client_id!r}, "
            f"authority={self._authority!r}, home_account_id={self._home_account_id!r})"
        )
