"""Calling msal: what it returns or raises becomes our results or exceptions, never a chain into its frames.

msal's frames hold the password, client secrets, assertions and refresh tokens in their locals, and
azure-core's hold request bodies. Every failure is therefore raised *outside* the ``except`` block
that observed it, as a detached copy: no ``__context__``, no ``__cause__``, no saved traceback.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from azure.core.credentials import AccessTokenInfo
from azure.core.exceptions import AzureError, ClientAuthenticationError

from .._auth_record import AuthenticationRecord
from .._errors._base import detached
from .._transport._msal_http import MsalHttpClient
from ..errors import EntraAuthenticationError, EntraUnavailableError, error_from_result

_T = TypeVar("_T")
Unreachable = Callable[[str], Exception]
"""Builds the error for a request that never got an answer, given the transport failure's class name."""


def _unavailable(kind: str) -> Exception:
    return EntraUnavailableError(description=f"Could not reach Microsoft Entra ID ({kind}).")


class MsalCalls:
    """One credential's calls into msal over its HTTP client."""

    def __init__(self, http: MsalHttpClient, authority: str, *, unreachable: Unreachable = _unavailable) -> None:
        self._http = http
        self._authority = authority
        self._unreachable = unreachable

    def call(self, call: Callable[[], _T]) -> _T:
        """Run `call`; msal's and the transport's failures come back as our exceptions, unchained."""
        from msal.exceptions import MsalServiceError  # noqa: PLC0415 - loaded with msal by now

        self._http.clear_failure()
        try:
            return call()
        except ClientAuthenticationError as exc:
            failure: Exception = detached(exc)
        except MsalServiceError:
            failure = self._throttled()
        except AzureError as exc:
            self._http.forget_metadata()
            failure = self._unreachable(type(exc).__name__)
        except ValueError as exc:
            self._http.forget_metadata()
            failure = self._invalid(str(exc))
        except Exception as exc:  # noqa: BLE001 - msal's frames hold secrets: never let them escape
            failure = EntraAuthenticationError(description=f"msal failed unexpectedly ({type(exc).__name__}).")
        raise failure

    def error(self, result: Mapping[str, Any]) -> EntraAuthenticationError:
        """The exception an msal error result stands for (with the HTTP status, when there was one)."""
        failure = self._http.last_failure()
        return error_from_result(result, failure.status_code if failure else None)

    def _throttled(self) -> EntraAuthenticationError:
        answer = self._http.last_failure()
        if answer is not None:
            return answer.to_error()
        return EntraUnavailableError(
            description="Microsoft Entra ID recently answered HTTP 429 or 5xx; msal holds further requests "
            "until the Retry-After time has passed."
        )

    def _invalid(self, message: str) -> ValueError | EntraAuthenticationError:
        answer = self._http.last_failure()
        if answer is not None:
            return answer.to_error()
        if "invalid_instance" in message:
            return ValueError(
                f"The authority {self._authority} is not well-known. If it is valid and "
                "trustworthy, pass disable_instance_discovery=True (AZURE_DISABLE_INSTANCE_DISCOVERY=true)."
            )
        return ValueError(f"msal refused the request: {message.splitlines()[0][:300] if message else 'no detail'}")


def token_from(result: Mapping[str, Any], now: float) -> AccessTokenInfo:
    """The access token of a successful msal result, with absolute expiry and refresh times."""
    refresh_on = result.get("refresh_on")
    return AccessTokenInfo(
        result["access_token"],
        int(now + int(result["expires_in"])),
        token_type=str(result.get("token_type", "Bearer")),
        refresh_on=int(refresh_on) if refresh_on else None,
    )


def record_from(result: Mapping[str, Any], client_id: str, username: str) -> AuthenticationRecord | None:
    """The signed-in account of a user's sign-in (from its ID token), as azure-identity records it."""
    claims = result.get("id_token_claims")
    if not isinstance(claims, Mapping):
        return None
    issuer = str(claims.get("iss", ""))
    host = issuer.split("://", 1)[-1].split("/", 1)[0]
    tenant = str(claims.get("tid") or issuer.rstrip("/").split("/")[-2:][0])
    home_account_id = _home_account_id(result) or str(claims.get("sub", ""))
    return AuthenticationRecord(
        tenant_id=tenant,
        client_id=client_id,
        authority=host,
        home_account_id=home_account_id,
        username=str(claims.get("preferred_username") or username),
    )


def _home_account_id(result: Mapping[str, Any]) -> str | None:
    info = result.get("client_info")
    if isinstance(info, str):
        info = _decode_client_info(info)
    if isinstance(info, Mapping) and info.get("uid") and info.get("utid"):
        return f"{info['uid']}.{info['utid']}"
    return None


def _decode_client_info(raw: str) -> Mapping[str, Any] | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None
