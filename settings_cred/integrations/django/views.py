"""The readiness view: ``GET`` answers 200 with the report when a token can be served, else 503.

.. code-block:: text

    urlpatterns = [
        path("healthz/azure", readiness, {"alias": "default", "scopes": ["https://vault.azure.net/.default"]}),
        path("healthz/powerbi", readiness_view(alias="powerbi")),
    ]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

from ...health import check_readiness
from ._config import DEFAULT_ALIAS
from ._registry import credentials

__all__ = ["readiness", "readiness_view"]

View = Callable[[HttpRequest], HttpResponse]


def readiness(request: HttpRequest, alias: str = DEFAULT_ALIAS, scopes: Sequence[str] = ()) -> HttpResponse:
    """The readiness report of ``credentials[alias]`` for ``scopes`` (default: Azure Resource Manager)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    report = check_readiness(credentials[alias], *scopes)
    return JsonResponse(report.as_dict(), status=report.http_status)


def readiness_view(*, alias: str = DEFAULT_ALIAS, scopes: Sequence[str] = ()) -> View:
    """:func:`readiness` bound to one alias and its scopes, for ``path("healthz/azure", readiness_view(...))``."""
    bound = tuple(scopes)

    def view(request: HttpRequest) -> HttpResponse:
        return readiness(request, alias, bound)

    view.__name__ = view.__qualname__ = f"readiness_{alias}"
    return view
