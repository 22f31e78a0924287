"""Masked values: secrets, proxy URLs and the dicts holding them, safe in any ``repr`` or frame local.

Every public entry point of the settings layer masks its keyword arguments in place, first thing, and
every source masks what it read: from there on a password is a :class:`~settings_cred.Secret` (or
pydantic's ``SecretStr``), a proxy URL a :class:`ProxyUrl`, until the one call that needs the value.
A traceback rendered with its frame locals (Sentry, Django's DEBUG page, ``pytest -l``) shows masks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping
from typing import Any, Final
from urllib.parse import urlsplit

from pydantic import SecretStr

from .._secret import Secret
from .._store._options import masked_url

MASK: Final = "**********"
SECRET_FIELDS: Final = frozenset({"password", "client_secret", "client_certificate_password", "token_cache_key"})
"""Fields shown masked everywhere."""
PROXY_FIELD: Final = "https_proxy"
STORE_FIELD: Final = "token_cache_url"


def mask_url_password(url: str) -> str:
    """``http://user:***@host:port``: a URL with the password of its user info replaced."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return MASK
    if not password:
        return url
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:{MASK}@{parts.netloc.rpartition('@')[2]}").geturl()


class ProxyUrl(SecretStr):
    """A proxy URL that may carry a password: ``repr``, ``str`` and JSON show it masked.

    ``get_secret_value()`` is the URL itself, for the transport. Like a ``Secret``, it refuses pickling.
    """

    def _display(self) -> str:
        return mask_url_password(self.get_secret_value())

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a ProxyUrl cannot be pickled: it may hold the proxy's password")

    def __copy__(self) -> ProxyUrl:
        return self  # immutable: copies (model_copy, deepcopy) share it rather than pickle it

    def __deepcopy__(self, memo: dict[int, object]) -> ProxyUrl:
        return self


class StoreUrl(ProxyUrl):
    """The shared store's Redis URL (``AZURE_TOKEN_CACHE_URL``): shown with its user and password masked."""

    def _display(self) -> str:
        return mask_store_url(self.get_secret_value())

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a StoreUrl cannot be pickled: it may hold the store's password")


def mask_store_url(url: str) -> str:
    """``rediss://***@host:6380/0``: the store's own masking (user, password, a ``password=`` query's value)."""
    try:
        return masked_url(url)
    except ValueError:
        return MASK


class Proxies(dict[str, str]):
    """azure-core's ``proxies`` option (scheme -> proxy URL) whose ``repr`` hides the proxies' passwords."""

    def __repr__(self) -> str:
        return repr({scheme: mask_url_password(url) for scheme, url in self.items()})

    __str__ = __repr__


def masked(name: str, value: Any) -> Any:
    """``value`` of field or option ``name`` as it may sit in a frame: secrets, proxies and proxy URLs masked."""
    if isinstance(value, str):
        if name in SECRET_FIELDS:
            return Secret(value)
        if name == PROXY_FIELD:
            return ProxyUrl(value)
        if name == STORE_FIELD:
            return StoreUrl(value)
    if name == "proxies" and isinstance(value, dict) and not isinstance(value, Proxies):
        return Proxies(value)
    return value


def mask_arguments(values: MutableMapping[str, Any], known: Collection[str]) -> None:
    """Mask ``values`` in place: secret fields, proxies, and any unknown keyword's text (a misspelt password).

    In place, so the dict that every frame between the caller and here holds is masked too.
    """
    for name, value in values.items():
        unknown = name not in known and not name.startswith("_")
        values[name] = Secret(value) if unknown and isinstance(value, str) else masked(name, value)


def mask_options(options: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A copy of azure-core ``options`` with ``proxies`` masked (requests adds the environment's proxies to it)."""
    return None if options is None else {name: masked(name, value) for name, value in options.items()}


def revealed(value: Any) -> Any:
    """The plain value behind a ``Secret`` or ``SecretStr`` (for the few places that must look at it)."""
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return value
