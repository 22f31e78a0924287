"""Audit events: stable dotted names, fixed fields, emitted through structlog.

Events go to structlog's logger ``settings_cred.audit`` when the application configured structlog,
and otherwise to the stdlib logger of the same name as one JSON line each. settings_cred never
calls ``structlog.configure()`` itself; :func:`configure_json_logging` is an opt-in helper.

Fields are an allow-list per event (:data:`EVENT_FIELDS`): a username is always masked and no field
can carry a password or a token.
"""

from __future__ import annotations

import datetime
import json
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final, TextIO

__all__ = [
    "CACHE_METADATA_HIT",
    "CACHE_UNENCRYPTED",
    "CACHE_UNREADABLE",
    "CREDENTIAL_CREATED",
    "EVENT_DESCRIPTIONS",
    "EVENT_FIELDS",
    "EVENT_LEVELS",
    "LOCKOUT_ENGAGED",
    "LOCKOUT_RELEASED",
    "LOGGER_NAME",
    "SECRET_ROTATED",
    "SETTINGS_LOADED",
    "SETTINGS_TYPO_SUSPECTED",
    "SETTINGS_VALUE_RESOLVED",
    "STORE_RECOVERED",
    "STORE_UNAVAILABLE",
    "TENANT_BLOCKED",
    "TOKEN_ACQUIRED",
    "TOKEN_CACHE_HIT",
    "TOKEN_FAILED",
    "TOKEN_REFRESHED",
    "TOKEN_REFRESH_FAILED",
    "TOKEN_REFRESH_TOKEN_REJECTED",
    "capture_audit",
    "configure_json_logging",
    "emit",
    "logging_changed",
    "observe",
]

LOGGER_NAME: Final = "settings_cred.audit"

CREDENTIAL_CREATED: Final = "credential.created"
TOKEN_CACHE_HIT: Final = "token.cache_hit"
TOKEN_ACQUIRED: Final = "token.acquired"
TOKEN_REFRESHED: Final = "token.refreshed"
TOKEN_REFRESH_FAILED: Final = "token.refresh_failed"
TOKEN_REFRESH_TOKEN_REJECTED: Final = "token.refresh_token_rejected"
TOKEN_FAILED: Final = "token.failed"
TENANT_BLOCKED: Final = "tenant.blocked"
LOCKOUT_ENGAGED: Final = "lockout.engaged"
LOCKOUT_RELEASED: Final = "lockout.released"
SETTINGS_LOADED: Final = "settings.loaded"
SETTINGS_VALUE_RESOLVED: Final = "settings.value_resolved"
SETTINGS_TYPO_SUSPECTED: Final = "settings.typo_suspected"
SECRET_ROTATED: Final = "secret.rotated"
CACHE_UNREADABLE: Final = "cache.unreadable"
CACHE_UNENCRYPTED: Final = "cache.unencrypted"
CACHE_METADATA_HIT: Final = "cache.metadata_hit"
STORE_UNAVAILABLE: Final = "store.unavailable"
STORE_RECOVERED: Final = "store.recovered"

_IDENTITY = frozenset({"kind", "client_id", "tenant_id", "username", "authority"})
_REQUEST = _IDENTITY | {"scopes", "cae"}
EVENT_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    CREDENTIAL_CREATED: _IDENTITY | {"persistent_cache", "instance_discovery"},
    TOKEN_CACHE_HIT: _REQUEST | {"cache_hit", "duration_ms", "expires_in_s"},
    TOKEN_ACQUIRED: _REQUEST | {"cache_hit", "grant", "duration_ms", "expires_in_s", "correlation_id"},
    TOKEN_REFRESHED: _REQUEST | {"cache_hit", "grant", "duration_ms", "expires_in_s", "correlation_id"},
    TOKEN_REFRESH_FAILED: _REQUEST
    | {"cache_hit", "duration_ms", "error", "error_code", "correlation_id", "expires_in_s", "retry_in_s"},
    TOKEN_REFRESH_TOKEN_REJECTED: _REQUEST | {"error_code", "correlation_id", "fallback"},
    TOKEN_FAILED: _REQUEST | {"cache_hit", "duration_ms", "error", "error_code", "correlation_id", "lockout_guard"},
    TENANT_BLOCKED: _IDENTITY | {"requested_tenant_id", "scopes"},
    LOCKOUT_ENGAGED: _IDENTITY | {"error_code", "correlation_id"},
    LOCKOUT_RELEASED: _IDENTITY,
    SETTINGS_LOADED: frozenset({"env_prefix", "sources", "field_count", "warning_count"}),
    SETTINGS_VALUE_RESOLVED: frozenset({"env_prefix", "field", "source"}),
    SETTINGS_TYPO_SUSPECTED: frozenset({"env_prefix", "variable", "suggestion"}),
    SECRET_ROTATED: frozenset({"env_prefix", "field", "source"}),
    CACHE_UNREADABLE: frozenset({"location", "reason"}),
    CACHE_UNENCRYPTED: frozenset({"location"}),
    CACHE_METADATA_HIT: frozenset({"endpoint"}),
    STORE_UNAVAILABLE: frozenset({"location", "reason"}),
    STORE_RECOVERED: frozenset({"location", "outage_s", "written_back"}),
}
"""Each event's allowed fields; emitting any other field is a programming error."""

