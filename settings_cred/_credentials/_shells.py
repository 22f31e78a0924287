"""Small pieces both credential shells use to turn their arguments into core requests."""

from __future__ import annotations

from collections.abc import Iterable

from azure.core.credentials import TokenRequestOptions

from .._auth_record import AuthenticationRecord
from .._constants import DEFAULT_AUTHENTICATE_SCOPES
from .._core._token_core import TokenCore
from ..errors import CredentialUnavailableError


def options_from_keywords(*, claims: str | None, tenant_id: str | None, enable_cae: bool) -> TokenRequestOptions:
    """``get_token``'s keywords as ``get_token_info`` options."""
    options = TokenRequestOptions(enable_cae=enable_cae)
    if claims:
        options["claims"] = claims
    if tenant_id:
        options["tenant_id"] = tenant_id
    return options


def authenticate_scopes(authority: str, scopes: Iterable[str] | None) -> tuple[str, ...]:
    """The scopes `authenticate()` asks for: the given ones, else the cloud's management scope."""
    if scopes:
        return tuple(scopes)
    try:
        return DEFAULT_AUTHENTICATE_SCOPES[authority]
    except KeyError:
        raise CredentialUnavailableError(
            message=f"Authenticating with authority {authority} requires a value for the 'scopes' keyword "
            "argument: settings_cred does not know that cloud's default scope."
        ) from None


def record_or_unavailable(core: TokenCore) -> AuthenticationRecord:
    """The core's authentication record; unavailable only if Entra ID sent no ID token."""
    record = core.authentication_record
    if record is None:
        raise CredentialUnavailableError(message="The sign-in returned no ID token to build an account record.")
    return record


def describe(cls: type, core: TokenCore | None) -> str:
    """A repr made of non-secret fields only (username masked)."""
    identity = core.identity if core is not None else {"state": "not constructed"}
    fields = ", ".join(f"{name}={value!r}" for name, value in identity.items())
    return f"{cls.__module__.split('._')[0]}.{cls.__qualname__}({fields})"
