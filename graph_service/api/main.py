"""The ASGI app for ``uvicorn graph_service.api.main:app`` (settings from the environment)."""

from graph_service.api.app import create_app

app = create_app()
