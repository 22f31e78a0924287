"""One process of the fleet benchmark (settings_cred or azure-identity), released by a file barrier.

``python -m bench.fleet_child CONTENDER``. Leaves JSON for the parent: milliseconds from release to the
first token (or the error's class), how many distinct tokens it held, and failed calls while holding.
Never a token.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._children import report_result
from ._contenders import PASSWORD, SCOPE, PersistentCache, Route, credential


def _cache(environ: Mapping[str, str]) -> PersistentCache:
    kind, _, location = environ.get("BENCH_STORE", "").partition(":")
    return PersistentCache(
        name=environ["BENCH_NAME"],
        directory=location if kind == "files" else None,
        url=location if kind == "redis" else None,
        key=environ["BENCH_KEY"],
    )


def main(argv: list[str]) -> int:
    """Wait for the barrier, then get tokens until ``BENCH_HOLD`` seconds have passed."""
    warnings.simplefilter("ignore")
    environ = os.environ
    password = environ.get("BENCH_PASSWORD", PASSWORD)
    held = credential(argv[0], Route.from_environ(), password=password, cache=_cache(environ))
    barrier = Path(environ["BENCH_BARRIER"])
    (barrier / f"ready-{os.getpid()}").touch()
    while not (barrier / "go").exists():
        time.sleep(0.001)
    started = time.perf_counter()
    hold_until = started + float(environ.get("BENCH_HOLD", "0"))
    report: dict[str, Any] = {"tokens": 0, "failures": 0}
    seen: set[str] = set()
    while True:
        try:
            token = held.get_token(SCOPE).token
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
    held.close()
    report_result(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
