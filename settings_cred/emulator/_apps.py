"""App registrations: public-client flags, client secrets, certificates, federated credentials and roles."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from ._resources import normalize

_SP_NAMESPACE = uuid.UUID("0f4c2a9e-3b1d-4e7a-9c5f-6d8e2b1a7c30")


@dataclass(frozen=True, slots=True)
class ClientSecret:
    """A client secret ("password credential") of an app; its value never shows in a repr."""

    key_id: str
    value: str = field(repr=False)
    expires_on: float | None

    def matches(self, candidate: str) -> bool:
        """Whether ``candidate`` is this secret (constant-time comparison)."""
        return hmac.compare_digest(self.value.encode(), candidate.encode())


@dataclass(frozen=True, slots=True)
class RegisteredCertificate:
    """The public part of a certificate uploaded to an app ("key credential")."""

    key_id: str
    """The SHA-1 thumbprint in upper-case hex, as the Azure portal shows it."""
    sha1: bytes
    sha256: bytes
    public_key: RSAPublicKey = field(repr=False)
    not_before: float
    not_after: float


@dataclass(frozen=True, slots=True)
class FederatedCredential:
    """A federated identity credential: which external tokens the app accepts as its client assertion."""

    name: str
    issuer: str
    subject: str
    audiences: tuple[str, ...]


@dataclass(slots=True)
class Application:
    """One app registration; callers hold the emulator's lock while reading or changing it."""

    client_id: str
    allow_public_client_flows: bool
    tenant_id: str | None = None
    """The tenant the app is registered in; ``None``: every tenant of the emulator knows it."""
    secrets: dict[str, ClientSecret] = field(default_factory=dict)
    certificates: dict[str, RegisteredCertificate] = field(default_factory=dict)
    federated: list[FederatedCredential] = field(default_factory=list)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Application roles granted to the app, by normalised resource."""

    @property
    def object_id(self) -> str:
        """The object id of the app's service principal (stable: derived from the client id)."""
        return str(uuid.uuid5(_SP_NAMESPACE, self.client_id.lower()))

    @property
    def has_credentials(self) -> bool:
        """Whether the app has any secret, certificate or federated credential."""
        return bool(self.secrets or self.certificates or self.federated)

    def known_in(self, tenant_id: str) -> bool:
        """Whether the app can sign in to ``tenant_id``."""
        return self.tenant_id is None or self.tenant_id == tenant_id

    def roles_for(self, resource: str) -> tuple[str, ...]:
        """The application roles the app holds on ``resource``."""
        return self.roles.get(normalize(resource), ())


class AppRegistry:
    """Every app registration, by client id (case-insensitive); callers hold the emulator's lock."""

    __slots__ = ("_apps", "_closed")

    def __init__(self) -> None:
        self._apps: dict[str, Application] = {}
        self._closed = False
        """Whether an app was registered explicitly (``add_app``): from then on unknown clients are refused."""

    def add(
        self,
        client_id: str,
        *,
        allow_public_client_flows: bool,
        tenant_id: str | None = None,
        roles: Mapping[str, Iterable[str]] | None = None,
        explicit: bool = True,
    ) -> Application:
        """Register an app, or change the settings of a registered one (its credentials stay). An explicit
        registration means unregistered client ids are refused from then on."""
        if not client_id.strip():
            raise ValueError("client_id must not be empty")
        self._closed = self._closed or explicit
        app = self._apps.setdefault(client_id.lower(), Application(client_id, allow_public_client_flows))
        app.allow_public_client_flows = allow_public_client_flows
        app.tenant_id = tenant_id
        if roles is not None:
            app.roles = {normalize(resource): tuple(names) for resource, names in roles.items()}
        return app

    def get(self, client_id: str) -> Application | None:
        """The app registered as ``client_id``, if any."""
        return self._apps.get(client_id.lower())

    def confidential(self, client_id: str) -> Application:
        """The app registered as ``client_id``, registered now as a confidential client if it was not
        (which leaves other client ids as open as they were)."""
        return self.get(client_id) or self.add(client_id, allow_public_client_flows=False, explicit=False)

    def remove_credential(self, client_id: str, key_id: str) -> None:
        """Delete a secret or certificate of an app by its key id (a rotation's last step)."""
        app = self.get(client_id)
        found = app is not None and (
            app.secrets.pop(key_id, None) is not None or app.certificates.pop(key_id.upper(), None) is not None
        )
        if not found:
            raise KeyError(f"app {client_id!r} has no credential with key id {key_id!r}")

    def public_client_error(self, client_id: str) -> int | None:
        """The AADSTS code refusing ``client_id`` a sign-in without client credentials, or ``None``.

        Until the first explicit registration unknown client ids are accepted (the emulator's historical
        default); a known app must allow public client flows.
        """
        app = self.get(client_id)
        if app is None:
            return 700016 if self._closed else None
        return None if app.allow_public_client_flows else 7000218

    def is_resource(self, resource: str) -> bool:
        """Whether ``resource`` names a registered app: its client id or ``api://<client id>``."""
        name = normalize(resource)
        return name.removeprefix("api://") in self._apps
