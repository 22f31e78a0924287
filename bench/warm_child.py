"""One process of the warm-path benchmark: both libraries under one logging set-up.

``python -m bench.warm_child SETUP ROUNDS CALLS``. Imports both libraries, configures logging the way an
application would at start-up, builds one credential of each, gets a first token, then times cached
``get_token`` calls in interleaved rounds. Log output goes to a sink that counts lines (so the report can
show that a set-up really logs what it claims) and discards them. Leaves JSON for the parent; never a token.
"""

from __future__ import annotations

import io
import logging
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ._children import report_result
from ._contenders import SCOPE, Route, credential, load
from ._figures import CONTENDERS
from ._timing import round_medians, timer_floor


class CountingSink(io.StringIO):
    """A text stream that counts the lines written to it and keeps nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def write(self, text: str) -> int:
        """Count the newlines in `text` and drop it."""
        self.lines += text.count("\n")
        return len(text)


def _structlog(level: int, sink: CountingSink) -> None:
    import structlog  # noqa: PLC0415 - only the structlog set-ups load it

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sink),
    )


def _structlog_json(level: int, sink: CountingSink) -> None:
    """A production set-up: JSON lines, loggers cached on first use (what configure_json_logging does)."""
    import structlog  # noqa: PLC0415

    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sink),
        cache_logger_on_first_use=True,
    )


def _opentelemetry(sink: CountingSink) -> None:
    """OpenTelemetry's SDK with tracer and meter providers, as an instrumented application sets them."""
    from opentelemetry import metrics, trace  # noqa: PLC0415 - only this set-up loads it
    from opentelemetry.sdk.metrics import MeterProvider  # noqa: PLC0415
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: PLC0415
    from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415

    trace.set_tracer_provider(TracerProvider())
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))


def _stdlib(sink: CountingSink, *, audit_debug: bool = False) -> None:
    logging.basicConfig(level=logging.INFO, stream=sink)
    if audit_debug:
        logging.getLogger("settings_cred.audit").setLevel(logging.DEBUG)


@dataclass(frozen=True, slots=True)
class Setup:
    """A logging set-up: what it is, in the words of the report, and how to apply it."""

    description: str
    apply: Callable[[CountingSink], None]


SETUPS: dict[str, Setup] = {
    "default": Setup("nothing configured", lambda sink: None),
    "structlog-info": Setup(
        "structlog.configure(wrapper_class=make_filtering_bound_logger(INFO))", partial(_structlog, logging.INFO)
    ),
    "stdlib-info": Setup("logging.basicConfig(level=INFO)", _stdlib),
    "audit-debug": Setup(
        "logging.basicConfig(level=INFO), settings_cred.audit at DEBUG (cache-hit events on)",
        partial(_stdlib, audit_debug=True),
    ),
    "structlog-debug": Setup(
        "structlog.configure(wrapper_class=make_filtering_bound_logger(DEBUG)) (cache-hit events on; structlog's "
        "default development ConsoleRenderer)",
        partial(_structlog, logging.DEBUG),
    ),
    "opentelemetry": Setup(
        "OpenTelemetry SDK tracer and meter providers configured (settings_cred's instruments on)", _opentelemetry
    ),
    "structlog-json-debug": Setup(
        "structlog at DEBUG with JSONRenderer and cache_logger_on_first_use (a production set-up; cache-hit events on)",
        partial(_structlog_json, logging.DEBUG),
    ),
}
"""Logging set-ups, applied after both libraries are imported and before any credential exists; output
goes to a line-counting sink in place of the stream."""


def main(argv: list[str]) -> int:
    """Measure both contenders under the set-up named in `argv`."""
    setup, rounds, calls = argv[0], int(argv[1]), int(argv[2])
    warnings.simplefilter("ignore")
    for contender in CONTENDERS:
        load(contender)  # both libraries load before logging is configured, as in an application

    sink = CountingSink()
    SETUPS[setup].apply(sink)
    route = Route.from_environ()
    credentials = {name: credential(name, route) for name in CONTENDERS}
    calls_by_name: dict[str, Callable[[], Any]] = {
        name: partial(held.get_token, SCOPE) for name, held in credentials.items()
    }
    for call in calls_by_name.values():
        call()  # the first token: from here on every call is a cache hit
    medians = round_medians(calls_by_name, rounds=rounds, count=calls)
    lines_per_call = {}
    for name, call in calls_by_name.items():
        before = sink.lines
        for _ in range(100):
            call()
        lines_per_call[name] = (sink.lines - before) / 100
    for held in credentials.values():
        held.close()
    report_result({"round_medians": medians, "log_lines_per_call": lines_per_call, "timer_floor_s": timer_floor()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
