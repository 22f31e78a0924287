"""The two contenders, built the same way against the emulator: settings_cred and azure-identity.

Each library is imported only when a credential of it is built, so that a child process measuring one
of them never loads the other.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._figures import OURS, THEIRS

CLIENT_ID = "9c1e4a8e-6b53-4d0f-9a54-3b1d7a0c2f11"
USERNAME = "bench@contoso.onmicrosoft.com"
PASSWORD = "bench-Passw0rd!"
SCOPE = "https://vault.azure.net/.default"
OTHER_SCOPE = "https://graph.microsoft.com/.default"
AUTHORITY = "login.microsoftonline.com"
"""The production authority host (the emulator answers for it through its proxy); instance discovery on."""
CACHE_KEY = "bench-cache-key-7c2e9a4f1b6d3e80-a5c7e9b1d3f5"
_PACKAGES = {OURS: "settings_cred", THEIRS: "azure.identity"}


@dataclass(frozen=True, slots=True)
class Route:
    """Where the emulator listens: its CONNECT proxy and the CA bundle that trusts its certificate."""

    proxy_url: str
    ca_bundle: str

    def pipeline_options(self) -> dict[str, Any]:
        """azure-core keywords sending a client's HTTPS through the emulator (never the preset CA bundle)."""
        return {"proxies": {"https": self.proxy_url}, "connection_verify": self.ca_bundle}

    def environ(self) -> dict[str, str]:
        """The variables a child process reads the route from (:meth:`from_environ`)."""
        return {"BENCH_PROXY": self.proxy_url, "BENCH_CA": self.ca_bundle}

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Route:
        """The route a parent passed down with :meth:`environ`."""
        return cls(environ["BENCH_PROXY"], environ["BENCH_CA"])


@dataclass(frozen=True, slots=True)
class PersistentCache:
    """A persistent token cache, expressed for both libraries.

    settings_cred keeps it in `directory` (files) or at `url` (Redis), sealed with `key`; azure-identity keeps
    it under ``$HOME/.IdentityService`` (msal-extensions, plain text where no keyring exists).
    """

    name: str = "bench"
    directory: str | None = None
    url: str | None = None
    key: str = CACHE_KEY


def load(contender: str) -> None:
    """Import `contender`'s credential module (so that a child can time construction without the import)."""
    importlib.import_module(_PACKAGES[contender])


def credential(
    contender: str,
    route: Route,
    *,
    username: str = USERNAME,
    password: str = PASSWORD,
    cache: PersistentCache | None = None,
    **options: Any,
) -> Any:
    """A fresh username/password credential of `contender` (``OURS`` or ``THEIRS``) routed to the emulator."""
    keywords: dict[str, Any] = {"authority": AUTHORITY, **route.pipeline_options(), **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both libraries warn that the password flow is deprecated
        if contender == OURS:
            import settings_cred  # noqa: PLC0415 - load only the contender in use

            if cache is not None:
                keywords["cache_persistence_options"] = settings_cred.TokenCachePersistenceOptions(
                    name=cache.name, directory=cache.directory, url=cache.url, encryption_key=cache.key
                )
            return settings_cred.UsernamePasswordCredential(CLIENT_ID, username, password, **keywords)
        if contender == THEIRS:
            import azure.identity  # noqa: PLC0415 - load only the contender in use

            if cache is not None:
                keywords["cache_persistence_options"] = azure.identity.TokenCachePersistenceOptions(
                    name=cache.name, allow_unencrypted_storage=True
                )
            return azure.identity.UsernamePasswordCredential(CLIENT_ID, username, password, **keywords)
    raise ValueError(f"unknown contender {contender!r}; expected {OURS!r} or {THEIRS!r}")
