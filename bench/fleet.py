"""The fleet scenario: many processes released together, settings_cred (shared store) beside azure-identity.

Each "host" has its own HOME (azure-identity's cache lives there); settings_cred's processes share one
Redis (or, without a redis-server binary, the processes of one host share a cache directory).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from settings_cred.emulator import EntraEmulator

CHILD = Path(__file__).with_name("fleet_child.py")
ROOT = Path(__file__).resolve().parent.parent
KEY = "bench-fleet-key-5d0c9a7e2b4f6183-a9e1c7b3d5f2"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Redis:
    """A throwaway redis-server for the benchmark."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(  # noqa: S603 - the machine's redis-server
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.3)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def _run(
    idp: EntraEmulator, implementation: str, store: str, *, hosts: int, per_host: int, **extra: str
) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        barrier = Path(scratch) / "barrier"
        barrier.mkdir()
        processes = []
        for host in range(hosts):
            home = Path(scratch) / f"host-{host}"
            home.mkdir()
            env = {
                **os.environ,
                "HOME": str(home),
                "PYTHONPATH": str(ROOT),
                "BENCH_STORE": store.replace("{home}", str(home)),
                "BENCH_KEY": KEY,
                "BENCH_BARRIER": str(barrier),
                "BENCH_PROXY": idp.proxy_url,
                "BENCH_CA": idp.ca_bundle,
                **extra,
            }
            for _ in range(per_host):
                command = [sys.executable, str(CHILD), implementation]
                child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # noqa: S603
                processes.append(child)
        while len(list(barrier.glob("ready-*"))) < len(processes):
            time.sleep(0.02)
        (barrier / "go").touch()
        return [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]


def fleet(idp: EntraEmulator, credentials: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Sign-ins, failed attempts, refreshes per window and first-token times, for each implementation."""
    with tempfile.TemporaryDirectory() as scratch:
        redis = _Redis(Path(scratch)) if shutil.which("redis-server") else None
        hosts, per_host = (3, 4) if redis else (1, 8)
        ours_store = f"redis:{redis.url}" if redis else "files:{home}/cache"
        result: dict[str, dict[str, Any]] = {}
        try:
            for name, store in (("settings_cred", ours_store), ("azure-identity", "")):
                shared = "Redis" if redis else "a cache directory per host"
                figures: dict[str, Any] = {"processes": hosts * per_host, "shared": shared if store else "-"}
                idp.latency, idp.refresh_in = 0.02, None
                idp.revoke_refresh_tokens()
                idp.clear_requests()
                reports = _run(idp, name, store, hosts=hosts, per_host=per_host, BENCH_NAME="s", **credentials)
                figures["password_grants"] = idp.count("token", grant_type="password")
                first = [r["first_ms"] for r in reports]
                figures["first_token_p50_ms"] = statistics.median(first)
                figures["first_token_max_ms"] = max(first)
                idp.clear_requests()
                wrong = {**credentials, "BENCH_PASSWORD": "wrong-" + credentials["BENCH_PASSWORD"], "BENCH_NAME": "w"}
                _run(idp, name, store, hosts=hosts, per_host=per_host, **wrong)
                figures["failed_attempts"] = idp.count("token", grant_type="password")
                idp.clear_requests()
                idp.refresh_in = 2
                holding = {**credentials, "BENCH_HOLD": "3.5", "BENCH_NAME": "r"}
                reports = _run(idp, name, store, hosts=hosts, per_host=per_host, **holding)
                figures["refresh_grants_in_one_window"] = idp.count("token", grant_type="refresh_token")
                figures["failed_calls_while_holding"] = sum(r["failures"] for r in reports)
                result[name] = figures
        finally:
            idp.latency, idp.refresh_in = 0.0, None
            if redis:
                redis.stop()
        return result
