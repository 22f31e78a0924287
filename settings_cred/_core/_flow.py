"""How a credential kind gets a token from Entra ID: the one seam between the token core and msal."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from azure.core.credentials import AccessTokenInfo

from .._auth_record import AuthenticationRecord
from .._store._lease import NO_LEASE, FleetLease
from .._transport._msal_http import MsalHttpClient
from ._config import CoreConfig, TokenRequest

if TYPE_CHECKING:
    from .._store._account import AccountState


class Grant(NamedTuple):
    """A token, how it was obtained, and when.

    ``grant`` is ``password``, ``refresh_token``, ``client_credentials``, ``managed_identity``, ``cache``
    (msal's cache) or ``store`` (another process of the deployment obtained it).
    """

    token: AccessTokenInfo
    grant: str
    acquired_at: float | None = None


class FlowContext(NamedTuple):
    """What every flow works with: the configuration, msal's HTTP client, audit identity, clock and store."""

    config: CoreConfig
    http: MsalHttpClient
    identity: Mapping[str, str]
    clock: Callable[[], float]
    account: AccountState | None = None


class Flow(Protocol):
    """One credential kind's way to a token (password, client credentials, managed identity)."""

    @property
    def record(self) -> AuthenticationRecord | None:
        """The account of the last sign-in, for kinds that have one."""
        ...  # pragma: no cover

    def adopt_record(self, record: AuthenticationRecord | None) -> None:
        """Keep the account of a token another process obtained, if this one has none yet."""
        ...  # pragma: no cover

    def check_scopes(self, scopes: Sequence[str]) -> None:
        """Raise ``ValueError`` for scopes this kind cannot request."""
        ...  # pragma: no cover

    def acquire(self, request: TokenRequest, *, force_refresh: bool, lease: FleetLease = NO_LEASE) -> Grant:
        """A token for `request`, from Entra ID (or msal's cache unless `force_refresh`)."""
        ...  # pragma: no cover
