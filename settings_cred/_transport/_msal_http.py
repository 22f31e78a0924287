"""msal's ``http_client`` interface, served by our azure-core pipeline."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from azure.core.pipeline import Pipeline
from azure.core.rest import HttpRequest, HttpResponse

from ..errors import EntraAuthenticationError, EntraUnavailableError, error_from_result
from ._egress import EgressGuard
from ._pipeline import PipelineOptions, build_pipeline, request_options

if TYPE_CHECKING:
    from .._store._metadata import SharedMetadata

_RETRY_POST: dict[str, Any] = {"retry_on_methods": frozenset({"POST"})}


class Failure:
    """The status and parsed error body of the last failed response on a thread."""

    __slots__ = ("body", "status_code")

    def __init__(self, status_code: int, body: Mapping[str, Any] | None) -> None:
        self.status_code = status_code
        self.body = body

    def to_error(self) -> EntraAuthenticationError:
        """The exception this answer stands for."""
        if self.body and ("error" in self.body or "error_codes" in self.body):
            return error_from_result(self.body, self.status_code)
        return EntraUnavailableError(
            description=f"Microsoft Entra ID answered HTTP {self.status_code}.", status_code=self.status_code
        )


class MsalResponse:
    """The response shape msal expects: ``status_code``, ``text``, ``headers``, ``raise_for_status``."""

    __slots__ = ("_failure", "headers", "status_code", "text")

    def __init__(self, status_code: int, headers: Mapping[str, str], text: str, failure: Failure | None = None) -> None:
        self.status_code = status_code
        self.headers = headers
        self.text = text
        self._failure = failure

    def raise_for_status(self) -> None:
        """Raise the mapped error for a failed response (msal calls this for 5xx answers)."""
        if self._failure is not None:
            raise self._failure.to_error()


class MsalHttpClient:
    """Adapter that lets msal send its requests through an azure-core ``Pipeline``."""

    def __init__(self, options: PipelineOptions, authority: str, metadata: SharedMetadata | None = None) -> None:
        self._pipeline: Pipeline[HttpRequest, HttpResponse] = build_pipeline(options)
        self._run_options = request_options(options)
        self._local = threading.local()
        self._metadata = metadata
        self._egress = EgressGuard(authority)

    def post(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | str | None = None,
        headers: Mapping[str, str] | None = None,
        **_: Any,
    ) -> MsalResponse:
        """Send a POST (form or text body) and return msal's response shape; secrets only to the authority."""
        request_headers = dict(headers or {})
        if isinstance(data, Mapping):
            self._egress.check(url, data)
            request = HttpRequest("POST", url, params=dict(params or {}), headers=request_headers, data=dict(data))
        else:
            request = HttpRequest("POST", url, params=dict(params or {}), headers=request_headers, content=data or None)
        return self._send(request, _RETRY_POST)

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        **_: Any,
    ) -> MsalResponse:
        """Send a GET and return msal's response shape; authority metadata may come from the persisted cache."""
        request = HttpRequest("GET", url, params=dict(params or {}), headers=dict(headers or {}))
        body = self._metadata.get(request.url) if self._metadata is not None else None
        if body is not None:
            self._egress.learn(request.url, body)
            return MsalResponse(200, {"content-type": "application/json"}, body)
        response = self._send(request, {})
        if response.status_code == 200:
            self._egress.learn(request.url, response.text)
            if self._metadata is not None:
                self._metadata.put(request.url, response.text)
        return response

    def forget_metadata(self) -> None:
        """Drop persisted authority metadata, so the next sign-in discovers it again."""
        if self._metadata is not None:
            self._metadata.forget()

    def _send(self, request: HttpRequest, extra: Mapping[str, Any]) -> MsalResponse:
        self._local.failure = None
        response = self._pipeline.run(request, stream=False, **self._run_options, **extra).http_response
        failure = None
        text = response.text()
        if response.status_code >= 400:
            failure = Failure(response.status_code, _json_object(text))
            self._local.failure = failure
        return MsalResponse(response.status_code, response.headers, text, failure)

    def clear_failure(self) -> None:
        """Forget this thread's last failure (before a new msal call)."""
        self._local.failure = None

    def last_failure(self) -> Failure | None:
        """The last failed answer this thread received, if its latest request failed."""
        failure: Failure | None = getattr(self._local, "failure", None)
        return failure

    def close(self) -> None:
        """Close the pipeline's transport (its connection pool)."""
        self._pipeline.__exit__()

    def __getstate__(self) -> None:
        raise TypeError("a credential's HTTP client cannot be pickled")


def _json_object(text: str) -> Mapping[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
