"""``/region/{id}``: a region's countries, how many partnerships each has and with which continents,
its country-to-country network, and the pairs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from graph_service.errors import NotFound
from graph_service.model import NodeKind
from graph_service.services import places
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import page

router = APIRouter()

MAX_TABLE_ROWS = 300


@router.get("/region/{region_id}", response_class=HTMLResponse)
def region_page(request: Request, region_id: str, lang: PageLang, who: Viewer, store: StoreDep) -> HTMLResponse:
    region = store.get_node(region_id)
    if region is None or region.kind is not NodeKind.REGION:
        raise NotFound(f"no region {region_id[:200]!r}", zh=f"没有编号为“{region_id[:200]}”的地区。")
    overview = places.region_overview(store, region, home_country=request.app.state.settings.home_country)
    return page(request, "region.html", lang, who, overview=overview, max_rows=MAX_TABLE_ROWS)
