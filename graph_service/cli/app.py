"""The Typer app, the global ``--store`` option and the helpers every command shares."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Column

from graph_service.config import Settings
from graph_service.errors import NotFound, PartnerGraphError
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


LOAD_HINT = ("load data with `partner-graph demo` (the demo scenario and world geography), `partner-graph seed`, "
             "`partner-graph geo` or `partner-graph import pairs FILE`, or name another store with --store or "
             "PARTNER_GRAPH_STORE")
_open: ContextVar[tuple[str, Store] | None] = ContextVar("open_store", default=None)
"""The store the running command opened, and its URL: messages about finding nothing name it."""


def store_label(url: str) -> str:
    """A store URL as a user should read it: a SQLite file's absolute path, a server URL without
    its user name or password.

    >>> store_label("neo4j://neo4j:secret@db.example:7687")
    'neo4j://db.example:7687'
    """
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return url if path == ":memory:" else f"sqlite:///{Path(path).resolve()}"
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def store_note() -> str:
    """Which store the running command used and, when it is empty, how to load data; or ''."""
    opened = _open.get()
    if opened is None:
        return ""
    url, store = opened
    note = f"(store: {store_label(url)})"
    try:
        empty = not any(store.counts()["nodes"].values())
    except PartnerGraphError:
        return note
    return f"{note}\nThis store is empty: {LOAD_HINT}." if empty else note


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
        token = _open.set((self.settings.store, store))
        try:
            yield store
        finally:
            _open.reset(token)
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


def id_column(ids: Iterable[str], header: str = "id") -> Column:
    """A table column for ids that is never cut or wrapped: as wide as the longest id, so other
    commands can take an id straight from the output. The other columns wrap instead."""
    width = max((len(i) for i in ids), default=len(header))
    return Column(header, no_wrap=True, min_width=max(width, len(header)), overflow="ignore")


def nothing_found(message: str) -> NoReturn:
    """Say that nothing was found, in which store and, when it is empty, how to load data; exit 1."""
    console.print(f"{message} {store_note()}".rstrip(), highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a clear error on stderr and exit non-zero."""
    err_console.print("[bold red]error:[/] ", end="", highlight=False, markup=True)
    err_console.print(message, highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    """Print JSON to stdout, UTF-8, with Chinese names as they are."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into a clear message and exit code 1 (never a traceback)."""
    try:
        yield
    except NotFound as exc:
        fail(f"{_describe(exc)} {store_note()}".rstrip())
    except (PartnerGraphError, ValidationError, OSError) as exc:
        fail(_describe(exc))


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror or exc}: {exc.filename}"
    return str(exc)
