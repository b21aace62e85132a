"""The FastAPI app factory. The store opens in the lifespan: one store (and one Neo4j driver) per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from graph_service import __version__
from graph_service.config import Settings
from graph_service.store import open_store


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(settings.store, settings)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(title="partner-graph", version=__version__, lifespan=lifespan)
    app.state.settings = settings

    @app.get("/health", tags=["meta"])
    @app.get("/api/v1/health", tags=["meta"])
    def health() -> dict[str, str | int]:
        """Liveness and the store's revision."""
        return {"status": "ok", "revision": app.state.store.revision()}

    return app
