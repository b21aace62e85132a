"""Commands of the information base: ``timeline``, ``attention``, ``report`` and ``annual`` for a city
or a province, and ``import sheet`` (the planners' spreadsheet import, previewed unless ``--commit``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graph_service.cli.app import CountryOption, JsonOption, app, console, emit_json, fail, state, user_errors
from graph_service.cli.io_commands import import_app
from graph_service.i18n import attention_text, event_text, import_note_text, pick_lang
from graph_service.services import activity, cities, reports, spreadsheet
from graph_service.store.base import GraphStore

CityArgument = Annotated[str | None, typer.Argument(help="city id or name (any language, pinyin)")]
ProvinceOption = Annotated[str | None, typer.Option("--province", help="every city of this province")]
LangOption = Annotated[str, typer.Option("--lang", help="language of texts: en or zh")]
Years = Annotated[int, typer.Option(min=1, max=30)]


def _scope(store: GraphStore, city: str | None, province: str | None, country: str | None) -> reports.Scope:
    if (city is None) == (province is None):
        fail("give a CITY or --province NAME (not both)")
    if province:
        return reports.province_scope(store, province, country)
    return reports.city_scope(store, cities.resolve_city(store, city or "", country).id)


@app.command()
def timeline(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="city id or name (any language, pinyin)")],
    field: Annotated[str | None, typer.Option("--field", help="an exchange field, lifecycle or institutions")] = None,
    year: Annotated[int | None, typer.Option("--year", min=1000, max=2999)] = None,
    country: CountryOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Every partnership step, exchange and institution link of a city, newest first."""
    language = pick_lang(lang)
    with state(ctx).store() as store, user_errors():
        node = cities.resolve_city(store, city, country)
        found = activity.city_timeline(store, node.id, field=field, year=year)
    rows = [{"date": e.date, "kind": e.kind, "code": e.code, "text": event_text(e, language), "edge": e.edge.id}
            for e in found.events]
    if as_json:
        emit_json({"city": node.id, "events": rows})
        return
    for row in rows:
        console.print(f"{row['date'] or '?':<10}  {row['text']}", highlight=False, markup=False)


