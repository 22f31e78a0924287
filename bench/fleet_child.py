"""One process of the fleet benchmark (settings_cred or azure-identity), released by a file barrier.

Prints JSON: milliseconds from release to the first token (or the error's class), how many distinct
tokens it held, and failed calls while holding. Never prints a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from azure.identity import TokenCachePersistenceOptions as IdentityOptions
from azure.identity import UsernamePasswordCredential as IdentityCredential

from settings_cred import TokenCachePersistenceOptions, UsernamePasswordCredential


def _credential(implementation: str) -> Any:
    env = os.environ
    common: dict[str, Any] = {"proxies": {"https": env["BENCH_PROXY"]}, "connection_verify": env["BENCH_CA"]}
    args = (env["BENCH_CLIENT_ID"], env["BENCH_USERNAME"], env["BENCH_PASSWORD"])
    if implementation == "settings_cred":
        kind, _, location = env["BENCH_STORE"].partition(":")
        ours = TokenCachePersistenceOptions(
            name=env["BENCH_NAME"],
            encryption_key=env["BENCH_KEY"],
            directory=location if kind == "files" else None,
            url=location if kind == "redis" else None,
        )
        return UsernamePasswordCredential(*args, cache_persistence_options=ours, **common)
    theirs = IdentityOptions(name=env["BENCH_NAME"], allow_unencrypted_storage=True)
    return IdentityCredential(*args, authority="login.microsoftonline.com", cache_persistence_options=theirs, **common)


def main() -> int:
    warnings.simplefilter("ignore")
    credential = _credential(sys.argv[1])
    barrier = Path(os.environ["BENCH_BARRIER"])
    (barrier / f"ready-{os.getpid()}").touch()
    while not (barrier / "go").exists():
        time.sleep(0.001)
    started = time.perf_counter()
    hold_until = started + float(os.environ.get("BENCH_HOLD", "0"))
    report: dict[str, Any] = {"tokens": 0, "failures": 0}
    seen: set[str] = set()
    while True:
        try:
            token = credential.get_token("https://vault.azure.net/.default").token
        except Exception as exc:  # noqa: BLE001 - reported by class name
            if "first_ms" not in report:
                report["error"] = type(exc).__name__
                report["first_ms"] = (time.perf_counter() - started) * 1000
                break
            report["failures"] += 1
        else:
            report.setdefault("first_ms", (time.perf_counter() - started) * 1000)
            seen.add(hashlib.sha256(token.encode()).hexdigest())
        if time.perf_counter() >= hold_until:
            break
        time.sleep(0.02)
    report["tokens"] = len(seen)
    credential.close()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
