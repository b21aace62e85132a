"""Reports of a city or a province: the ``.xlsx`` workbook of the information base, and the annual
partnership report (年度友城工作报告) as a printable page and as a workbook."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.i18n import Lang
from graph_service.services import reports
from graph_service.store.base import GraphStore
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import page

router = APIRouter()

CountryParam = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")]
YearParam = Annotated[int | None, Query(ge=1900, le=2999)]
StrategyParam = Annotated[str | None, Query(max_length=60)]


def download(data: bytes, filename: str, media_type: str = reports.XLSX) -> Response:
    """A file download; the name travels RFC 5987-encoded, so Chinese names survive."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "report.xlsx"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _annual_page(request: Request, lang: Lang, who, store: GraphStore, scope: reports.Scope, year: int | None,
                 base: str) -> HTMLResponse:
    year = year or date.today().year
    report = reports.annual_report(store, scope, year)
    return page(request, "annual.html", lang, who, report=report, base=base,
                years=list(range(date.today().year, date.today().year - 15, -1)))


@router.get("/city/{city_id}/report.xlsx")
def city_workbook(city_id: str, lang: PageLang, _: Viewer, store: StoreDep, strategy: StrategyParam = None) -> Response:
    scope = reports.city_scope(store, city_id)
    data = reports.workbook(store, scope, lang, strategy=strategy)
    return download(data, reports.xlsx_filename(scope.label, "report"))


@router.get("/province/{name}/report.xlsx")
def province_workbook(name: str, lang: PageLang, _: Viewer, store: StoreDep, country: CountryParam = None,
                      strategy: StrategyParam = None) -> Response:
    scope = reports.province_scope(store, name[:200], country)
    data = reports.workbook(store, scope, lang, strategy=strategy)
    return download(data, reports.xlsx_filename(scope.label, "report"))


@router.get("/city/{city_id}/annual", response_class=HTMLResponse)
def city_annual(request: Request, city_id: str, lang: PageLang, who: Viewer, store: StoreDep,
                year: YearParam = None) -> HTMLResponse:
    return _annual_page(request, lang, who, store, reports.city_scope(store, city_id), year, f"/city/{city_id}")


@router.get("/province/{name}/annual", response_class=HTMLResponse)
def province_annual(request: Request, name: str, lang: PageLang, who: Viewer, store: StoreDep,
                    country: CountryParam = None, year: YearParam = None) -> HTMLResponse:
    scope = reports.province_scope(store, name[:200], country)
    return _annual_page(request, lang, who, store, scope, year, f"/province/{name[:200]}")


@router.get("/city/{city_id}/annual.xlsx")
def city_annual_workbook(city_id: str, lang: PageLang, _: Viewer, store: StoreDep, year: YearParam = None) -> Response:
    scope = reports.city_scope(store, city_id)
    report = reports.annual_report(store, scope, year or date.today().year)
    return download(reports.annual_workbook(report, lang), reports.xlsx_filename(scope.label, f"annual-{report.year}"))


@router.get("/province/{name}/annual.xlsx")
def province_annual_workbook(name: str, lang: PageLang, _: Viewer, store: StoreDep, country: CountryParam = None,
                             year: YearParam = None) -> Response:
    scope = reports.province_scope(store, name[:200], country)
    report = reports.annual_report(store, scope, year or date.today().year)
    return download(reports.annual_workbook(report, lang), reports.xlsx_filename(scope.label, f"annual-{report.year}"))
