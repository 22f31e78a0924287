"""One app's credentials: the validated settings, and its credentials built on first use and closed at exit."""

from __future__ import annotations

import atexit
import threading
import weakref
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..._settings import CredentialSettings
from .._aliases import AliasConfig, UnknownAliasError

if TYPE_CHECKING:
    from ..._credentials._configured import ConfiguredCredential


class Credentials(Mapping[str, "ConfiguredCredential"]):
    """``app.extensions["settings_cred"]``: alias -> credential, each built once, under a lock, on first use.

    The settings were loaded and validated when the state was made (at ``init_app``); :meth:`close`
    closes every credential built so far and forgets it; it also runs at interpreter exit.
    """

    __slots__ = ("__weakref__", "_built", "_lock", "configs", "settings")

    def __init__(self, configs: Mapping[str, AliasConfig], settings: Mapping[str, CredentialSettings]) -> None:
        self.configs = dict(configs)
        self.settings = dict(settings)
        self._built: dict[str, ConfiguredCredential] = {}
        self._lock = threading.Lock()
        _LIVE[id(self)] = self

    def __getitem__(self, alias: str) -> ConfiguredCredential:
        """The credential for ``alias``, built on first use.

        :raises UnknownAliasError: when ``SETTINGS_CRED`` has no such alias.
        """
        built = self._built.get(alias)
        if built is not None:
            return built
        if alias not in self.settings:
            raise UnknownAliasError(alias, iter(self.settings))
        with self._lock:
            built = self._built.get(alias)
            if built is None:
                options: dict[str, Any] = dict(self.configs[alias].options)
                built = self._built[alias] = self.settings[alias].build_credential(**options)
        return built

    def __iter__(self) -> Iterator[str]:
        """The configured aliases."""
        return iter(self.settings)

    def __len__(self) -> int:
        """How many aliases are configured."""
        return len(self.settings)

    def close(self) -> None:
        """Close every credential built so far; the next use builds it again."""
        with self._lock:
            built, self._built = self._built, {}
        for credential in built.values():
            credential.close()

    def __repr__(self) -> str:
        """The aliases and which of them are built (no setting, no secret)."""
        return f"<Credentials aliases={list(self.settings)} built={list(self._built)}>"


_LIVE: weakref.WeakValueDictionary[int, Credentials] = weakref.WeakValueDictionary()
"""Every app's credentials still in use (an app that is garbage collected drops out)."""


@atexit.register
def _close_all() -> None:
    for credentials in list(_LIVE.values()):
        credentials.close()