@app.command()
def attention(
    ctx: typer.Context,
    city: CityArgument = None,
    province: ProvinceOption = None,
    country: CountryOption = None,
    quiet_years: Annotated[int, typer.Option("--quiet-years", min=1, max=30, help="years without exchange")] = 3,
    stalled_years: Annotated[int, typer.Option("--stalled-years", min=1, max=30, help="years a step stalls")] = 1,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Ties that need attention: no exchange for years, stalled proposals or negotiations, dormant ties."""
    language = pick_lang(lang)
    with state(ctx).store() as store, user_errors():
        scope = _scope(store, city, province, country)
        if scope.province:
            found = activity.province_activity(store, scope.province, country=country, quiet_years=quiet_years,
                                               stalled_years=stalled_years)
        else:
            found = activity.city_activity(store, scope.cities[0].id, quiet_years=quiet_years,
                                           stalled_years=stalled_years)
    rows = [{"city": a.city.id, "partner": a.partner.id, "partner_name": a.partner.name, "tier": a.tier,
             "code": a.code, "since": a.since, "text": attention_text(a, language, stalled_years)}
            for a in found.attention]
    if as_json:
        emit_json({"scope": scope.label, "quiet_years": quiet_years, "stalled_years": stalled_years,
                   "attention": rows})
        return
    table = Table("city", "partner", "tier", "why")
    for row in rows:
        table.add_row(row["city"], row["partner_name"], row["tier"], row["text"])
    console.print(table)


@app.command()
def report(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="the .xlsx file to write")],
    city: CityArgument = None,
    province: ProvinceOption = None,
    country: CountryOption = None,
    lang: LangOption = "en",
) -> None:
    """Write the Excel workbook of a city or a province: partners, exchanges, gaps, suggestions,
    attention list, institutions and timeline."""
    if not out.parent.exists():
        fail(f"folder does not exist: {out.parent}")
    with state(ctx).store() as store, user_errors():
        data = reports.workbook(store, _scope(store, city, province, country), pick_lang(lang))
    out.write_bytes(data)
    console.print(f"wrote {out} ({len(data):,} bytes)")


@app.command()
def annual(
    ctx: typer.Context,
    city: CityArgument = None,
    province: ProvinceOption = None,
    country: CountryOption = None,
    year: Annotated[int | None, typer.Option("--year", min=1900, max=2999)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="also write it as an .xlsx file")] = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """The annual partnership report (年度友城工作报告): new ties, exchanges by field and country, dormant ties."""
    language = pick_lang(lang)
    with state(ctx).store() as store, user_errors():
        found = reports.annual_report(store, _scope(store, city, province, country), year or date.today().year)
    if out is not None:
        out.write_bytes(reports.annual_workbook(found, language))
    summary = {"scope": found.scope.label, "year": found.year,
               "new_ties": [event_text(e, language) for e in found.new_ties],
               "exchanges_by_field": dict(found.by_field), "exchanges_by_country": dict(found.by_country),
               "ended": [event_text(e, language) for e in found.ended],
               "attention": [attention_text(a, language, found.stalled_years) for a in found.attention]}
    if as_json:
        emit_json(summary)
        return
    console.print(f"[bold]{found.scope.label} {found.year}[/]", highlight=False)
    for key, value in summary.items():
        if key not in ("scope", "year"):
            console.print(f"{key}: {value}", highlight=False, markup=False)


@import_app.command("sheet")
def import_sheet(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="an .xlsx or .csv file with any column names")],
    mapping: Annotated[list[str] | None, typer.Option("--map", help="COLUMN=FIELD, to override the guess")] = None,
    home_country: Annotated[str, typer.Option("--home-country")] = "CN",
    home_province: Annotated[str | None, typer.Option("--home-province", help="prefer home cities here")] = None,
    default_tier: Annotated[str, typer.Option("--default-tier", help="sister or friendly")] = "sister",
    commit: Annotated[bool, typer.Option("--commit", help="write it (otherwise only the preview)")] = False,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Import partnerships from a planner's spreadsheet: each column mapped to a field (remembered for the
    header), every row created, enriched, already present or rejected with its reason. Conflicting values
    keep what is stored. Without ``--commit`` nothing is written."""
    language = pick_lang(lang)
    with state(ctx).store() as store, user_errors():
        table = spreadsheet.read_upload(file.read_bytes(), file.name)
        chosen, _ = spreadsheet.suggested_mapping(store, table.header)
        for item in mapping or []:
            column, _, target = item.partition("=")
            if column not in chosen:
                fail(f"--map: no column {column!r}; the columns are {', '.join(table.header)}")
            if target not in {t.value for t in spreadsheet.Target}:
                fail(f"--map: unknown field {target!r}; fields: {', '.join(t.value for t in spreadsheet.Target)}")
            chosen[column] = spreadsheet.Target(target)
        province = home_province or spreadsheet.suggested_province(store, table, chosen, home_country)
        fields = {f"map_{i}": chosen[c].value for i, c in enumerate(table.header)}
        checked, options = spreadsheet.check_mapping(table.header, fields, {
            "home_country": home_country, "home_province": province or "", "default_tier": default_tier})
        if commit:
            plan = spreadsheet.commit_import(store, table, checked, options, actor="cli")
        else:
            plan = spreadsheet.plan_import(store, table, checked, options)
    rows = [{"line": r.line, "outcome": r.outcome, "home": r.home.id if r.home else None,
             "partner": r.partner.id if r.partner else None, "fills": dict(r.fills),
             "conflicts": [{"field": c.field, "stored": c.stored, "file": c.file} for c in r.conflicts],
             "reason": import_note_text(r.reason, language) if r.reason else None} for r in plan.rows]
    if as_json:
        emit_json({"committed": commit, "mapping": {c: t.value for c, t in checked.items()},
                   "home_province": options.home_province, "counts": plan.counts(), "rows": rows})
        return
    console.print(plan.counts(), highlight=False)
    for row in rows:
        if row["outcome"] in ("rejected", "conflict"):
            console.print(f"  line {row['line']}: {row['outcome']} {row['reason'] or row['conflicts']}",
                          highlight=False, markup=False)
