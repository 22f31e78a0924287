"""Authority metadata shared through the store, so a new process does not repeat discovery requests.

msal fetches instance discovery, the OpenID configuration and user realm with GET requests through our
HTTP client; successful answers are kept as sealed store entries for a day (keys are keyed hashes of
the URLs, so no username appears). Sealed means authenticated: metadata that someone else wrote into
the cache directory or Redis reads as absent instead of steering where the password goes. A failed
sign-in forgets what this process used, so stale metadata is fetched again.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Final

from .. import audit
from ._store import Store

MAX_AGE_SECONDS: Final = 24 * 3600.0
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


class SharedMetadata:
    """Successful metadata answers by URL, in the store."""

    def __init__(self, store: Store, *, max_age: float = MAX_AGE_SECONDS) -> None:
        self._store = store
        self._max_age = max_age
        self._used: set[str] = set()
        self._lock = threading.Lock()

    def get(self, url: str) -> str | None:
        """The stored body for a metadata `url`, if fresh and authentic."""
        endpoint = metadata_endpoint(url)
        if endpoint is None:
            return None
        entry = self._store.get(self._store.shared_key("metadata", url))
        if entry is None:
            return None
        try:
            body = entry.payload.decode("utf-8")
            valid = isinstance(json.loads(body), dict)
        except ValueError:
            valid = False
        if not valid:  # only a plain-text store can hold this: someone wrote it by hand
            audit.emit(audit.CACHE_UNREADABLE, location=self._store.location, reason="metadata is not a JSON object")
            return None
        with self._lock:
            self._used.add(url)
        audit.emit(audit.CACHE_METADATA_HIT, endpoint=endpoint)
        return body

    def put(self, url: str, body: str) -> None:
        """Remember a successful answer for a metadata `url` (other URLs are ignored)."""
        if metadata_endpoint(url) is None:
            return
        with self._lock:
            self._used.add(url)
        self._store.put(self._store.shared_key("metadata", url), body.encode("utf-8"), fence=0, ttl=self._max_age)

    def forget(self) -> None:
        """Drop the entries this process used (after a failure that stale metadata could explain)."""
        with self._lock:
            used, self._used = self._used, set()
        for url in used:
            self._store.delete(self._store.shared_key("metadata", url))
