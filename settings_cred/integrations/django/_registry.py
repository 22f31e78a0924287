"""``credentials``: one credential per alias and process, built on first use, closed at exit."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed

from .._aliases import SETTING, UnknownAliasError
from ._config import configured_aliases

if TYPE_CHECKING:
    from ..._credentials._configured import ConfiguredCredential


class CredentialRegistry:
    """``credentials[alias]``: a lazily built, per-process credential, shared by every thread.

    Each alias is built once, under a lock, from ``settings.SETTINGS_CRED``; :meth:`close_all` closes
    every credential built so far and forgets it (tests call it between cases; ``override_settings``
    of ``SETTINGS_CRED`` does it too). It also runs at interpreter exit.
    """

    __slots__ = ("_built", "_guard", "_locks")

    def __init__(self) -> None:
        self._built: dict[str, ConfiguredCredential] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def __getitem__(self, alias: str) -> ConfiguredCredential:
        """The credential for ``alias``, built on first use.

        :raises UnknownAliasError: when ``SETTINGS_CRED`` has no such alias.
        :raises settings_cred.SettingsError: when the alias's settings are invalid.
        """
        built = self._built.get(alias)
        if built is not None:
            return built
        with self._guard:
            lock = self._locks.setdefault(alias, threading.Lock())
        with lock:
            built = self._built.get(alias)
            if built is None:
                built = self._build(alias)
                self._built[alias] = built
        return built

    def __contains__(self, alias: object) -> bool:
        """Whether ``SETTINGS_CRED`` configures ``alias``."""
        return alias in configured_aliases()

    def __iter__(self) -> Iterator[str]:
        """The configured aliases."""
        return iter(configured_aliases())

    def close_all(self) -> None:
        """Close every credential built so far and forget it; the next access builds afresh."""
        with self._guard:
            built, self._built = self._built, {}
            self._locks = {}
        for credential in built.values():
            credential.close()

    @staticmethod
    def _build(alias: str) -> ConfiguredCredential:
        aliases = configured_aliases()
        config = aliases.get(alias)
        if config is None:
            raise UnknownAliasError(alias, list(aliases))
        options: Any = config.options
        return config.load().build_credential(**options)

    def __repr__(self) -> str:
        """Which aliases are built (never a setting)."""
        return f"<CredentialRegistry built={sorted(self._built)}>"


credentials = CredentialRegistry()
atexit.register(credentials.close_all)


def _on_setting_changed(*, setting: str, **_: Any) -> None:
    if setting == SETTING:
        credentials.close_all()


setting_changed.connect(_on_setting_changed, dispatch_uid="settings_cred.integrations.django")
