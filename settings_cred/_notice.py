"""The once-per-process notice that ROPC is deprecated, replacing msal's warning on every call."""

from __future__ import annotations

import threading
import warnings
from typing import Final

NOTICE: Final = (
    "UsernamePasswordCredential uses the resource owner password (ROPC) flow, which Microsoft has "
    "deprecated for public clients: it cannot do multi-factor authentication, and mandatory MFA for Azure "
    "Resource Manager (enforced since 1 July 2026) makes user accounts fail with AADSTS50076. The move is "
    "configuration alone: workload identity, managed identity or a certificate (`settings-cred check` names "
    "the variables); see https://aka.ms/azsdk/identity/mfa and settings_cred's docs/ropc-deprecation.md."
)
_MSAL_ROPC_MESSAGE: Final = r"This API has been deprecated for public client flows"


class RopcDeprecationWarning(DeprecationWarning):
    """Emitted once per process when the first password credential is created."""


_lock = threading.Lock()
_shown = False


def warn_once(stacklevel: int = 3) -> None:
    """Emit :data:`NOTICE` the first time it is called in this process."""
    global _shown  # noqa: PLW0603 - a process-wide "already said it" flag is the point
    with _lock:
        if _shown:
            return
        _shown = True
    warnings.warn(NOTICE, RopcDeprecationWarning, stacklevel=stacklevel + 1)


def silence_msal_ropc_warning() -> None:
    """Keep msal's per-call ROPC DeprecationWarning away from users (ours is said once instead)."""
    warnings.filterwarnings("ignore", message=_MSAL_ROPC_MESSAGE, category=DeprecationWarning)
