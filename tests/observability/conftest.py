"""OpenTelemetry's SDK with in-memory exporters, installed once for the session (providers are process-global)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest


class Telemetry(NamedTuple):
    """The session's in-memory span exporter and metric reader, with helpers to read them."""

    spans: Any
    reader: Any

    def finished(self, name: str) -> list[Any]:
        """Finished spans called `name`."""
        return [s for s in self.spans.get_finished_spans() if s.name == name]

    def points(self, metric: str) -> list[Any]:
        """The data points of `metric` now (cumulative since the session started)."""
        data = self.reader.get_metrics_data()
        found = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for item in scope.metrics:
                    if item.name == metric:
                        found.extend(item.data.data_points)
        return found

    def total(self, metric: str, **attributes: Any) -> float:
        """The sum (counters) or count (histograms) of `metric` over points whose attributes include `attributes`."""
        total = 0.0
        for point in self.points(metric):
            if all(point.attributes.get(k) == v for k, v in attributes.items()):
                total += getattr(point, "value", None) if hasattr(point, "value") else point.count
        return total


@pytest.fixture(scope="session")
def otel_session() -> Telemetry:
    """Global tracer and meter providers exporting to memory (set once: OpenTelemetry allows no second set)."""
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(tracer_provider)
    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    return Telemetry(exporter, reader)


@pytest.fixture
def otel(otel_session: Telemetry) -> Iterator[Telemetry]:
    """The session's telemetry with no finished spans yet (metrics stay cumulative: compare before and after)."""
    otel_session.spans.clear()
    yield otel_session
    otel_session.spans.clear()
