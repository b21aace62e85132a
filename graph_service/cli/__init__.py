"""The ``partner-graph`` command line (Typer). Each module here adds one group of commands."""

from graph_service.cli import (  # noqa: F401  (registers commands)
    analysis_commands,
    graph_commands,
    io_commands,
    key_commands,
    record_commands,
    serve_commands,
)
from graph_service.cli.app import app

__all__ = ["app"]
