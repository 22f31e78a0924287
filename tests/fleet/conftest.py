"""Run real processes as a fleet: each builds its credential, then all are released together (a barrier)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from settings_cred.emulator import EntraEmulator
from tests.conftest import CACHE_KEY, CLIENT_ID, PASSWORD, USERNAME, VAULT_SCOPE

CHILD = Path(__file__).with_name("child.py")
ROOT = Path(__file__).parents[2]
Report = dict[str, object]


class Fleet:
    """Starts fleet processes against the emulator and one store, released together."""

    def __init__(self, idp: EntraEmulator, tmp_path: Path) -> None:
        self.idp = idp
        self.tmp_path = tmp_path
        self._rounds = 0
        self._running: list[subprocess.Popen[str]] = []

    def env(self, store: str, *, password: str = PASSWORD, hold: float = 0, host: str = "host-0") -> dict[str, str]:
        """The environment of one process; `host` gives it its own HOME and cache directory, as a replica has."""
        home = self.tmp_path / host
        (home / "cache").mkdir(parents=True, exist_ok=True, mode=0o700)
        return {
            **os.environ,
            "HOME": str(home),
            "PYTHONPATH": str(ROOT),
            "FLEET_STORE": store,
            "FLEET_CACHE_DIR": str(home / "cache"),
            "FLEET_KEY": CACHE_KEY,
            "FLEET_CLIENT_ID": CLIENT_ID,
            "FLEET_USERNAME": USERNAME,
            "FLEET_PASSWORD": password,
            "FLEET_PROXY": self.idp.proxy_url,
            "FLEET_CA": self.idp.ca_bundle,
            "FLEET_SCOPE": VAULT_SCOPE,
            "FLEET_HOLD": str(hold),
        }

    def spawn(self, env: dict[str, str]) -> subprocess.Popen[str]:
        """Start one process that runs at once (no barrier)."""
        process = subprocess.Popen(
            [sys.executable, str(CHILD)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self._running.append(process)
        return process

    def start_together(self, envs: list[dict[str, str]]) -> list[subprocess.Popen[str]]:
        """Start every process, wait until all are ready, then release them at once."""
        self._rounds += 1
        barrier = self.tmp_path / f"barrier-{self._rounds}"
        barrier.mkdir()
        processes = [self.spawn({**env, "FLEET_BARRIER": str(barrier)}) for env in envs]
        deadline = time.monotonic() + 120
        while len(list(barrier.glob("ready-*"))) < len(processes):
            assert time.monotonic() < deadline, "the fleet did not get ready in time"
            assert all(p.poll() is None for p in processes), [p.communicate()[1] for p in processes if p.poll()]
            time.sleep(0.02)
        (barrier / "go").touch()
        return processes

    def run_together(self, envs: list[dict[str, str]]) -> list[Report]:
        """Start, release together, and collect each process's report."""
        return [self.report(p) for p in self.start_together(envs)]

    def report(self, process: subprocess.Popen[str]) -> Report:
        """Wait for one process and return its JSON report (its stderr must hold no secret)."""
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        for secret in (PASSWORD, CACHE_KEY):
            assert secret not in out + err
        report: Report = json.loads(out.strip().splitlines()[-1])
        return report

    def stop(self) -> None:
        """Kill whatever still runs."""
        for process in self._running:
            if process.poll() is None:
                process.kill()
            process.communicate()


@pytest.fixture
def fleet(idp: EntraEmulator, tmp_path: Path) -> Iterator[Fleet]:
    """A fleet runner; Entra answers token requests after 200 ms, as it might on a busy day."""
    idp.latency = 0.2
    runner = Fleet(idp, tmp_path)
    yield runner
    runner.stop()
