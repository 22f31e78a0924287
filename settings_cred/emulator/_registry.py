"""What exists in the emulated cloud: tenants, users, app registrations and their credentials,
federated token issuers, resources, managed identities and Key Vault secrets.

:class:`Registry` holds the controls that add or change these; ``EntraEmulator`` is a registry that
also runs the servers. Every method is thread-safe.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from ._apps import ClientSecret, FederatedCredential
from ._certificates import CertificateLike, registered_certificate
from ._directory import EmulatedUser, UserState
from ._identities import ManagedIdentity
from ._issuers import DEFAULT_TOKEN_ISSUER, TOKEN_EXCHANGE_AUDIENCE
from ._state import State


class Registry:
    """The emulated cloud's contents, behind the state's lock."""

    _state: State

    # directory

    def add_tenant(self, tenant_id: str, *domains: str) -> None:
        """Add a tenant (a GUID) with its verified domains, or more domains to a known tenant."""
        with self._state.lock:
            self._state.directory.add_tenant(tenant_id, *domains)

    def add_user(
        self,
        username: str,
        password: str,
        *,
        tenant_id: str | None = None,
        guest_of: Iterable[str] = (),
        display_name: str | None = None,
        state: UserState = "active",
    ) -> EmulatedUser:
        """Add (or replace) a user; the home tenant is ``tenant_id``, else the owner of the user's domain,
        else the default tenant. ``guest_of`` lists tenants (ids or domains) where the user is a guest."""
        with self._state.lock:
            return self._state.directory.add_user(
                username,
                password,
                tenant_id=tenant_id,
                guest_of=guest_of,
                display_name=display_name,
                state=state,
                default_tenant_id=self._state.default_tenant_id,
            )

    def set_password(self, username: str, password: str) -> None:
        """Change a user's password; like Entra, this revokes the user's refresh tokens."""
        with self._state.lock:
            self._state.directory.set_password(username, password)
            self._state.tokens.revoke(username, time.time())

    def set_user_state(self, username: str, state: UserState) -> None:
        """Lock, disable, expire the password of, or require MFA or consent from a user (or make it active)."""
        with self._state.lock:
            self._state.directory.set_state(username, state)

    def revoke_refresh_tokens(self, username: str | None = None) -> None:
        """Revoke the refresh tokens issued so far to one user, or to everyone (AADSTS50173 on use)."""
        with self._state.lock:
            self._state.tokens.revoke(username, time.time())

    # app registrations

    def add_app(
        self,
        client_id: str,
        *,
        allow_public_client_flows: bool = True,
        tenant_id: str | None = None,
        roles: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Register an app, or change a registered one (its credentials stay). Once any app is registered
        with ``add_app``, unregistered client ids are refused (AADSTS700016). ``tenant_id`` limits the app
        to one tenant; ``roles`` maps resources to the application roles its app-only tokens carry."""
        with self._state.lock:
            tenant = self._state.directory.known_tenant(tenant_id) if tenant_id else None
            self._state.apps.add(
                client_id, allow_public_client_flows=allow_public_client_flows, tenant_id=tenant, roles=roles
            )

    def add_client_secret(
        self, client_id: str, secret: str, *, expires_on: float | datetime.datetime | None = None
    ) -> str:
        """Add a client secret to an app (registering it as a confidential client if needed); returns
        the secret's key id. Past ``expires_on`` (epoch seconds or an aware datetime) it gets AADSTS7000222."""
        key_id = str(uuid.uuid4())
        with self._state.lock:
            app = self._state.apps.confidential(client_id)
            app.secrets[key_id] = _secret(key_id, secret, expires_on)
        return key_id

    def add_client_certificate(self, client_id: str, certificate: CertificateLike) -> str:
        """Upload a certificate's public part to an app (registering it if needed); returns its key id,
        the SHA-1 thumbprint. Assertions signed by its key sign the app in while the certificate is valid."""
        registered = registered_certificate(certificate)
        with self._state.lock:
            self._state.apps.confidential(client_id).certificates[registered.key_id] = registered
        return registered.key_id

    def remove_client_credential(self, client_id: str, key_id: str) -> None:
        """Delete a client secret or certificate by the key id its ``add_client_*`` call returned."""
        with self._state.lock:
            self._state.apps.remove_credential(client_id, key_id)

    def add_federated_credential(
        self,
        client_id: str,
        subject: str,
        *,
        issuer: str = DEFAULT_TOKEN_ISSUER,
        audiences: Iterable[str] = (TOKEN_EXCHANGE_AUDIENCE,),
        name: str | None = None,
    ) -> None:
        """Trust tokens of ``issuer`` about ``subject`` (exact, case-sensitive) as the app's client assertion."""
        credential = FederatedCredential(name or f"{subject}@{issuer}", issuer, subject, tuple(audiences))
        if not credential.audiences:
            raise ValueError("a federated credential needs at least one audience")
        with self._state.lock:
            self._state.apps.confidential(client_id).federated.append(credential)

    # federated token issuers

    def issue_federated_token(
        self,
        subject: str,
        *,
        issuer: str = DEFAULT_TOKEN_ISSUER,
        audience: str = TOKEN_EXCHANGE_AUDIENCE,
        lifetime: int = 3600,
        issued_at: float | None = None,
    ) -> str:
        """A token as ``issuer`` would issue it (a Kubernetes service-account token by default), signed with
        a key the emulator trusts: write it to ``AZURE_FEDERATED_TOKEN_FILE`` or pass it as a client assertion."""
        moment = time.time() if issued_at is None else issued_at
        with self._state.lock:
            return self._state.issuers.mint(
                subject, issuer=issuer, audience=audience, issued_at=moment, lifetime=lifetime
            )

    def trust_token_issuer(self, issuer: str, jwks: Mapping[str, Any]) -> None:
        """Accept tokens of an issuer you run yourself, signed by a key of ``jwks`` (its JWKS document)."""
        with self._state.lock:
            self._state.issuers.trust(issuer, jwks)

    def token_issuer_jwks(self, issuer: str = DEFAULT_TOKEN_ISSUER) -> dict[str, Any]:
        """The JWKS of the key the emulator signs ``issuer``'s tokens with."""
        with self._state.lock:
            return self._state.issuers.jwks(issuer)

    # resources and identities

    def add_resource(self, resource: str) -> None:
        """Let tokens be issued for ``resource`` (an application ID URI); unknown resources get AADSTS500011."""
        with self._state.lock:
            self._state.resources.add(resource)

    def add_managed_identity(
        self, name: str | None = None, *, client_id: str | None = None, object_id: str | None = None
    ) -> ManagedIdentity:
        """Enable the host's system-assigned identity (no ``name``), or add the user-assigned identity
        ``name``; ids are derived from the name unless given."""
        with self._state.lock:
            return self._state.identities.add(name, client_id=client_id, object_id=object_id)

    # Key Vault

    def add_secret(
        self, vault: str, name: str, value: str, *, version: str | None = None, content_type: str | None = None
    ) -> str:
        """Store a secret version in ``<vault>.vault.azure.net``; returns the version id."""
        with self._state.lock:
            return self._state.vaults.add(
                vault, name, value, version=version, content_type=content_type, now=time.time()
            )


def _secret(key_id: str, value: str, expires_on: float | datetime.datetime | None) -> ClientSecret:
    if not value:
        raise ValueError("a client secret must not be empty")
    moment = expires_on.timestamp() if isinstance(expires_on, datetime.datetime) else expires_on
    return ClientSecret(key_id, value, moment)
