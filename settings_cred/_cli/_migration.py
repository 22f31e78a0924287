"""The way off the password kind, for ``check``: why it fails more and more, and which variables to set instead.

Pure: the recommendation depends only on the variable prefix and on what the environment says about the
platform (Kubernetes, Azure compute), never on a request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, NamedTuple

from .._credentials._configured import CredentialKind

if TYPE_CHECKING:
    from .._settings import SettingsReport

GUIDE: Final = "docs/ropc-deprecation.md"
WARNING: Final = (
    "the password kind (ROPC) is deprecated and cannot do multi-factor authentication: mandatory MFA for Azure "
    "Resource Manager (enforced since 1 July 2026) makes user accounts fail with AADSTS50076"
)
KUBERNETES: Final = ("KUBERNETES_SERVICE_HOST",)
"""Set in every Kubernetes pod (AKS included)."""
AZURE_COMPUTE: Final = ("IDENTITY_ENDPOINT", "MSI_ENDPOINT", "WEBSITE_SITE_NAME", "CONTAINER_APP_NAME")
"""Set by App Service, Functions and Container Apps."""
_AFTER: Final[Mapping[CredentialKind, tuple[str, ...]]] = {
    "workload_identity": ("TENANT_ID", "CLIENT_ID", "FEDERATED_TOKEN_FILE"),
    "managed_identity": ("CREDENTIAL_KIND=managed_identity",),
    "certificate": ("TENANT_ID", "CLIENT_ID", "CLIENT_CERTIFICATE_PATH"),
}
_NOTES: Final[Mapping[CredentialKind, str]] = {
    "workload_identity": "the AKS workload identity webhook sets them; trust the service account in Entra ID",
    "managed_identity": "plus CLIENT_ID for a user-assigned identity; grant the identity the roles the user had",
    "certificate": "plus CLIENT_CERTIFICATE_PASSWORD if the file has one; upload the certificate to the app",
}


class Migration(NamedTuple):
    """The recommended replacement for the password kind, with the variables before and after."""

    kind: CredentialKind
    why: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    note: str

    def lines(self) -> list[str]:
        """The warning and a short before/after hint, as ``check`` prints them."""
        return [
            f"warning: {WARNING}.",
            f"  move to: the {self.kind} kind ({self.why})",
            f"  before:  {', '.join(self.before)}",
            f"  after:   {', '.join(self.after)} ({self.note})",
            f"  guide:   {GUIDE}",
        ]

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "warning": WARNING,
            "recommended_kind": self.kind,
            "why": self.why,
            "before": list(self.before),
            "after": list(self.after),
            "note": self.note,
            "guide": GUIDE,
        }


def recommended(environ: Mapping[str, str]) -> tuple[CredentialKind, str]:
    """Workload identity on Kubernetes, managed identity on Azure compute, else a client certificate."""
    if any(environ.get(name) for name in KUBERNETES):
        return "workload_identity", "this runs on Kubernetes: on AKS, workload identity"
    if any(environ.get(name) for name in AZURE_COMPUTE):
        return "managed_identity", "this runs on Azure compute (App Service, Functions, Container Apps)"
    return "certificate", "no Azure platform detected; workload identity on AKS, managed identity on Azure compute"


def migration(prefix: str, environ: Mapping[str, str]) -> Migration:
    """What a password configuration with variable ``prefix`` should become here."""
    kind, why = recommended(environ)
    note = _NOTES[kind].replace("CLIENT_", f"{prefix}CLIENT_")
    before = tuple(f"{prefix}{name}" for name in ("CLIENT_ID", "USERNAME", "PASSWORD"))
    return Migration(kind, why, before, tuple(f"{prefix}{name}" for name in _AFTER[kind]), note)


def password_migration(report: SettingsReport, environ: Mapping[str, str]) -> Migration | None:
    """The way off the password kind when ``report`` is of that kind; ``None`` for any other (or none)."""
    if report.kind is None or report.kind.kind != "password":
        return None
    return migration(report.env_prefix, environ)
