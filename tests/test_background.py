"""Background refresh workers: every submitted job runs, on a bounded set of daemon threads."""

from __future__ import annotations

import threading
import time

from settings_cred._core._background import BackgroundWorkers


def test_every_job_runs_on_at_most_the_allowed_workers() -> None:
    """Fifty jobs, some slow and one failing, all run; no more than two threads are used."""
    workers = BackgroundWorkers(max_workers=2)
    done: list[int] = []
    threads: set[str] = set()
    lock = threading.Lock()

    def job(number: int) -> None:
        time.sleep(0.002 if number % 5 == 0 else 0)
        with lock:
            done.append(number)
            threads.add(threading.current_thread().name + str(threading.get_ident()))
        if number == 7:
            raise RuntimeError("a failing job must not kill its worker")

    for number in range(50):
        workers.submit(lambda n=number: job(n))  # type: ignore[misc]
    deadline = time.monotonic() + 5
    while len(done) < 50 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert sorted(done) == list(range(50))
    assert 1 <= len(threads) <= 2
    assert all(name.startswith("settings-cred-refresh") for name in threads)


def test_a_forked_child_still_runs_background_jobs() -> None:
    """A worker process forked after refreshes ran (gunicorn --preload) starts its own refresh threads."""
    import os
    import warnings

    from settings_cred._core._background import BACKGROUND

    ran = threading.Event()
    BACKGROUND.submit(ran.set)
    assert ran.wait(5)
    read, write = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # forking a process that has threads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        done = threading.Event()
        BACKGROUND.submit(done.set)
        os.write(write, b"ran" if done.wait(5) else b"stuck")
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        assert answer.read() == b"ran"
    os.waitpid(pid, 0)