EVENT_LEVELS: Final[Mapping[str, int]] = {
    CREDENTIAL_CREATED: logging.INFO,
    TOKEN_CACHE_HIT: logging.DEBUG,
    TOKEN_ACQUIRED: logging.INFO,
    TOKEN_REFRESHED: logging.INFO,
    TOKEN_REFRESH_FAILED: logging.WARNING,
    TOKEN_REFRESH_TOKEN_REJECTED: logging.WARNING,
    TOKEN_FAILED: logging.ERROR,
    TENANT_BLOCKED: logging.WARNING,
    LOCKOUT_ENGAGED: logging.ERROR,
    LOCKOUT_RELEASED: logging.INFO,
    SETTINGS_LOADED: logging.INFO,
    SETTINGS_VALUE_RESOLVED: logging.DEBUG,
    SETTINGS_TYPO_SUSPECTED: logging.WARNING,
    SECRET_ROTATED: logging.INFO,
    CACHE_UNREADABLE: logging.WARNING,
    CACHE_UNENCRYPTED: logging.WARNING,
    CACHE_METADATA_HIT: logging.DEBUG,
    STORE_UNAVAILABLE: logging.WARNING,
    STORE_RECOVERED: logging.INFO,
}
"""Each event's level."""

EVENT_DESCRIPTIONS: Final[Mapping[str, str]] = {
    CREDENTIAL_CREATED: "A credential was constructed (validated configuration, before any request).",
    TOKEN_CACHE_HIT: "`get_token` was answered from the in-memory front cache.",
    TOKEN_ACQUIRED: "A caller that found no usable token got one: `grant` is `password`, `refresh_token`, "
    "`cache` (msal's cache) or `store` (another process of the deployment shared it).",
    TOKEN_REFRESHED: "A background refresh replaced a token in its refresh window (`grant` `store`: with a newer "
    "token another process of the deployment had obtained).",
    TOKEN_REFRESH_FAILED: "A background refresh failed; the still-valid token keeps being served and the refresh "
    "is retried after `retry_in_s`.",
    TOKEN_REFRESH_TOKEN_REJECTED: "Entra ID rejected the refresh token; the credential falls back to the password "
    "(`fallback`).",
    TOKEN_FAILED: "A caller got an exception instead of a token; `lockout_guard` is true when the guard refused "
    "to re-send a rejected password.",
    TENANT_BLOCKED: "A token was requested for a tenant outside `additionally_allowed_tenants`.",
    LOCKOUT_ENGAGED: "Entra ID rejected the password (AADSTS50126) or reported the account locked (AADSTS50053); "
    "it will not be sent again.",
    LOCKOUT_RELEASED: "The password changed after a rejection; sign-ins resume.",
    SETTINGS_LOADED: "Settings were loaded and validated.",
    SETTINGS_VALUE_RESOLVED: "A setting got its value from a source (the source kind only, never the value).",
    SETTINGS_TYPO_SUSPECTED: "An environment variable with our prefix looks like a misspelt setting.",
    SECRET_ROTATED: "A secret source (file or Key Vault reference) now yields a different value.",
    CACHE_UNREADABLE: "An entry of the persistent cache or shared store failed authentication (another key, "
    "truncated, altered, or moved from another name); it reads as absent and is replaced on the next write.",
    CACHE_UNENCRYPTED: "The persistent cache is stored in plain text because allow_unencrypted_storage=True and no "
    "encryption is available.",
    CACHE_METADATA_HIT: "Authority metadata (instance discovery, OpenID configuration, user realm) came from the "
    "persisted metadata cache instead of the network.",
    STORE_UNAVAILABLE: "The shared store (cache directory or Redis) failed; once per outage. Tokens in memory keep "
    "being served and new sign-ins happen per process until it answers again (`reason` names the failure kind).",
    STORE_RECOVERED: "The shared store answers again after an outage of `outage_s` seconds; `written_back` entries "
    "kept during the outage were written to it.",
}
"""What each event means; docs/audit.md is generated from these tables."""

_LEVEL_NAMES: Final = {level: logging.getLevelName(level).lower() for level in set(EVENT_LEVELS.values())}
_stdlib_logger = logging.getLogger(LOGGER_NAME)
_captures: list[list[dict[str, Any]]] = []
_captures_lock = threading.Lock()
_observers: list[Callable[[str, Mapping[str, Any]], None]] = []
HIT_EVENTS_RECHECK_SECONDS: Final = 1.0
"""How often the warm path re-reads the logging configuration to decide whether cache hits are logged."""


