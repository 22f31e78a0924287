"""The benchmark keeps working as the library changes: its modules import and a quick run reports both libraries."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import bench
from bench._contenders import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(info.name for info in pkgutil.iter_modules(bench.__path__) if info.name != "__main__")


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name: str) -> None:
    """Every module of the benchmark imports (children included), without running anything."""
    module = importlib.import_module(f"bench.{name}")
    assert module.__doc__


def test_quick_run_reports_both_libraries(tmp_path: Path) -> None:
    """`python -m bench --quick` runs the scenarios that use child processes, prints them, writes every
    figure as JSON with a value for both libraries, and the password appears in neither."""
    report = tmp_path / "bench.json"
    scenarios = ["--only", "warm", "--only", "cold", "--only", "memory"]
    command = [sys.executable, "-m", "bench", "--quick", *scenarios, "--json", str(report)]
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert "Warm get_token under each logging set-up" in finished.stdout
    document = json.loads(report.read_text())
    assert set(document["scenarios"]) == {"warm", "cold", "memory"}
    warm = document["scenarios"]["warm"]["figures"]
    assert [figure["label"] for figure in warm] == [
        "default",
        "structlog-info",
        "stdlib-info",
        "audit-debug",
        "structlog-debug",
        "opentelemetry",
        "structlog-json-debug",
    ]
    for figure in warm:
        assert figure["settings_cred"]["value"] > 0
        assert figure["azure-identity"]["value"] > 0
        assert figure["ratio"] > 0
    cold = {figure["label"]: figure for figure in document["scenarios"]["cold"]["figures"]}
    fresh = cold["fresh process, in-memory cache: requests"]
    assert fresh["settings_cred"]["value"] >= 1
    assert fresh["azure-identity"]["value"] >= 1
    assert document["machine"]["packages"]["azure-identity"] != "not installed"
    assert PASSWORD not in finished.stdout + finished.stderr + report.read_text()
