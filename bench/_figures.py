"""What a scenario returns: figures for both libraries side by side, with their spread and ratio."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

OURS = "settings_cred"
THEIRS = "azure-identity"
CONTENDERS = (OURS, THEIRS)

Headline = Literal["median", "best"]


@dataclass(frozen=True, slots=True)
class Spread:
    """Repeated measurements of one quantity: the headline value (median, or best for noise-damped
    microbenchmarks) with the median, lowest and highest value and how many there were."""

    median: float
    low: float
    high: float
    runs: int
    headline: Headline = "median"

    @property
    def value(self) -> float:
        """The headline value: the lowest for ``best``, else the median."""
        return self.low if self.headline == "best" else self.median

    @classmethod
    def of(cls, samples: Iterable[float], *, headline: Headline = "median") -> Spread:
        """Summarise `samples` (at least one)."""
        values = sorted(samples)
        if not values:
            raise ValueError("a spread needs at least one sample")
        return cls(statistics.median(values), values[0], values[-1], len(values), headline)

    @classmethod
    def of_measured(cls, samples: Iterable[float | None]) -> Spread | None:
        """:meth:`of` the samples that were measured; ``None`` when none was."""
        measured = [sample for sample in samples if sample is not None]
        return cls.of(measured) if measured else None

    def as_json(self) -> dict[str, Any]:
        """The figures as a JSON object."""
        return {
            "value": self.value,
            "headline": self.headline,
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "runs": self.runs,
        }


Value = Spread | float | None
"""A measured value: repeated (spread), single (a count, say), or not measured."""


def encode(value: Value) -> Any:
    """`value` as JSON: an object for a spread, else the number (or null)."""
    return value.as_json() if isinstance(value, Spread) else value


def headline(value: Value) -> float | None:
    """The number that stands for `value`."""
    return value.value if isinstance(value, Spread) else value


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity measured for both libraries; `unit` decides how it is printed ("s", "MiB", "" for counts)."""

    label: str
    unit: str
    ours: Value
    theirs: Value
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        """settings_cred ÷ azure-identity, when both were measured and azure-identity's is not zero."""
        ours, theirs = headline(self.ours), headline(self.theirs)
        if ours is None or theirs is None or theirs == 0:
            return None
        return ours / theirs

    def as_json(self) -> dict[str, Any]:
        """The figure as a JSON object."""
        return {
            "label": self.label,
            "unit": self.unit,
            OURS: encode(self.ours),
            THEIRS: encode(self.theirs),
            "ratio": self.ratio,
            "goal": self.goal or None,
        }


@dataclass(slots=True)
class Section:
    """One scenario's outcome: how it was measured, its figures, notes and raw details for the JSON."""

    name: str
    title: str
    method: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """The section as a JSON object."""
        return {
            "title": self.title,
            "method": self.method,
            "figures": [figure.as_json() for figure in self.figures],
            "notes": self.notes,
            "details": self.details,
            "seconds": self.seconds,
        }
