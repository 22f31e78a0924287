"""Timing calls in this process: per-call samples and interleaved rounds that damp a shared machine's noise."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def alternating(names: Sequence[T], index: int) -> Sequence[T]:
    """`names` in order for an even `index` (a round, a run, a pass), reversed for an odd one, so that no
    name always goes first."""
    return names if index % 2 == 0 else names[::-1]


def per_call(call: Callable[[], Any], count: int) -> list[float]:
    """Seconds taken by each of `count` calls (each sample includes one ``perf_counter`` read)."""
    samples = []
    clock = time.perf_counter
    for _ in range(count):
        started = clock()
        call()
        samples.append(clock() - started)
    return samples


def round_medians(calls: Mapping[str, Callable[[], Any]], *, rounds: int, count: int) -> dict[str, list[float]]:
    """For each round, and each named call in turn (the order alternating between rounds), the median
    seconds per call over `count` calls. Both contenders see the same moments of a noisy machine."""
    medians: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for round_index in range(rounds):
        for name in alternating(names, round_index):
            medians[name].append(statistics.median(per_call(calls[name], count)))
    return medians


def timer_floor(count: int = 2_000, rounds: int = 5) -> float:
    """The best median time of calling a no-op the way :func:`per_call` does: the measurement's own floor."""

    def nothing() -> None:
        return None

    return min(statistics.median(per_call(nothing, count)) for _ in range(rounds))
