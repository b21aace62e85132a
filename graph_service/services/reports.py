"""Reports for a city or a province: the Excel workbook of the information base and the annual
partnership report (年度友城工作报告).

The workbook (``.xlsx``, openpyxl) has one sheet each for partners (with every lifecycle date and the
indicators), exchanges, gaps by region, suggestions, the attention list, institutions and the
timeline, titled and headed in the reader's language. The annual report of a year lists the ties
signed (or upgraded) that year, the exchanges held by field and by country, the ties that ended,
and the ties that needed attention at the year's end.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from graph_service.analysis import GapReport, SuggestionReport, projection, province_cities
from graph_service.errors import InvalidInput, NotFound
from graph_service.i18n import Lang, attention_text, display_name, edge_label, event_text, kind_label, t
from graph_service.ingest.exports import csv_rows, spreadsheet_safe
from graph_service.model import LIFECYCLE_FIELDS, Node, NodeKind
from graph_service.services import activity, analysis
from graph_service.services.activity import Activity, Attention, Event
from graph_service.services.places import RegionOverview, province_name
from graph_service.store.base import GraphStore

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUGGESTIONS_PER_CITY = 10
HEADER_FILL = PatternFill("solid", fgColor="7F0000")
NEW_TIE_CODES = frozenset({"signed", "upgraded", "friendly_signed"})


@dataclass
class Scope:
    """What a report covers: one city, or the cities of a province (``label`` names it)."""

    label: str
    cities: list[Node]
    province: str | None = None
    country: str | None = None


def city_scope(store: GraphStore, city_id: str) -> Scope:
    node = store.get_node(city_id)
    if node is None or node.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id[:200]!r}", zh=f"没有编号为“{city_id[:200]}”的城市。")
    return Scope(label=node.name_zh or node.name, cities=[node])


def province_scope(store: GraphStore, province: str, country: str | None = None) -> Scope:
    """A province's cities (a Chinese name such as 广西 names it as the data does)."""
    province = province_name(province, country.upper() if country else None)
    proj = projection(store)
    ids = province_cities(proj, province, country.upper() if country else None)
    return Scope(label=province, cities=[proj.nodes[i] for i in ids], province=province,
                 country=country.upper() if country else None)


# -- the workbook ----------------------------------------------------------------------------------
def _new_book() -> Workbook:
    """A workbook with no sheet yet."""
    book = Workbook()
    book.remove(book.worksheets[0])
    return book


