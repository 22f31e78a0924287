"""The azure-core pipeline options the credentials accept: names and defaults, without loading azure-core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, TypedDict

from .._version import __version__

if TYPE_CHECKING:
    from azure.core.pipeline.policies import HTTPPolicy, RetryMode, SansIOHTTPPolicy
    from azure.core.pipeline.transport import HttpTransport
    from azure.core.rest import HttpRequest, HttpResponse

    Policy = HTTPPolicy[HttpRequest, HttpResponse] | SansIOHTTPPolicy[HttpRequest, HttpResponse]

USER_AGENT: Final = f"settings-cred/{__version__}"
DEFAULT_CONNECTION_TIMEOUT: Final = 10.0
DEFAULT_READ_TIMEOUT: Final = 30.0
DEFAULT_RETRY_TOTAL: Final = 3
DEFAULT_RETRY_BACKOFF_FACTOR: Final = 0.5


class PipelineOptions(TypedDict, total=False):
    """azure-core pipeline options accepted by the credentials (same names as azure-identity's)."""

    transport: HttpTransport[HttpRequest, HttpResponse]
    policies: list[Policy]
    retry_total: int
    retry_connect: int
    retry_read: int
    retry_status: int
    retry_backoff_factor: float
    retry_backoff_max: float
    retry_mode: RetryMode
    timeout: int
    proxies: dict[str, str]
    connection_verify: bool | str
    connection_cert: str | tuple[str, str]
    connection_timeout: float
    read_timeout: float
    user_agent: str
    user_agent_overwrite: bool
    logging_enable: bool
    headers: dict[str, str]


PIPELINE_OPTION_NAMES: Final = frozenset(PipelineOptions.__annotations__)
"""The keywords of :class:`PipelineOptions`."""


def split_pipeline_options(kwargs: dict[str, Any]) -> tuple[PipelineOptions, dict[str, Any]]:
    """Separate pipeline options from other keyword arguments."""
    options = {k: v for k, v in kwargs.items() if k in PIPELINE_OPTION_NAMES}
    rest = {k: v for k, v in kwargs.items() if k not in PIPELINE_OPTION_NAMES}
    return PipelineOptions(**options), rest  # type: ignore[typeddict-item]
