"""A credential's validated configuration and the shape of a token request."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .._store._options import DEFAULT_LEASE_WAIT

if TYPE_CHECKING:
    from .._store._store import Store


class CoreConfig(NamedTuple):
    """A credential's validated configuration, whatever its kind."""

    kind: str
    """``password``, ``client_secret``, ``certificate``, ``workload_identity`` or ``managed_identity``."""
    client_id: str
    authority: str
    tenant_id: str
    additionally_allowed_tenants: tuple[str, ...]
    instance_discovery: bool | None
    enable_support_logging: bool
    store: Store | None
    """Where tokens, msal's cache, lockout records and metadata are shared (None: this process only)."""
    sign_in_wait: float = DEFAULT_LEASE_WAIT
    """Seconds to wait for another process's sign-in to the same account (with a store)."""
    username: str | None = None
    """The user, for the password kind; None for an application's own identity."""
    multi_tenant: bool = True
    """Whether a request may name another tenant (managed identities have no say in tenants)."""

    @property
    def principal(self) -> str:
        """Whose tokens these are: the user (lower case), or the application itself."""
        return self.username.lower() if self.username else "application"


class TokenKey(NamedTuple):
    """What a cached token answers: tenant, sorted scopes, CAE."""

    tenant_id: str
    scopes: tuple[str, ...]
    cae: bool


class TokenRequest(NamedTuple):
    """A validated request: the cache key plus an optional claims challenge."""

    key: TokenKey
    claims: str | None