def _sheet(book: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
           widths: Sequence[int] = ()) -> None:
    sheet = book.create_sheet(title=title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for i, width in enumerate(widths or [18] * len(header), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _cell(value: Any) -> Any:
    """A value a spreadsheet shows as written: text stays text (a leading ``=`` cannot become a formula)."""
    return "" if value is None else spreadsheet_safe(value)


def _partner_rows(ties: list[activity.TieActivity], lang: Lang, many: bool) -> list[list[Any]]:
    rows = []
    for a in ties:
        edge = a.edge
        dates = [getattr(edge, name) for name in LIFECYCLE_FIELDS.values()]
        row = [display_name(a.partner, lang), a.partner.name, a.partner.name_zh, a.partner.country,
               t(f"tier_{a.tier}", lang), t(edge.status.value, lang) if edge.status else "", *dates,
               edge.friendly_since, a.last_exchange, a.recent, edge.notes, edge.source]
        rows.append(([display_name(a.city, lang)] if many else []) + row)
    return rows


def _partner_header(lang: Lang, many: bool, years: int) -> list[str]:
    steps = [t(f"f_{name}", lang) for name in LIFECYCLE_FIELDS.values()]
    return ([t("home_city", lang)] if many else []) + [
        t("partner", lang), t("f_city_name", lang), t("f_city_name_zh", lang), t("country", lang), t("tier", lang),
        t("status", lang), *steps, f"{t('tier_friendly', lang)} · {t('f_since', lang)}", t("last_exchange", lang),
        f"{t('exchanges', lang)} ({years})", t("notes", lang), t("source", lang)]


def _exchange_rows(events: list[Event], countries: dict[str, Node], lang: Lang) -> list[list[Any]]:
    rows = []
    for e in events:
        other = e.other
        country = countries.get(other.country) if other is not None and other.country else None
        edge = e.edge
        rows.append([e.date or t("undated", lang), display_name(e.ours, lang),
                     display_name(other, lang) if other is not None else "",
                     display_name(country, lang) if country else (other.country if other else ""), t(e.code, lang),
                     edge.title, t(edge.direction, lang) if edge.direction else "",
                     t("planned", lang) if e.planned else t("held", lang), edge.participants, edge.head_of_delegation,
                     edge.outcome, edge.notes])
    return rows


def _gap_rows(report: GapReport, nodes: dict[str, Node], lang: Lang) -> list[list[Any]]:
    def named(code: str) -> str:
        node = nodes.get(code)
        return display_name(node, lang) if node else code

    return [[named(g.id) if g.id in nodes else g.name, g.counts.total, "、".join(named(c) for c in g.partner_countries),
             "、".join(named(x.country) for x in g.gap_countries)] for g in report.groups]


def _suggestion_rows(reports: list[tuple[Node, SuggestionReport]], nodes: dict[str, Node], lang: Lang,
                     many: bool) -> list[list[Any]]:
    rows = []
    for home, report in reports:
        for rank, s in enumerate(report.suggestions, start=1):
            node = nodes.get(s.id)
            row = [rank, display_name(node, lang) if node else s.name, s.country, round(float(s.score), 3),
                   "\n".join(r.text for r in s.reasons)]
            rows.append(([display_name(home, lang)] if many else []) + row)
    return rows


def _attention_rows(items: list[Attention], lang: Lang, stalled: int, many: bool) -> list[list[Any]]:
    return [([display_name(a.city, lang)] if many else []) + [
        display_name(a.partner, lang), t(f"tier_{a.tier}", lang), attention_text(a, lang, stalled)] for a in items]


def workbook(store: GraphStore, scope: Scope, lang: Lang, *, strategy: str | None = None,
             today: date | None = None) -> bytes:
    """The information base of a city or a province as an ``.xlsx`` workbook (bytes)."""
    today = today or date.today()
    many = scope.province is not None
    proj = projection(store)
    ids = [c.id for c in scope.cities]
    found: Activity = activity.activity_for(proj, ids, years=activity.WINDOW_YEARS, quiet_years=activity.QUIET_YEARS,
                                         stalled_years=activity.STALLED_YEARS, today=today)
    events = activity.exchanges_in(proj, ids)
    if many:
        gaps = analysis.province_gaps(store, scope.province or "", country=scope.country, strategy=strategy)
    else:
        gaps = analysis.city_gaps(store, ids[0], strategy=strategy)
    homes = [c for c in scope.cities if proj.partners(c.id)] if many else scope.cities
    ideas = [(c, analysis.city_suggestions(store, c.id, limit=SUGGESTIONS_PER_CITY, strategy=strategy))
             for c in homes]
    timeline = [e for c in ids for e in activity.filtered(activity.city_events(proj, c), None, None).events]
    wanted = {g.id for g in gaps.groups} | {cc for g in gaps.groups for cc in g.partner_countries}
    wanted |= {x.country for g in gaps.groups for x in g.gap_countries}
    wanted |= {s.id for _, r in ideas for s in r.suggestions}
    wanted |= {e.other.country for e in events if e.other is not None and e.other.country}
    nodes = store.get_nodes(wanted)
    home_col = [t("home_city", lang)] if many else []
    home_width = [16] * len(home_col)

    def home(city: Node) -> list[str]:
        return [display_name(city, lang)] if many else []

    book = _new_book()
    _sheet(book, t("sheet_partners", lang), _partner_header(lang, many, activity.WINDOW_YEARS),
           _partner_rows(found.ties, lang, many), widths=[*home_width, 18, 22, 14, 8, 12, 10, *[12] * 8, 10, 40, 30])
    _sheet(book, t("sheet_exchanges", lang),
           [t("f_date", lang), t("f_ours", lang), t("f_counterpart", lang), t("country", lang), t("f_field", lang),
            t("f_title", lang), t("f_direction", lang), t("f_state", lang), t("f_participants", lang),
            t("f_head_of_delegation", lang), t("f_outcome", lang), t("notes", lang)],
           _exchange_rows(events, nodes, lang), widths=[12, 16, 20, 12, 10, 36, 14, 10, 8, 16, 30, 30])
    _sheet(book, t("sheet_gaps", lang), [t("region", lang), t("partners", lang), t("partner_countries", lang),
                                         t("gap_countries", lang)],
           _gap_rows(gaps, nodes, lang), widths=[22, 8, 40, 80])
    _sheet(book, t("sheet_suggestions", lang),
           [*home_col, "#", t("city", lang), t("country", lang), t("score", lang), t("reason", lang)],
           _suggestion_rows(ideas, nodes, lang, many), widths=[*home_width, 5, 22, 8, 8, 90])
    _sheet(book, t("sheet_attention", lang), [*home_col, t("partner", lang), t("tier", lang), t("reason", lang)],
           _attention_rows(found.attention, lang, found.stalled_years, many), widths=[*home_width, 22, 14, 60])
    institutions = [(c, n) for c in scope.cities for n in activity.institutions(proj, c.id)]
    _sheet(book, t("sheet_institutions", lang),
           [*home_col, t("f_kind", lang), t("f_name", lang), t("f_name_zh", lang), t("country", lang),
            t("notes", lang)],
           [[*home(c), kind_label(n.kind.value, lang), n.name, n.name_zh, n.country, n.notes] for c, n in institutions],
           widths=[*home_width, 12, 34, 24, 8, 50])
    _sheet(book, t("sheet_timeline", lang), [t("f_date", lang), t("event", lang)],
           [[e.date or t("undated", lang), event_text(e, lang)] for e in timeline], widths=[12, 100])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- the annual report -----------------------------------------------------------------------------
@dataclass
class AnnualReport:
    """One year of a city's or a province's partnership work."""

    scope: Scope
    year: int
    new_ties: list[Event]
    ended: list[Event]
    exchanges: list[Event]
    by_field: Counter[str]
    by_country: Counter[str]
    countries: dict[str, Node]
    attention: list[Attention]
    stalled_years: int

    @property
    def held(self) -> list[Event]:
        return [e for e in self.exchanges if not e.planned]


def annual_report(store: GraphStore, scope: Scope, year: int, *, today: date | None = None) -> AnnualReport:
    """The annual report of ``year`` (1900 to this year) for a city or a province."""
    today = today or date.today()
    if not 1900 <= year <= today.year:
        raise InvalidInput(f"year must be between 1900 and {today.year}, not {year}",
                           zh=f"年份应在 1900 至 {today.year} 之间,而不是 {year}。")
    proj = projection(store)
    ids = [c.id for c in scope.cities]
    events = [e for c in ids for e in activity.city_events(proj, c) if e.year == year]
    lifecycle = sorted((e for e in events if e.kind == "lifecycle"), key=lambda e: e.date)
    exchanges = sorted((e for e in events if e.kind == "exchange"), key=lambda e: e.date)
    held = [e for e in exchanges if not e.planned]
    by_country: Counter[str] = Counter(e.other.country or "?" for e in held if e.other is not None)
    end = min(date(year, 12, 31), today)
    at_end = activity.activity_for(proj, ids, years=1, quiet_years=activity.QUIET_YEARS,
                                stalled_years=activity.STALLED_YEARS, today=end)
    return AnnualReport(
        scope=scope, year=year, new_ties=[e for e in lifecycle if e.code in NEW_TIE_CODES],
        ended=[e for e in lifecycle if e.code == "ended"], exchanges=exchanges,
        by_field=Counter(e.code for e in held), by_country=by_country,
        countries=store.get_nodes(set(by_country)), attention=at_end.attention,
        stalled_years=at_end.stalled_years,
    )


def annual_workbook(report: AnnualReport, lang: Lang) -> bytes:
    """The annual report as an ``.xlsx`` workbook."""
    book = _new_book()

    def country(code: str) -> str:
        node = report.countries.get(code)
        return display_name(node, lang) if node else code

    summary = t("annual_summary", lang, ties=len(report.new_ties), exchanges=len(report.held),
                dormant=len(report.attention))
    _sheet(book, t("summary", lang), [t("annual_title", lang, year=report.year)], [[report.scope.label], [summary]],
           widths=[100])
    _sheet(book, t("new_ties", lang), [t("f_date", lang), t("event", lang)],
           [[e.date, event_text(e, lang)] for e in report.new_ties], widths=[12, 80])
    _sheet(book, t("exchanges_by_field", lang), [t("f_field", lang), t("count", lang)],
           [[t(k, lang), n] for k, n in report.by_field.most_common()], widths=[20, 10])
    _sheet(book, t("exchanges_by_country", lang), [t("country", lang), t("count", lang)],
           [[country(k), n] for k, n in report.by_country.most_common()], widths=[20, 10])
    _sheet(book, t("sheet_exchanges", lang), [t("f_date", lang), t("event", lang)],
           [[e.date, event_text(e, lang)] for e in report.exchanges], widths=[12, 100])
    _sheet(book, t("dormant_ties", lang), [t("home_city", lang), t("partner", lang), t("reason", lang)],
           [[display_name(a.city, lang), display_name(a.partner, lang), attention_text(a, lang, report.stalled_years)]
            for a in report.attention], widths=[16, 22, 60])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_filename(label: str, kind: str, today: date | None = None) -> str:
    """``南宁-report-2025-06-01.xlsx``: a download name (the caller quotes it for the header)."""
    safe = "".join(c for c in label if c.isalnum() or c in " -_") .strip().replace(" ", "-") or "report"
    return f"{safe}-{kind}-{(today or date.today()).isoformat()}.xlsx"


# -- a region's pairs --------------------------------------------------------------------------------
def _pair_table(overview: RegionOverview, lang: Lang,
                country_name: Callable[[str | None], str]) -> tuple[list[str], list[list[Any]]]:
    """Every pair of a region page as rows: each city in the page's language, its country (named by
    ``country_name``, the page's policy), the tier, status, signing date and the tie's id."""
    header = [t("city", lang), t("country", lang), t("partner", lang), t("country", lang), t("tier", lang),
              t("status", lang), t("since", lang), "id"]
    rows = [[display_name(p.a, lang), country_name(p.a.country), display_name(p.b, lang), country_name(p.b.country),
             edge_label(p.edge.type.value, lang), t(p.edge.status.value, lang) if p.edge.status else "",
             p.edge.since or "", p.edge.id]
            for p in overview.pairs]
    return header, rows


def pairs_workbook(overview: RegionOverview, lang: Lang, country_name: Callable[[str | None], str]) -> bytes:
    """A region's pairs, all of them, as an ``.xlsx`` workbook of one sheet."""
    book = _new_book()
    header, rows = _pair_table(overview, lang, country_name)
    _sheet(book, t("pairs_sheet", lang), header, rows, widths=[22, 16, 26, 16, 14, 10, 12, 44])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pairs_csv(overview: RegionOverview, lang: Lang, country_name: Callable[[str | None], str]) -> bytes:
    """A region's pairs, all of them, as CSV with a UTF-8 byte-order mark (Excel reads its Chinese)."""
    return csv_rows(*_pair_table(overview, lang, country_name))
