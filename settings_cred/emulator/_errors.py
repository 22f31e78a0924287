"""Entra's error answers: the JSON body an AADSTS code travels in, and the refusal that carries one."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._aadsts import AADSTS_ERRORS
from ._http import Request, Response, json_response

__all__ = ["AADSTS_ERRORS", "Refusal", "Trace", "code_for_status", "entra_error"]


class Refusal(Exception):  # noqa: N818 - control flow inside the emulator, never raised to its callers
    """Entra refuses a request with an AADSTS code; ``details`` fill the message's placeholders."""

    def __init__(self, code: int, username: str | None = None, **details: str) -> None:
        super().__init__(code)
        self.code = code
        self.username = username
        self.details = details


@dataclass(frozen=True, slots=True)
class Trace:
    """The identifiers Entra stamps on an answer."""

    trace_id: str
    correlation_id: str
    timestamp: str
    """UTC, as Entra writes it: ``2024-05-01 12:34:56Z``."""
    host: str

    @classmethod
    def of(cls, request: Request, now: float) -> Trace:
        """Fresh identifiers for ``request``; its ``client-request-id`` header becomes the correlation id."""
        correlation = request.headers.get("client-request-id", "")
        try:
            correlation = str(uuid.UUID(correlation))
        except ValueError:
            correlation = str(uuid.uuid4())
        moment = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        host = request.host if request.host.startswith("login.") else "login.microsoftonline.com"
        return cls(str(uuid.uuid4()), correlation, moment.strftime("%Y-%m-%d %H:%M:%SZ"), host)


def entra_error(
    code: int,
    trace: Trace,
    details: Mapping[str, str] | None = None,
    *,
    status: int | None = None,
    error: str | None = None,
) -> Response:
    """Entra's JSON error answer for an AADSTS ``code``; status and ``error`` from the table unless given."""
    row = AADSTS_ERRORS[code]
    description = (
        f"{row.describe(details or {})} Trace ID: {trace.trace_id} "
        f"Correlation ID: {trace.correlation_id} Timestamp: {trace.timestamp}"
    )
    body: dict[str, Any] = {
        "error": error or row.error,
        "error_description": description,
        "error_codes": [code],
        "timestamp": trace.timestamp,
        "trace_id": trace.trace_id,
        "correlation_id": trace.correlation_id,
        "error_uri": f"https://{trace.host}/error?code={code}",
    }
    if row.suberror:
        body["suberror"] = row.suberror
    if row.claims:
        body["claims"] = row.claims
    return json_response(status or row.status, body)


def code_for_status(status: int) -> int:
    """The AADSTS code Entra pairs with a bare HTTP status: throttling, transient, or malformed request."""
    if status == 429:
        return 90055
    return 90033 if status >= 500 else 9002313
