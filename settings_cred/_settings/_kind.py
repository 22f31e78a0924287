"""Which credential kind a configuration describes, and why: pure policy, no I/O.

azure-identity's ``EnvironmentCredential`` picks a flow from the variables present, silently, in the
order client secret, certificate, federated token file, username and password. Here the variables of
one kind choose it; ``AZURE_CREDENTIAL_KIND`` names it explicitly; the platform's managed identity
endpoint (``IDENTITY_ENDPOINT``, set by App Service, Functions and Container Apps) chooses managed
identity when no other kind is configured. Variables of two kinds without ``AZURE_CREDENTIAL_KIND``
are a conflict, never a silent pick: a deployment in the middle of a migration says which it means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple, get_args

from .._credentials._configured import CredentialKind

KINDS: Final[tuple[CredentialKind, ...]] = get_args(CredentialKind)
PRECEDENCE: Final[tuple[CredentialKind, ...]] = ("client_secret", "certificate", "workload_identity", "password")
"""``EnvironmentCredential``'s order: the kind it would take when the variables of several are set."""

SIGNALS: Final[Mapping[CredentialKind, tuple[str, ...]]] = {
    "client_secret": ("client_secret",),
    "certificate": ("client_certificate_path",),
    "workload_identity": ("federated_token_file",),
    "password": ("username", "password"),
}
"""The fields whose presence chooses a kind."""
COMPANIONS: Final[Mapping[CredentialKind, tuple[str, ...]]] = {"certificate": ("client_certificate_password",)}
"""Secrets that only one kind uses, and that choose it when no kind's own variable is set."""
FLAGS: Final[Mapping[CredentialKind, tuple[str, ...]]] = {
    "certificate": ("client_send_certificate_chain",),
    "password": ("enable_support_logging",),
}
"""Switches that only one kind reads; they never choose it (``false`` is as good as unset)."""
OWN: Final[Mapping[CredentialKind, tuple[str, ...]]] = {
    kind: (*SIGNALS.get(kind, ()), *COMPANIONS.get(kind, ()), *FLAGS.get(kind, ())) for kind in KINDS
}
"""Every field that only one kind uses: set for another kind, it has no effect."""
REQUIRED: Final[Mapping[CredentialKind, tuple[str, ...]]] = {
    "password": ("client_id", "username", "password"),
    "client_secret": ("client_id", "tenant_id", "client_secret"),
    "certificate": ("client_id", "tenant_id", "client_certificate_path"),
    "workload_identity": ("client_id", "tenant_id", "federated_token_file"),
    "managed_identity": (),
}
"""What each kind cannot do without (managed identity: nothing; ``client_id`` picks a user-assigned one)."""
APPLICATION_KINDS: Final = frozenset({"client_secret", "certificate", "workload_identity"})
"""Kinds that sign an application in to its own tenant: ``organizations`` or ``common`` will not do."""
PLATFORM_ENDPOINT: Final = "IDENTITY_ENDPOINT"
"""Set by App Service, Functions and Container Apps when the app has a managed identity."""


class KindChoice(NamedTuple):
    """The kind in use and what chose it: the variables (or arguments) that were set, in the order read."""

    kind: CredentialKind
    chosen_by: tuple[str, ...] = ()
    explicit: bool = False

    def reason(self) -> str:
        """``set by AZURE_CREDENTIAL_KIND``, ``chosen by AZURE_CLIENT_SECRET_FILE``, or the default."""
        if self.explicit:
            return f"set by {self.chosen_by[0]}"
        if self.chosen_by:
            return "chosen by " + ", ".join(self.chosen_by)
        return "the default: no variable of another kind is set"

    def line(self) -> str:
        """``credential kind: client_secret (chosen by AZURE_CLIENT_SECRET)``: the line ``check`` prints."""
        return f"credential kind: {self.kind} ({self.reason()})"

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: ``kind``, ``chosen_by``, ``explicit``."""
        return {"kind": self.kind, "chosen_by": list(self.chosen_by), "explicit": self.explicit}


class KindConflict(NamedTuple):
    """Variables of several kinds, each with the names that were set for it, in ``EnvironmentCredential``'s order."""

    kinds: tuple[tuple[CredentialKind, tuple[str, ...]], ...]

    def describe(self) -> str:
        """``client_secret (AZURE_CLIENT_SECRET) and password (AZURE_USERNAME, AZURE_PASSWORD)``."""
        parts = [f"{kind} ({', '.join(names)})" for kind, names in self.kinds]
        return ", ".join(parts[:-1]) + " and " + parts[-1]


def choose_kind(
    present: Mapping[str, str], explicit: tuple[CredentialKind, str] | None, environ: Mapping[str, str]
) -> KindChoice | KindConflict:
    """The kind ``present`` (field -> the variable or argument that set it) describes.

    :param explicit: the kind ``AZURE_CREDENTIAL_KIND`` names, with the name it was set under.
    :param environ: where the platform's managed identity endpoint would show.
    """
    if explicit is not None:
        kind, name = explicit
        return KindChoice(kind, (name,), explicit=True)
    signalled = [(kind, _names(present, SIGNALS[kind])) for kind in PRECEDENCE]
    found = [(kind, names) for kind, names in signalled if names]
    if len(found) > 1:
        return KindConflict(tuple(found))
    if found:
        return KindChoice(*found[0])
    for kind, fields in COMPANIONS.items():
        names = _names(present, fields)
        if names:
            return KindChoice(kind, names)
    if environ.get(PLATFORM_ENDPOINT):
        return KindChoice("managed_identity", (PLATFORM_ENDPOINT,))
    return KindChoice("password")


def ignored_fields(kind: CredentialKind, present: Mapping[str, str]) -> list[str]:
    """The fields set for other kinds than ``kind``: they have no effect."""
    others = [field for other in KINDS if other != kind for field in OWN[other]]
    return [field for field in dict.fromkeys(others) if field in present and field not in OWN[kind]]


def normalized_kind(value: object) -> CredentialKind | None:
    """``Client-Secret`` -> ``client_secret``; ``None`` for anything that names no kind."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower().replace("-", "_")
    return next((kind for kind in KINDS if kind == text), None)


def _names(present: Mapping[str, str], fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(present[field] for field in fields if field in present)
