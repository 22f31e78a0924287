"""Background refreshes run on a few long-lived daemon threads.

Starting a thread per refresh would make the caller that triggers it wait for the new thread to be
scheduled (``Thread.start`` blocks on that); handing work to an idle worker through a queue does not.
Daemon threads never hold up interpreter exit, even while Entra ID is hanging.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Final

MAX_WORKERS: Final = 4
_LOGGER = logging.getLogger("settings_cred")


class BackgroundWorkers:
    """Runs submitted callables on up to :data:`MAX_WORKERS` daemon threads, started on demand."""

    def __init__(self, max_workers: int = MAX_WORKERS) -> None:
        self._max_workers = max_workers
        self.forget_workers()

    def submit(self, work: Callable[[], None]) -> None:
        """Queue `work`; start another worker only when none is idle."""
        with self._lock:
            start = self._idle == 0 and self._workers < self._max_workers
            if start:
                self._workers += 1
            else:
                self._idle -= 1
        self._work.put(work)
        if start:
            threading.Thread(target=self._run, name="settings-cred-refresh", daemon=True).start()

    def _run(self) -> None:
        while True:
            work = self._work.get()
            try:
                work()
            except Exception:  # the work reports its own failures; this keeps the worker alive
                _LOGGER.debug("background work failed", exc_info=True)
            with self._lock:
                self._idle += 1

    def forget_workers(self) -> None:
        """No workers, nothing queued: at start, and after a fork (the workers were threads of the parent)."""
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._workers = 0


BACKGROUND: Final = BackgroundWorkers()
"""The process's workers for background token refreshes."""

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=BACKGROUND.forget_workers)
