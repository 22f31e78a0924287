"""Child processes: a clean environment, wall time and the child's own peak memory."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")
"""GNU time, which measures a child's peak RSS from outside (see :class:`Child`); ``None`` if missing."""
NO_GNU_TIME = "peak memory not measured: GNU time is missing (apt-get install time)"
_FOREIGN_PREFIXES = ("AZURE_", "SETTINGS_CRED_", "MSAL_", "PYTHON")
"""Variables that would steer either library (or the interpreter) away from what the scenario sets up."""


def clean_environ(**extra: str) -> dict[str, str]:
    """This process's environment without Azure, settings_cred, msal or Python tuning variables, plus `extra`."""
    kept = {name: value for name, value in os.environ.items() if not name.upper().startswith(_FOREIGN_PREFIXES)}
    return {**kept, **extra}


def bench_environ(**extra: str) -> dict[str, str]:
    """:func:`clean_environ` for a child that imports ``bench`` (``PYTHONPATH`` is this checkout)."""
    return clean_environ(PYTHONPATH=str(ROOT), **extra)


def python_module(module: str, *args: str) -> list[str]:
    """The command running ``python -m bench.<module> args``."""
    return [sys.executable, "-m", f"bench.{module}", *args]


def report_result(result: Mapping[str, Any]) -> None:
    """In a child: leave `result` for the parent (see :class:`Child`)."""
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(result))


@dataclass(frozen=True, slots=True)
class Finished:
    """A child that exited: its wall time (spawn to reap), peak resident memory (``None`` without GNU time),
    output and result."""

    seconds: float
    peak_rss_mib: float | None
    stdout: str
    result: dict[str, Any]


class ChildFailedError(RuntimeError):
    """A benchmark child exited with an error; the message carries the tail of its stderr."""


class Child:
    """A running child process. It may leave a JSON object in the file named by ``BENCH_RESULT``
    (:func:`report_result`), which :meth:`wait` returns as ``result``.

    Peak memory comes from GNU time (``%M``) wrapped around the command. The child's own ``wait4`` rusage
    (or ``RUSAGE_CHILDREN``) cannot give it: Linux carries the forking process's peak RSS into a child
    across ``exec``, so every child of this 60 MiB process would report at least 60 MiB. GNU time is a
    small program, so the peak it reports is the command's own (any value above about 2 MiB).
    """

    def __init__(self, command: Sequence[str], *, environ: Mapping[str, str], timeout: float = 120.0) -> None:
        self._scratch = tempfile.TemporaryDirectory()
        self._result = Path(self._scratch.name) / "result.json"
        self._peak = Path(self._scratch.name) / "peak"
        self._name = " ".join(command[:4])
        measured = [GNU_TIME, "--format=%M", f"--output={self._peak}"] if GNU_TIME is not None else []
        self._out = (Path(self._scratch.name) / "stdout").open("w+")
        self._err = (Path(self._scratch.name) / "stderr").open("w+")
        self._started = time.perf_counter()
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and scripts
            [*measured, *command],
            env={**environ, "BENCH_RESULT": str(self._result)},
            stdout=self._out,
            stderr=self._err,
            start_new_session=True,  # a group of its own, so that the watchdog can stop all of it
        )
        self._watchdog = threading.Timer(timeout, os.killpg, (self._process.pid, signal.SIGKILL))
        self._watchdog.start()

    def wait(self) -> Finished:
        """Reap the child and measure it; :class:`ChildFailedError` if it failed."""
        try:
            self._process.wait()
            seconds = time.perf_counter() - self._started
            self._out.seek(0)
            self._err.seek(0)
            if self._process.returncode != 0:
                tail = self._err.read()[-2000:]
                raise ChildFailedError(f"{self._name} exited with {self._process.returncode}:\n{tail}")
            result = json.loads(self._result.read_text()) if self._result.exists() else {}
            peak = int(self._peak.read_text().split()[-1]) / 1024 if GNU_TIME is not None else None
            return Finished(seconds, peak, self._out.read(), result)
        finally:
            self._watchdog.cancel()
            self._out.close()
            self._err.close()
            self._scratch.cleanup()


def run(command: Sequence[str], *, environ: Mapping[str, str], timeout: float = 120.0) -> Finished:
    """Run `command` to completion and measure it (see :class:`Child`)."""
    return Child(command, environ=environ, timeout=timeout).wait()
