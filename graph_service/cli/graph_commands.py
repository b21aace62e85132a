"""Commands that read the graph: ``find`` and ``partners``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graph_service.cli.app import CountryOption, JsonOption, app, console, emit_json, state, user_errors
from graph_service.model import NodeKind
from graph_service.services import cities, graph


@app.command()
def find(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="a name in any language, or pinyin")],
    country: CountryOption = None,
    kind: Annotated[NodeKind | None, typer.Option("--kind", help="only nodes of this kind")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: JsonOption = False,
) -> None:
    """Resolve names to ids: best matches first (exact, then prefix, then larger population)."""
    with state(ctx).store() as store, user_errors():
        nodes = graph.search(store, name, kind=kind, country=country, limit=limit)
    if as_json:
        emit_json([{"id": n.id, "kind": n.kind.value, "name": n.name, "name_zh": n.name_zh, "country": n.country,
                    "admin1": n.admin1, "population": n.population} for n in nodes])
        return
    if not nodes:
        console.print(f"No node matches {name!r}.")
        raise typer.Exit(1)
    table = Table("id", "kind", "name", "中文", "country", "admin1", "population")
    for n in nodes:
        table.add_row(n.id, n.kind.value, n.name, n.name_zh or "", n.country or "", n.admin1 or "",
                      f"{n.population:,}" if n.population else "")
    console.print(table)


@app.command()
def partners(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="city id or name")],
    country: CountryOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a city's partners by tier (sister, friendly) and status."""
    with state(ctx).store() as store, user_errors():
        node = cities.resolve_city(store, city, country)
        rows = cities.partners_of(store, node.id)
    if as_json:
        emit_json({
            "city": {"id": node.id, "name": node.name, "name_zh": node.name_zh, "country": node.country},
            "partners": [
                {"id": r.partner.id, "name": r.partner.name, "name_zh": r.partner.name_zh,
                 "country": r.partner.country, "tier": r.tier, "status": r.status, "since": r.since,
                 "source": r.edge.source, "demo": r.edge.demo}
                for r in rows
            ],
        })
        return
    title = f"Partners of {node.name}" + (f" {node.name_zh}" if node.name_zh else "") + f" ({node.id})"
    table = Table("tier", "status", "since", "partner", "中文", "country", "id", title=title)
    for r in rows:
        table.add_row(r.tier, r.status or "", r.since or "", r.partner.name, r.partner.name_zh or "",
                      r.partner.country or "", r.partner.id)
    console.print(table if rows else f"{node.name} has no partners in the store.")
