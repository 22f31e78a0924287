"""A separate process that uses a persistent token cache (run by test_persistent_cache.py).

Reads its configuration from the environment, prints one JSON line: never a token, only its hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import warnings

from settings_cred import EntraAuthenticationError, TokenCachePersistenceOptions, UsernamePasswordCredential


def main() -> int:
    warnings.simplefilter("ignore")
    options = TokenCachePersistenceOptions(
        name="child",
        directory=os.environ["CHILD_CACHE_DIR"],
        encryption_key=os.environ.get("CHILD_CACHE_KEY") or None,
        allow_unencrypted_storage=os.environ.get("CHILD_ALLOW_PLAIN") == "1",
    )
    credential = UsernamePasswordCredential(
        os.environ["CHILD_CLIENT_ID"],
        os.environ["CHILD_USERNAME"],
        os.environ["CHILD_PASSWORD"],
        cache_persistence_options=options,
        proxies={"https": os.environ["CHILD_PROXY"]},
        connection_verify=os.environ["CHILD_CA"],
    )
    report: dict[str, object] = {}
    try:
        for scope in os.environ["CHILD_SCOPES"].split():
            token = credential.get_token(scope)
            report[scope] = hashlib.sha256(token.token.encode()).hexdigest()[:16]
        if os.environ.get("CHILD_AGAIN_AFTER"):
            time.sleep(float(os.environ["CHILD_AGAIN_AFTER"]))
            for scope in os.environ["CHILD_SCOPES"].split():
                token = credential.get_token(scope)
                report[scope + " again"] = hashlib.sha256(token.token.encode()).hexdigest()[:16]
    except EntraAuthenticationError as exc:
        report["error"] = type(exc).__name__
        report["guarded"] = exc.from_lockout_guard
    finally:
        credential.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
