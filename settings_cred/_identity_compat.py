"""azure-identity's exception types become bases of ours, without our ever importing azure-identity.

azure-identity's ``ChainedTokenCredential`` moves on only for *its* ``CredentialUnavailableError``. Our
``CredentialUnavailableError`` and ``AuthenticationRequiredError`` therefore take azure-identity's
classes as bases as soon as azure-identity is loaded: at once if it already is, otherwise the moment
the application imports it (a one-shot import hook). An application that never imports azure-identity
never pays for it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

_IDENTITY = "azure.identity"
_lock = threading.Lock()
_ours: list[tuple[type, type]] = []
"""(our class, a class of ours to keep first among its bases) pairs waiting for azure-identity's."""


def adopt_identity_bases(unavailable: type, required: type) -> None:
    """Make `unavailable` and `required` subclasses of azure-identity's twins, now or when it loads."""
    with _lock:
        _ours[:] = [(unavailable, required)]
    if not _rebase():
        _watch()


def _rebase() -> bool:
    """Rebase if azure-identity is (fully) loaded; whether it was."""
    module = sys.modules.get(_IDENTITY)
    theirs_unavailable = getattr(module, "CredentialUnavailableError", None)
    theirs_required = getattr(module, "AuthenticationRequiredError", None)
    if theirs_unavailable is None or theirs_required is None:
        return False
    with _lock:
        for unavailable, required in _ours:
            if theirs_unavailable not in unavailable.__mro__:
                unavailable.__bases__ = (theirs_unavailable,)
                required.__bases__ = (unavailable, theirs_required)
    return True


class _Loader(importlib.abc.Loader):
    """Wraps azure-identity's own loader: runs it, then rebases our classes."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._inner.exec_module(module)
        _rebase()


class _Finder(importlib.abc.MetaPathFinder):
    """Notices the import of azure-identity, once, and steps aside."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _IDENTITY:
            return None
        _unwatch()
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


_finder: Any = None


def _watch() -> None:
    global _finder  # noqa: PLW0603 - one hook per process
    with _lock:
        if _finder is None:
            _finder = _Finder()
            sys.meta_path.insert(0, _finder)


def _unwatch() -> None:
    global _finder  # noqa: PLW0603
    with _lock:
        if _finder is not None and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)
        _finder = None
