"""The azure-core pipeline every request to Entra ID goes through.

We assemble it ourselves: retry with backoff (POST included, ``Retry-After`` honoured), proxy, user
agent, and a logging policy that records method, host, path and status only. No policy here ever
logs a body, so ``logging_enable=True`` cannot leak a password or a token.
"""

from __future__ import annotations

import logging
import re
import time
import warnings
from typing import TYPE_CHECKING, Any

from azure.core.pipeline import Pipeline, PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import (
    HeadersPolicy,
    NetworkTraceLoggingPolicy,
    ProxyPolicy,
    RetryMode,
    RetryPolicy,
    SansIOHTTPPolicy,
    UserAgentPolicy,
)
from azure.core.rest import HttpRequest, HttpResponse

from .._masking import mask_username
from ._options import (
    DEFAULT_CONNECTION_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_RETRY_BACKOFF_FACTOR,
    DEFAULT_RETRY_TOTAL,
    USER_AGENT,
    PipelineOptions,
)

if TYPE_CHECKING:
    from ._options import Policy

__all__ = ["PipelineOptions", "build_pipeline", "redact_url", "request_options"]

_LOGGER = logging.getLogger("settings_cred.http")
_USER_REALM = re.compile(r"(/userrealm/)([^/?]+)", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without its query, with a user-realm username masked."""
    base = url.split("?", 1)[0]
    return _USER_REALM.sub(lambda m: m.group(1) + mask_username(m.group(2)), base)


class RedactingLoggingPolicy(SansIOHTTPPolicy[HttpRequest, HttpResponse]):
    """Logs method, redacted URL, status and duration at DEBUG when logging is enabled; never a body."""

    _START = "settings_cred.start"

    def __init__(self, *, logging_enable: bool = False) -> None:
        self._enabled = logging_enable

    def _active(self, request: PipelineRequest[HttpRequest]) -> bool:
        enabled = request.context.options.pop("logging_enable", self._enabled)
        request.context["settings_cred.log"] = enabled
        return bool(enabled) and _LOGGER.isEnabledFor(logging.DEBUG)

    def on_request(self, request: PipelineRequest[HttpRequest]) -> None:
        """Remember when the request started."""
        if self._active(request):
            request.context[self._START] = time.perf_counter()

    def on_response(
        self, request: PipelineRequest[HttpRequest], response: PipelineResponse[HttpRequest, HttpResponse]
    ) -> None:
        """Log one line for the response."""
        started = request.context.get(self._START)
        if started is None:
            return
        _LOGGER.debug(
            "%s %s -> %s (%.1f ms)",
            request.http_request.method,
            redact_url(request.http_request.url),
            response.http_response.status_code,
            (time.perf_counter() - started) * 1000,
        )

    def on_exception(self, request: PipelineRequest[HttpRequest]) -> None:
        """Log that the request failed, naming no detail that could carry data."""
        if request.context.get(self._START) is not None:
            _LOGGER.debug("%s %s failed", request.http_request.method, redact_url(request.http_request.url))


def _without_body_logging(policies: list[Policy]) -> list[Policy]:
    kept = [p for p in policies if not isinstance(p, NetworkTraceLoggingPolicy)]
    if len(kept) != len(policies):
        warnings.warn(
            "settings_cred removed NetworkTraceLoggingPolicy from the given policies: it logs request "
            "bodies, which for this flow contain the password.",
            stacklevel=4,
        )
    return kept


def build_pipeline(options: PipelineOptions) -> Pipeline[HttpRequest, HttpResponse]:
    """A pipeline for msal's requests, from azure-identity-compatible options."""
    given = options.get("policies")
    if given is not None:
        policies: list[Any] = _without_body_logging(list(given))
    else:
        policies = [
            HeadersPolicy(base_headers=options.get("headers")),
            UserAgentPolicy(
                base_user_agent=USER_AGENT,
                user_agent=options.get("user_agent"),
                user_agent_overwrite=options.get("user_agent_overwrite", False),
            ),
            ProxyPolicy(proxies=options.get("proxies")),
            RetryPolicy(
                retry_total=options.get("retry_total", DEFAULT_RETRY_TOTAL),
                retry_connect=options.get("retry_connect", DEFAULT_RETRY_TOTAL),
                retry_read=options.get("retry_read", DEFAULT_RETRY_TOTAL),
                retry_status=options.get("retry_status", DEFAULT_RETRY_TOTAL),
                retry_backoff_factor=options.get("retry_backoff_factor", DEFAULT_RETRY_BACKOFF_FACTOR),
                retry_backoff_max=options.get("retry_backoff_max", 30),
                retry_mode=options.get("retry_mode", RetryMode.Exponential),
                timeout=options.get("timeout", 120),
            ),
            RedactingLoggingPolicy(logging_enable=options.get("logging_enable", False)),
        ]
    from azure.core.pipeline.transport import RequestsTransport  # noqa: PLC0415 - requests loads when used

    transport = options.get("transport") or RequestsTransport(
        connection_verify=options.get("connection_verify", True),
        connection_cert=options.get("connection_cert"),
    )
    return Pipeline(transport=transport, policies=policies)


def request_options(options: PipelineOptions) -> dict[str, Any]:
    """Per-request keyword arguments for ``Pipeline.run`` (timeouts, verification)."""
    run: dict[str, Any] = {
        "connection_timeout": options.get("connection_timeout", DEFAULT_CONNECTION_TIMEOUT),
        "read_timeout": options.get("read_timeout", DEFAULT_READ_TIMEOUT),
    }
    if "connection_verify" in options:
        run["connection_verify"] = options["connection_verify"]
    return run
