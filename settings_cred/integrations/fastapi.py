"""FastAPI / Starlette: a lifespan that builds and closes the async credential, a dependency, a health route.

.. code-block:: python

    app = FastAPI(lifespan=credential_lifespan())
    app.include_router(readiness_router(scopes=["https://vault.azure.net/.default"]))

    @app.get("/secret")
    async def read(credential: Credential): ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from ..aio._configured import AsyncConfiguredCredential
from ..health import check_readiness_async

__all__ = ["STATE_KEY", "Credential", "credential_lifespan", "get_credential", "readiness_router"]

STATE_KEY = "settings_cred_credential"
Factory = Callable[[], AsyncConfiguredCredential | Awaitable[AsyncConfiguredCredential]]
"""Makes the app's credential: ``settings_cred.aio.credential_from_env`` (the default) or any callable."""


def credential_lifespan(
    factory: Factory | None = None,
) -> Callable[[ASGIApp], Any]:
    """A lifespan that builds the credential at start-up (failing fast on bad settings) and closes it.

    Without ``factory``, the credential is whatever kind the configuration describes
    (``settings_cred.aio.credential_from_env()``).
    """

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        credential = await _build(factory)
        try:
            yield {STATE_KEY: credential}
        finally:
            await credential.close()

    return lifespan


async def _build(factory: Factory | None) -> AsyncConfiguredCredential:
    if factory is None:
        from .._settings import async_credential_from_env  # noqa: PLC0415 - the settings layer loads on first use

        factory = async_credential_from_env
    made = factory()
    return await made if isinstance(made, Awaitable) else made


def get_credential(request: Request) -> AsyncConfiguredCredential:
    """Dependency: the application's credential, as built by :func:`credential_lifespan`."""
    credential: AsyncConfiguredCredential = getattr(request.state, STATE_KEY)
    return credential


Credential = Annotated[AsyncConfiguredCredential, Depends(get_credential)]
"""Annotate a route parameter with this to receive the application's credential."""


def readiness_router(*, scopes: Sequence[str] = (), path: str = "/healthz/azure") -> APIRouter:
    """A router with one GET route: 200 and the readiness report when a token can be served, else 503."""
    router = APIRouter()

    @router.get(path, include_in_schema=False)
    async def readiness(request: Request) -> JSONResponse:
        report = await check_readiness_async(get_credential(request), *scopes)
        return JSONResponse(report.as_dict(), status_code=report.http_status)

    return router
