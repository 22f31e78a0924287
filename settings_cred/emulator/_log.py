"""The request log: what the emulator saw, from an allow-list of fields that never holds a secret."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from ._faults import Endpoint, Route

LOG_CAPACITY: Final = 100_000
"""The log keeps the most recent requests only, so long benchmarks run in bounded memory."""


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the emulator answered (or dropped); never a password, token or Authorization header."""

    method: str
    host: str
    path: str
    """The path without the query string."""
    endpoint: Route | None
    """The endpoint it was routed to; ``None`` for paths the emulator does not serve."""
    grant_type: str | None
    client_id: str | None
    username: str | None
    """The user it was about: the ``username`` sent, the owner of a refresh token, or the realm asked."""
    scope: str | None
    claims_present: bool
    status: int | None
    """HTTP status answered; ``None`` when an injected fault dropped the connection."""
    at: float
    """``time.time()`` when it was answered."""
    client_auth: str | None = None
    """How a confidential client authenticated: ``client_secret``, ``certificate``, ``federated``; else ``None``."""


class RequestLog:
    """Recorded requests, oldest first; callers hold the emulator's lock."""

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: deque[RecordedRequest] = deque(maxlen=LOG_CAPACITY)

    def append(self, entry: RecordedRequest) -> None:
        """Record one request."""
        self._entries.append(entry)

    def snapshot(self) -> list[RecordedRequest]:
        """A copy of the log."""
        return list(self._entries)

    def count(self, endpoint: Endpoint | None, grant_type: str | None) -> int:
        """How many recorded requests went to ``endpoint`` (all for ``None``/``"any"``) with ``grant_type``."""
        return sum(1 for _ in self._matching(endpoint, grant_type))

    def clear(self) -> None:
        """Forget every recorded request."""
        self._entries.clear()

    def _matching(self, endpoint: Endpoint | None, grant_type: str | None) -> Iterator[RecordedRequest]:
        for entry in self._entries:
            if endpoint not in (None, "any") and entry.endpoint != endpoint:
                continue
            if grant_type is None or entry.grant_type == grant_type:
                yield entry
