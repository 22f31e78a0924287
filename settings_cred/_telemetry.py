"""OpenTelemetry metrics and spans from a meter and a tracer named ``settings_cred``.

As OpenTelemetry's own library instrumentations do, this is on whenever the application uses
OpenTelemetry: once the API has been imported (an application that configures a provider has imported
it), the first sign-in creates the instruments; the providers the application set, now or later,
receive what they record. settings_cred never imports OpenTelemetry itself, and a warm ``get_token``
only increments an integer (cache hits are read by an observable counter, never recorded per call).

Attributes carry no personal data: the credential kind, client id, tenant, scopes, grant and error
code, and the username only masked.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, Final, Protocol

from . import audit
from ._version import __version__

if TYPE_CHECKING:
    from opentelemetry.metrics import CallbackOptions, Observation

NAME: Final = "settings_cred"


class Observed(Protocol):
    """What the observable instruments read from each live token core."""

    @property
    def identity(self) -> Mapping[str, str]: ...  # pragma: no cover

    @property
    def hits(self) -> int: ...  # pragma: no cover

    def refresh_deadlines(self) -> Iterable[tuple[Mapping[str, Any], float]]: ...  # pragma: no cover


_cores: weakref.WeakSet[Any] = weakref.WeakSet()
_lock = threading.Lock()
_instruments: _Instruments | None = None


def track(core: Observed) -> None:
    """Let the observable instruments (cache hits, seconds until refresh) see `core` while it lives."""
    with _lock:
        _cores.add(core)


def span(name: str, fields: Mapping[str, Any]) -> AbstractContextManager[Any]:
    """A span for a sign-in, refresh or Key Vault read: a child of the caller's span; free without OpenTelemetry."""
    instruments = _active()
    if instruments is None:
        return nullcontext()
    return instruments.span(name, fields)


def store_operation(operation: str, result: str) -> None:
    """Count one store (L2) outcome: reads ``hit``/``miss``, writes ``stored``/``refused``, leases ``held``/``busy``,
    and ``unavailable`` for any of them during an outage."""
    instruments = _instruments
    if instruments is not None:
        instruments.store.add(1, {"settings_cred.store.operation": operation, "settings_cred.store.result": result})


def _active() -> _Instruments | None:
    """The instruments, created the first time OpenTelemetry's API is found loaded."""
    global _instruments  # noqa: PLW0603 - one set of instruments per process
    if _instruments is not None:
        return _instruments
    if "opentelemetry.trace" not in sys.modules or "opentelemetry.metrics" not in sys.modules:
        return None
    with _lock:
        if _instruments is None:
            _instruments = _Instruments()
            audit.observe(_instruments.record)
    return _instruments


_OPERATIONS: Final = {
    audit.TOKEN_ACQUIRED: "sign_in",
    audit.TOKEN_REFRESHED: "refresh",
    audit.TOKEN_FAILED: "sign_in",
    audit.TOKEN_REFRESH_FAILED: "refresh",
}
_ATTRIBUTES: Final = {
    "vault": "settings_cred.keyvault.vault",
    "secret": "settings_cred.keyvault.secret",
    "references": "settings_cred.keyvault.references",
    "kind": "settings_cred.kind",
    "client_id": "settings_cred.client_id",
    "tenant_id": "settings_cred.tenant_id",
    "grant": "settings_cred.grant",
    "error_code": "settings_cred.error_code",
    "error": "error.type",
}


def attributes(fields: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """OpenTelemetry attributes from audit fields: an allow-list, never a secret or an unmasked name."""
    found = {_ATTRIBUTES[name]: value for name, value in fields.items() if name in _ATTRIBUTES and value is not None}
    if fields.get("scopes"):
        found["settings_cred.scopes"] = list(fields["scopes"])
    if fields.get("username"):
        found["settings_cred.username"] = fields["username"]  # already masked by the core
    return {**found, **{f"settings_cred.{k}": v for k, v in extra.items() if v is not None}}


class _Instruments:
    """The meter's instruments and the tracer, bound to whatever providers the application sets."""

    def __init__(self) -> None:
        from opentelemetry import metrics, trace  # noqa: PLC0415 - the application loaded them already

        self._trace = trace
        self.tracer = trace.get_tracer(NAME, __version__)
        meter = metrics.get_meter(NAME, __version__)
        self.sign_ins = meter.create_counter(
            "settings_cred.sign_ins", unit="{sign_in}", description="Tokens obtained by callers that had none."
        )
        self.refreshes = meter.create_counter(
            "settings_cred.refreshes", unit="{refresh}", description="Background refreshes of tokens in their window."
        )
        self.failures = meter.create_counter(
            "settings_cred.failures", unit="{failure}", description="Failed sign-ins and refreshes, by AADSTS code."
        )
        self.lockout_refusals = meter.create_counter(
            "settings_cred.lockout_refusals",
            unit="{refusal}",
            description="Rejected passwords or client credentials the lockout guard did not send again.",
        )
        self.duration = meter.create_histogram(
            "settings_cred.duration", unit="s", description="Duration of sign-ins and refreshes."
        )
        self.store = meter.create_counter(
            "settings_cred.store.operations", unit="{operation}", description="Shared store reads, writes and leases."
        )
        meter.create_observable_counter(
            "settings_cred.cache.hits",
            callbacks=[self._hits],
            unit="{hit}",
            description="get_token calls answered from the in-memory front cache.",
        )
        meter.create_observable_gauge(
            "settings_cred.token.refresh_in",
            callbacks=[self._refresh_in],
            unit="s",
            description="Seconds until each cached token must be refreshed.",
        )

    @contextmanager
    def span(self, name: str, fields: Mapping[str, Any]) -> Iterator[Any]:
        """A span recording the exception class (never its message) when the block fails."""
        with self.tracer.start_as_current_span(
            name, attributes=attributes(fields), record_exception=False, set_status_on_exception=False
        ) as current:
            try:
                yield current
            except Exception as exc:
                current.set_attribute("error.type", type(exc).__name__)
                code = getattr(exc, "error_code", None)
                if code is not None:
                    current.set_attribute("settings_cred.error_code", code)
                current.set_status(self._trace.Status(self._trace.StatusCode.ERROR, type(exc).__name__))
                raise

    def record(self, event: str, fields: Mapping[str, Any]) -> None:
        """Turn an audit event into measurements (called by :func:`audit.emit`)."""
        operation = _OPERATIONS.get(event)
        if operation is None:
            return
        common = attributes(fields, operation=operation)
        common.pop("settings_cred.scopes", None)  # keep the metric cardinality down
        common.pop("settings_cred.username", None)
        if fields.get("duration_ms") is not None:
            self.duration.record(float(fields["duration_ms"]) / 1000, common)
        if event == audit.TOKEN_ACQUIRED:
            self.sign_ins.add(1, common)
        elif event == audit.TOKEN_REFRESHED:
            self.refreshes.add(1, common)
        else:
            self.failures.add(1, common)
            if fields.get("lockout_guard"):
                self.lockout_refusals.add(1, common)

    def _hits(self, options: CallbackOptions) -> Iterable[Observation]:
        from opentelemetry.metrics import Observation  # noqa: PLC0415

        for core in list(_cores):
            yield Observation(core.hits, attributes(core.identity))

    def _refresh_in(self, options: CallbackOptions) -> Iterable[Observation]:
        from opentelemetry.metrics import Observation  # noqa: PLC0415

        for core in list(_cores):
            for fields, seconds in core.refresh_deadlines():
                yield Observation(seconds, attributes({**core.identity, **fields}))
