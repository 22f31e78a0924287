"""One process of a fleet (run by the fleet tests): builds a credential, waits at the barrier, gets tokens.

Configured by environment variables (FLEET_*); prints one JSON line: token hashes (never a token), the
error class if any, whether the lockout guard refused, and milliseconds to the first token.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import warnings
from pathlib import Path

from settings_cred import EntraAuthenticationError, TokenCachePersistenceOptions, UsernamePasswordCredential


def digest(token: str) -> str:
    """A short hash: enough to compare tokens across processes, useless to anyone else."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def main() -> int:
    warnings.simplefilter("ignore")
    env = os.environ
    kind, _, location = env["FLEET_STORE"].partition(":")
    options = TokenCachePersistenceOptions(
        name="fleet",
        encryption_key=env["FLEET_KEY"],
        directory=location if kind == "files" else env.get("FLEET_CACHE_DIR"),
        url=location if kind == "redis" else None,
    )
    credential = UsernamePasswordCredential(
        env["FLEET_CLIENT_ID"],
        env["FLEET_USERNAME"],
        env["FLEET_PASSWORD"],
        cache_persistence_options=options,
        proxies={"https": env["FLEET_PROXY"]},
        connection_verify=env["FLEET_CA"],
    )
    barrier = Path(env["FLEET_BARRIER"]) if env.get("FLEET_BARRIER") else None
    if barrier is not None:
        (barrier / f"ready-{os.getpid()}").touch()
        while not (barrier / "go").exists():
            time.sleep(0.001)
    report: dict[str, object] = {"tokens": []}
    started = time.monotonic()
    hold_until = started + float(env.get("FLEET_HOLD", "0"))
    failures = 0
    try:
        while True:
            try:
                token = credential.get_token(env["FLEET_SCOPE"]).token
            except EntraAuthenticationError:
                if not report["tokens"]:
                    raise
                failures += 1
            else:
                if "first_ms" not in report:
                    report["first_ms"] = round((time.monotonic() - started) * 1000, 1)
                if digest(token) not in report["tokens"]:  # type: ignore[operator]
                    report["tokens"].append(digest(token))  # type: ignore[attr-defined]
            if time.monotonic() >= hold_until:
                break
            time.sleep(0.02)
    except EntraAuthenticationError as exc:
        report["error"] = type(exc).__name__
        report["guarded"] = exc.from_lockout_guard
        report["first_ms"] = round((time.monotonic() - started) * 1000, 1)
    report["failures"] = failures
    credential.close()
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
