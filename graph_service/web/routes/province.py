"""``/province/{name}``: a province's (or state's) cities and their partners, gaps by region for the
whole province, indicators and the attention list. ``name`` is an admin-1 name (``Guangxi``) or a
province-level city's name in any language; ``country`` narrows it when two countries share it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.analysis.gaps import Coverage
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import page
from graph_service.web.views import ActivityQuery, province_view

router = APIRouter()

CountryParam = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")]
MAX_GAP_COUNTRIES = 15


@router.get("/province/{name}", response_class=HTMLResponse)
def province_page(request: Request, name: str, lang: PageLang, who: Viewer, store: StoreDep,
                  thresholds: ActivityQuery, country: CountryParam = None,
                  strategy: Annotated[str | None, Query(max_length=60)] = None,
                  coverage: Coverage = "all") -> HTMLResponse:
    view = province_view(store, name[:200], country=country, strategy_name=strategy, coverage=coverage,
                         thresholds=thresholds, lang=lang)
    return page(request, "province.html", lang, who, view=view, country=country, max_gaps=MAX_GAP_COUNTRIES)
