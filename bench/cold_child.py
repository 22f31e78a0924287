"""One process of the cold-start benchmark: build a credential with a persistent cache, get one token.

Prints JSON: seconds from constructing the credential to its first token (imports excluded). Never prints a
token.
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from typing import Any

from azure.identity import TokenCachePersistenceOptions as IdentityOptions
from azure.identity import UsernamePasswordCredential as IdentityCredential

from settings_cred import TokenCachePersistenceOptions, UsernamePasswordCredential


def _credential(implementation: str) -> Any:
    common: dict[str, Any] = {
        "proxies": {"https": os.environ["BENCH_PROXY"]},
        "connection_verify": os.environ["BENCH_CA"],
    }
    args = (os.environ["BENCH_CLIENT_ID"], os.environ["BENCH_USERNAME"], os.environ["BENCH_PASSWORD"])
    if implementation == "settings_cred":
        ours = TokenCachePersistenceOptions(
            name="bench", directory=os.environ["BENCH_CACHE_DIR"], encryption_key=os.environ["BENCH_KEY"]
        )
        return UsernamePasswordCredential(*args, cache_persistence_options=ours, **common)
    theirs = IdentityOptions(name="bench", allow_unencrypted_storage=True)
    return IdentityCredential(*args, authority="login.microsoftonline.com", cache_persistence_options=theirs, **common)


def main() -> int:
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    credential = _credential(sys.argv[1])
    credential.get_token("https://vault.azure.net/.default")
    elapsed = time.perf_counter() - started
    credential.close()
    print(json.dumps({"seconds": elapsed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
