"""``/region/{id}``: a region's countries, how many partnerships each has and with which continents,
its country-to-country network, and the pairs: page by page (``?page=2``), and all of them as a
workbook (``pairs.xlsx``) or a CSV file for Excel (``pairs.csv``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.errors import NotFound
from graph_service.model import Node, NodeKind
from graph_service.services import places, reports
from graph_service.store.base import GraphStore
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import PageNames, page
from graph_service.web.routes.reports import download

router = APIRouter()

PAGE_ROWS = 300
"""Pairs per page of the region page."""


def page_window(current: int, pages: int, around: int = 3) -> list[int | None]:
    """The page numbers a pager links: the first, the last and ``around`` on each side of the current
    one; None marks a gap.

    >>> page_window(10, 76)
    [1, None, 7, 8, 9, 10, 11, 12, 13, None, 76]
    >>> page_window(1, 2)
    [1, 2]
    """
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - (window[-1] or 0) > 1:
            window.append(None)
        window.append(number)
    return window


def _region(store: GraphStore, region_id: str) -> Node:
    region = store.get_node(region_id)
    if region is None or region.kind is not NodeKind.REGION:
        raise NotFound(f"no region {region_id[:200]!r}", zh=f"没有编号为“{region_id[:200]}”的地区。")
    return region


def _overview(request: Request, store: GraphStore, region_id: str) -> places.RegionOverview:
    return places.region_overview(store, _region(store, region_id),
                                  home_country=request.app.state.settings.home_country)


@router.get("/region/{region_id}", response_class=HTMLResponse)
def region_page(request: Request, region_id: str, lang: PageLang, who: Viewer, store: StoreDep,
                page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> HTMLResponse:
    overview = _overview(request, store, region_id)
    pages = max(1, -(-len(overview.pairs) // PAGE_ROWS))
    if page_number > pages:
        raise NotFound(f"the pairs have {pages} page(s), not {page_number}",
                       zh=f"结对列表共 {pages} 页，没有第 {page_number} 页。")
    first = (page_number - 1) * PAGE_ROWS
    return page(request, "region.html", lang, who, overview=overview, page_number=page_number, pages=pages,
                window=page_window(page_number, pages), first=first, shown=overview.pairs[first:first + PAGE_ROWS])


@router.get("/region/{region_id}/pairs.xlsx")
def region_pairs_workbook(request: Request, region_id: str, lang: PageLang, _: Viewer, store: StoreDep) -> Response:
    overview = _overview(request, store, region_id)
    data = reports.pairs_workbook(overview, lang, PageNames(request, lang, None).country)
    return download(data, reports.xlsx_filename(overview.region.name, "pairs"))


@router.get("/region/{region_id}/pairs.csv")
def region_pairs_csv(request: Request, region_id: str, lang: PageLang, _: Viewer, store: StoreDep) -> Response:
    overview = _overview(request, store, region_id)
    data = reports.pairs_csv(overview, lang, PageNames(request, lang, None).country)
    name = reports.xlsx_filename(overview.region.name, "pairs").removesuffix(".xlsx") + ".csv"
    return download(data, name, media_type="text/csv; charset=utf-8")
