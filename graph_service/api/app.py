"""The FastAPI app factory: the JSON API (``graph_service.api``) and the planner UI
(``graph_service.web``) in one app. The store opens in the lifespan: one store (and one Neo4j driver)
per process.

>>> app = create_app(Settings(store="sqlite:///:memory:"))
>>> "/api/v1/nodes" in app.openapi()["paths"]
True
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from graph_service import __version__, web
from graph_service.api.deps import api_lang
from graph_service.api.docs import install_docs
from graph_service.api.errors import install_error_handlers
from graph_service.api.limits import BodyLimitMiddleware
from graph_service.api.routes import cities, edges, io, keys, meta, nodes, records
from graph_service.api.schemas import Health
from graph_service.api.security_headers import SecurityHeadersMiddleware
from graph_service.api.strict import reject_unknown_query
from graph_service.config import Settings
from graph_service.memory import tune_allocator
from graph_service.services.exports import ExportCache, default_folder
from graph_service.services.keys import KeyRing
from graph_service.store import open_store

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every ``/api/v1`` route, one router per module of ``api/routes``; each refuses query parameters
    it does not declare (``graph_service.api.strict``) and answers in the caller's language."""
    router = APIRouter(prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query), Depends(api_lang)])
    for module in (nodes, edges, cities, records, io, meta, keys):
        router.include_router(module.router)
    return router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or Settings()
    tune_allocator()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings.store, settings)
        app.state.keyring = KeyRing(app.state.store)
        folder = settings.export_cache_dir or default_folder(settings.store)
        app.state.exports = ExportCache(folder, slots=settings.max_concurrent_exports)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="partner-graph",
        version=__version__,
        description="A city's international partners: CRUD, gaps by region and explained suggestions.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_upload_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app, render_page=web.render_error_page)
    app.include_router(api_router())
    app.add_api_route("/health", meta.health, methods=["GET"], tags=["meta"], response_model=Health,
                      dependencies=[Depends(reject_unknown_query)])
    install_docs(app)
    app.include_router(web.router)
    return app
