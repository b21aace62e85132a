"""The Typer app, the global ``--store`` option and the helpers every command shares."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from graph_service.config import Settings
from graph_service.errors import PartnerGraphError
from graph_service.store import Store, open_store

app = typer.Typer(
    name="partner-graph",
    help="A knowledge graph of a city's international partners: gaps by region and explained suggestions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()

CountryOption = Annotated[str | None, typer.Option("--country", help="ISO-3166 alpha-2 code, e.g. CN")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of tables (progress bars stay quiet)")]
err_console = Console(stderr=True)


class State:
    """What the global options decided, shared with every command through ``ctx.obj``."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @contextmanager
    def store(self) -> Iterator[Store]:
        """Open the configured store for one command, and close it after."""
        try:
            store = open_store(self.settings.store, self.settings)
        except PartnerGraphError as exc:
            fail(str(exc))
        try:
            yield store
        finally:
            store.close()


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        str | None,
        typer.Option("--store", envvar="PARTNER_GRAPH_STORE", help="sqlite:///path.db or neo4j://host:7687"),
    ] = None,
) -> None:
    """partner-graph: where is our partner network thin, and which cities should we approach next?"""
    settings = Settings() if store is None else Settings(store=store)
    ctx.obj = State(settings)


def state(ctx: typer.Context) -> State:
    return ctx.obj


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a clear error on stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    """Print JSON to stdout, UTF-8, with Chinese names as they are."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into a clear message and exit code 1 (never a traceback)."""
    try:
        yield
    except (PartnerGraphError, ValidationError, OSError) as exc:
        fail(_describe(exc))


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return str(exc)
