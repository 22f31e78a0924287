"""Authority metadata persisted across processes, so a restart does not repeat discovery requests.

msal fetches instance discovery, the OpenID configuration and user realm with GET requests through
our HTTP client; successful answers are kept in a JSON file next to the token cache (keys are SHA-256
hashes of the URLs, so no username is stored) for a day. A failed sign-in forgets them, so stale
metadata is fetched again.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from pathlib import Path
from typing import Final

from .. import audit
from ._cache_files import private_directory, write_atomically

MAX_AGE_SECONDS: Final = 24 * 3600
_ENDPOINTS: Final = (
    ("instance_discovery", re.compile(r"/discovery/instance(\?|$)")),
    ("openid_configuration", re.compile(r"/\.well-known/openid-configuration(\?|$)")),
    ("user_realm", re.compile(r"/userrealm/[^/]+(\?|$)")),
)


def metadata_endpoint(url: str) -> str | None:
    """Which metadata endpoint `url` is, or None for anything else."""
    for name, pattern in _ENDPOINTS:
        if pattern.search(url):
            return name
    return None


class MetadataCache:
    """Successful metadata answers by URL, in memory and in a file."""

    def __init__(self, location: Path, *, max_age: float = MAX_AGE_SECONDS) -> None:
        self._location = location
        self._max_age = max_age
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, object]] = self._read()

    def get(self, url: str) -> str | None:
        """The stored body for a metadata `url`, if fresh."""
        endpoint = metadata_endpoint(url)
        if endpoint is None:
            return None
        entry = self._entries.get(_key(url))
        if entry is None or time.time() - float(str(entry["stored_at"])) > self._max_age:
            return None
        audit.emit(audit.CACHE_METADATA_HIT, endpoint=endpoint)
        return str(entry["body"])

    def put(self, url: str, body: str) -> None:
        """Remember a successful answer for a metadata `url` (other URLs are ignored)."""
        if metadata_endpoint(url) is None:
            return
        with self._lock:
            self._entries = {**self._read(), **self._entries, _key(url): {"body": body, "stored_at": time.time()}}
            self._write()

    def forget(self) -> None:
        """Drop everything (after a failure that stale metadata could explain)."""
        with self._lock:
            self._entries = {}
            self._location.unlink(missing_ok=True)

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self._location.read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, dict) and {"body", "stored_at"} <= set(v)}

    def _write(self) -> None:
        private_directory(self._location.parent)
        write_atomically(self._location, json.dumps(self._entries).encode("utf-8"))


def _key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()
