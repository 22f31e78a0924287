"""A password or client credential Entra ID rejected is never sent again until it changes.

In the process, the lockout guard (:mod:`._lockout`) remembers rejections by a salted fingerprint;
with a shared store, the rejection is also recorded there (a keyed HMAC) before the fleet lease is
released, so no other process of the deployment sends it either. Attempts for one account are
serialized, so ten instances with one wrong password cost one failed sign-in.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import audit
from .._secret import Secret
from .._store._lease import FleetLease
from ..errors import EntraAuthenticationError
from ._flow import FlowContext, Grant
from ._lockout import LOCKOUT_GUARD, LockoutKey, error_fields, error_from_fields

Attempt = Callable[[], "Grant | EntraAuthenticationError"]


class SecretGuard:
    """Sends a secret to Entra ID only if neither this process nor the fleet saw it rejected."""

    def __init__(self, context: FlowContext, rejecting: tuple[type[EntraAuthenticationError], ...]) -> None:
        self._config = context.config
        self._identity = context.identity
        self._account = context.account
        self._rejecting = rejecting

    def send(self, tenant_id: str, secret: Secret, lease: FleetLease, attempt: Attempt) -> Grant:
        """Run `attempt` (which sends `secret` to `tenant_id`) unless `secret` was rejected; record a new rejection."""
        config = self._config
        key = LockoutKey(config.authority, tenant_id, config.client_id, config.principal)
        fingerprint = secret.fingerprint()
        with LOCKOUT_GUARD.attempt_lock(key):
            rejection, released = LOCKOUT_GUARD.check(key, fingerprint)
            if rejection is not None:
                raise rejection.error.as_guarded()
            shared, awaiting_release = self._shared_state(secret, lease)
            if shared is not None:
                LOCKOUT_GUARD.record(key, fingerprint, shared)
                raise shared.as_guarded()
            outcome = attempt()
            if isinstance(outcome, Grant):
                if released or awaiting_release:
                    self._release(lease)
                return outcome
            if isinstance(outcome, self._rejecting):
                self._engage(key, fingerprint, secret, outcome, lease)
            raise outcome

    def _shared_state(self, secret: Secret, lease: FleetLease) -> tuple[EntraAuthenticationError | None, bool]:
        """The fleet's rejection of `secret`, if any, and whether the fleet awaits a release (no store: none)."""
        if self._account is None or lease.degraded:
            return None, False
        recorded, awaiting_release = self._account.rejection_state(secret)
        return (error_from_fields(recorded.error) if recorded is not None else None), awaiting_release

    def _engage(
        self, key: LockoutKey, fingerprint: bytes, secret: Secret, error: EntraAuthenticationError, lease: FleetLease
    ) -> None:
        LOCKOUT_GUARD.record(key, fingerprint, error)
        if self._account is not None:
            self._account.record_rejection(secret, error_fields(error), lease.fence)
        audit.emit(
            audit.LOCKOUT_ENGAGED, **self._identity, error_code=error.error_code, correlation_id=error.correlation_id
        )

    def _release(self, lease: FleetLease) -> None:
        if self._account is not None and not lease.degraded:
            self._account.record_release(lease.fence)
        audit.emit(audit.LOCKOUT_RELEASED, **self._identity)
