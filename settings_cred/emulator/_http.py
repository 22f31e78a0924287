"""Requests and responses as plain records, and a response's bytes on the wire."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import parse_qsl

JSON_TYPE = "application/json; charset=utf-8"
NO_STORE: Final = (("Cache-Control", "no-store, no-cache"), ("Pragma", "no-cache"))
"""The headers Entra sends with a token answer, so no cache keeps it."""


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed HTTP request, as the handlers see it (its repr leaves out headers and body: secrets)."""

    method: str
    host: str
    """Lower-case host from the Host header, without the port."""
    netloc: str
    """The Host header as sent (with the port, if any)."""
    path: str
    """The path, percent-decoding left to the handlers; no query string."""
    query: Mapping[str, str]
    headers: Mapping[str, str] = field(repr=False)
    """Header names in lower case."""
    body: bytes = field(default=b"", repr=False)
    form: Mapping[str, str] = field(init=False, repr=False)
    """The body decoded as ``application/x-www-form-urlencoded`` (empty for other bodies)."""

    def __post_init__(self) -> None:
        form: dict[str, str] = {}
        if self.body and "form-urlencoded" in self.headers.get("content-type", ""):
            form = dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        object.__setattr__(self, "form", form)


@dataclass(frozen=True, slots=True)
class Response:
    """An HTTP response about to be written (its repr leaves out the body: tokens)."""

    status: int
    body: bytes = field(default=b"", repr=False)
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = JSON_TYPE

    def with_headers(self, *headers: tuple[str, str]) -> Response:
        """A copy with more headers appended."""
        return Response(self.status, self.body, self.headers + headers, self.content_type)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A handler's answer, plus the user it turned out to be about (for the request log)."""

    response: Response
    username: str | None = None
    client_auth: str | None = None
    """How a confidential client authenticated: ``client_secret``, ``certificate`` or ``federated``."""


def json_response(status: int, payload: Any, *headers: tuple[str, str]) -> Response:
    """A JSON response, compact as Entra sends it."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Response(status, body, headers)


def encode(response: Response, *, keep_alive: bool, head: bool = False) -> bytes:
    """Status line, headers and body as one buffer, so the response leaves in one write."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Content-Type: {response.content_type}",
        f"Content-Length: {len(response.body)}",
        f"Connection: {'keep-alive' if keep_alive else 'close'}",
    ]
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head_bytes if head else head_bytes + response.body