def emit(event: str, **fields: Any) -> None:
    """Emit `event` with `fields` (checked against :data:`EVENT_FIELDS`) at the event's level."""
    allowed = EVENT_FIELDS[event]
    if not allowed.issuperset(fields):
        raise ValueError(f"audit event {event!r} does not allow fields {sorted(set(fields) - allowed)}")
    level = EVENT_LEVELS[event]
    if _captures:
        _record(event, level, fields)
    for observer in _observers:
        observer(event, fields)
    structlog = _configured_structlog()
    if structlog is not None:
        _structlog_logger(structlog).log(level, event, **fields)
    elif _stdlib_logger.isEnabledFor(level):
        _stdlib_logger.log(level, "%s", _json_line(event, level, fields))


def _configured_structlog() -> Any:
    """structlog, if the application imported and configured it (we never import it to find out)."""
    structlog = sys.modules.get("structlog")
    return structlog if structlog is not None and structlog.is_configured() else None


_structlog_proxy: Any = None


def _structlog_logger(structlog: Any) -> Any:
    """One module-level structlog logger, as structlog recommends (it binds lazily to the configuration)."""
    global _structlog_proxy  # noqa: PLW0603 - created on first use, the idiomatic module-level logger
    if _structlog_proxy is None:
        _structlog_proxy = structlog.get_logger(LOGGER_NAME)
    return _structlog_proxy


def _json_line(event: str, level: int, fields: Mapping[str, Any]) -> str:
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    line = {**fields, "event": event, "level": _LEVEL_NAMES[level], "timestamp": stamp}
    return json.dumps(line, sort_keys=True, default=str)


def _record(event: str, level: int, fields: Mapping[str, Any]) -> None:
    entry = {"event": event, "log_level": _LEVEL_NAMES[level], **fields}
    with _captures_lock:
        for sink in _captures:
            sink.append(dict(entry))


def is_enabled(event: str) -> bool:
    """Whether emitting `event` can reach any output (lets callers skip building its fields)."""
    if _captures:
        return True
    structlog = _configured_structlog()
    if structlog is not None:
        return _structlog_enabled_for(structlog, EVENT_LEVELS[event])
    return _stdlib_logger.isEnabledFor(EVENT_LEVELS[event])


def _structlog_enabled_for(structlog: Any, level: int) -> bool:
    """What structlog's configured wrapper would let through; True when it cannot say (it decides later)."""
    wrapper = structlog.get_config()["wrapper_class"]
    check = getattr(wrapper, "is_enabled_for", None)
    if check is not None and getattr(wrapper, "get_effective_level", None) is not None:
        try:
            return bool(check(None, level))  # filtering loggers: a plain level comparison
        except Exception:  # noqa: BLE001 - another wrapper's method: let structlog decide per call
            return True
    if issubclass(wrapper, structlog.stdlib.BoundLogger):
        return _stdlib_logger.isEnabledFor(level)
    return True


class _HitEvents:
    """Whether cache hits are logged: re-read from the logging configuration at most once a second.

    The warm path asks on every hit, so the answer is a cached boolean; turning DEBUG on for
    ``settings_cred.audit`` takes effect within :data:`HIT_EVENTS_RECHECK_SECONDS`.
    """

    __slots__ = ("enabled", "until")

    def __init__(self) -> None:
        self.enabled = False
        self.until = 0.0

    def check(self, now: float) -> bool:
        if self.until - HIT_EVENTS_RECHECK_SECONDS <= now < self.until:  # also re-reads if the clock went back
            return self.enabled
        self.enabled = is_enabled(TOKEN_CACHE_HIT)
        self.until = now + HIT_EVENTS_RECHECK_SECONDS
        return self.enabled

    def forget(self) -> None:
        self.until = 0.0


_hit_events = _HitEvents()
hit_events_enabled = _hit_events.check
"""``hit_events_enabled(now)``: whether to emit ``token.cache_hit`` events (cheap, for the warm path)."""


def observe(observer: Callable[[str, Mapping[str, Any]], None]) -> None:
    """Call `observer(event, fields)` for every event from now on (OpenTelemetry metrics use this)."""
    with _captures_lock:
        _observers.append(observer)


def logging_changed() -> None:
    """Tell settings_cred that the logging configuration changed, so cache-hit events follow it at once."""
    global _structlog_proxy  # noqa: PLW0603 - bound again to the new configuration on next use
    _structlog_proxy = None
    _hit_events.forget()


@contextmanager
def capture_audit() -> Iterator[list[dict[str, Any]]]:
    """Collect every audit event emitted inside the block, whatever the logging configuration."""
    sink: list[dict[str, Any]] = []
    with _captures_lock:
        _captures.append(sink)
    logging_changed()
    try:
        yield sink
    finally:
        with _captures_lock:
            _captures[:] = [other for other in _captures if other is not sink]  # by identity: sinks may be equal
        logging_changed()


def configure_json_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Opt-in: configure structlog to write every event as one JSON line (ISO UTC timestamp, level)."""
    import structlog  # noqa: PLC0415 - loaded only by applications that ask for it

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(stream or sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging_changed()
