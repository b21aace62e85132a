"""``/geo``: partnerships placed by longitude and latitude, for one country's cities or for all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.services import places
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import page

router = APIRouter()

MAX_GEO_EDGES = 6000
"""Partnerships drawn on one map; the page says when there are more."""
CountryParam = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO-3166 alpha-2")]


@router.get("/geo", response_class=HTMLResponse)
def geo_page(
    request: Request, lang: PageLang, who: Viewer, store: StoreDep, country: CountryParam = None
) -> HTMLResponse:
    code = country.upper() if country else None
    view = places.country_partnerships(store, code, home_country=request.app.state.settings.home_country)
    return page(request, "geo.html", lang, who, country=code, view=view, total=len(view.pairs),
                shown=min(len(view.pairs), MAX_GEO_EDGES))
