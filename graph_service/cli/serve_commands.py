"""Commands that run the service: ``serve`` and ``demo``."""

from __future__ import annotations

from typing import Annotated

import typer

from graph_service.cli.app import app, console, state, user_errors
from graph_service.ingest.seed import load_seed

HostOption = Annotated[str | None, typer.Option("--host", help="interface to bind (default 127.0.0.1)")]
PortOption = Annotated[int | None, typer.Option("--port", min=1, max=65535, help="port (default 8000)")]


def _serve(ctx: typer.Context, host: str | None, port: int | None) -> None:
    import uvicorn

    from graph_service.api.app import create_app

    settings = state(ctx).settings
    host, port = host or settings.host, port or settings.port
    console.print(f"partner-graph on http://{host}:{port}/  (API docs at /docs, store {settings.store})")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def serve(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the HTTP API and the planner UI."""
    _serve(ctx, host, port)


@app.command()
def demo(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Load the demo scenario (idempotent), then serve the API and UI on 127.0.0.1:8000."""
    with state(ctx).store() as store, user_errors():
        reports = load_seed(store)
    created = sum(r.nodes_created + r.edges_created for r in reports.values())
    console.print(f"Demo scenario loaded ({created} records new).")
    _serve(ctx, host, port)
