"""Commands that read the graph: ``find`` and ``partners``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Column, Table

from graph_service.cli.app import (
    CountryOption,
    JsonOption,
    app,
    console,
    emit_json,
    id_column,
    nothing_found,
    state,
    user_errors,
)
from graph_service.model import NodeKind
from graph_service.policy import policy_for
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
        nodes = cities.without_former_names(name, graph.search(store, name, kind=kind, country=country, limit=limit))
        if not nodes and not as_json:
            nothing_found(f"No node matches {name!r}.")
        policy = policy_for(state(ctx).settings.home_country)
        home_node = store.get_node(policy.country) if policy.country else None
    home = home_node.name if home_node else policy.country
    if as_json:
        emit_json([{"id": n.id, "kind": n.kind.value, "name": n.name, "name_zh": n.name_zh, "country": n.country,
                    "admin1": n.admin1, "population": n.population} for n in nodes])
        return
    table = Table(id_column((n.id for n in nodes), "id · kind"), Column("name", overflow="fold"),
                  Column("where", overflow="fold"))
    for n in nodes:
        domestic = n.kind is NodeKind.COUNTRY and policy.classify(n.id) == "domestic"
        kind_shown = f"Region of {home} ({policy.country_name(n.id, 'zh')})" if domestic else n.kind.value
        country_shown = policy.country if domestic else n.country
        where = " · ".join(x for x in (country_shown, n.admin1, f"pop. {n.population:,}" if n.population else "") if x)
        table.add_row(f"{n.id}\n[dim]{kind_shown}[/]", n.name + (f"\n{n.name_zh}" if n.name_zh else ""), where)
    console.print(table)


DEMO_CAPTION = "demo 示例: an invented example record (示例数据), not a real partnership"


def _is_demo(row: cities.Partnership) -> bool:
    """Whether the partnership or its partner is an invented (demo) record."""
    return row.edge.demo or row.partner.demo


@app.command()
def partners(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="city id or name")],
    country: CountryOption = None,
    as_json: JsonOption = False,
) -> None:
    """List a city's partners by tier (sister, friendly) and status; ties with the home country's
    domestic territories (港澳台交流 for a Chinese city) and within the home country apart."""
    with state(ctx).store() as store, user_errors():
        node = cities.resolve_city(store, city, country)
        lists = cities.partner_lists(store, node)

    def rows_json(rows: list[cities.Partnership]) -> list[dict[str, object]]:
        return [{"id": r.partner.id, "name": r.partner.name, "name_zh": r.partner.name_zh,
                 "country": r.partner.country, "tier": r.tier, "status": r.status, "since": r.since,
                 "source": r.edge.source, "demo": _is_demo(r)} for r in rows]

    if as_json:
        emit_json({
            "city": {"id": node.id, "name": node.name, "name_zh": node.name_zh, "country": node.country},
            "partners": rows_json(lists.foreign), "domestic_label": lists.label["en"] or None,
            "domestic": rows_json(lists.territories), "home_country": rows_json(lists.home),
        })
        return
    title = f"Partners of {node.name}" + (f" {node.name_zh}" if node.name_zh else "") + f" ({node.id})"
    sections = [(title, lists.foreign), (f"{lists.label['en']} {lists.label['zh']}", lists.territories),
                ("Within the country", lists.home)]
    for heading, rows in sections:
        if not rows:
            continue
        demo = any(_is_demo(r) for r in rows)
        table = Table(Column("tier · status · since", overflow="fold"), Column("partner", overflow="fold"),
                      "country", id_column(r.partner.id for r in rows), title=heading,
                      caption=DEMO_CAPTION if demo else None)
        for r in rows:
            marker = "demo 示例" if _is_demo(r) else None
            table.add_row(" · ".join(x for x in (r.tier, r.status, r.since, marker) if x),
                          r.partner.name + (f"\n{r.partner.name_zh}" if r.partner.name_zh else ""),
                          r.partner.country or "", r.partner.id)
        console.print(table)
    if not (lists.foreign or lists.territories or lists.home):
        console.print(f"{node.name} has no partners in the store.")
