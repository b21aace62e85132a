"""``/geo``: the map of partnerships over the world's land, filtered by city, province, country,
region, tier and status; ``/geo?city=<id>`` is one city's partners on the map (linked from its page).

The map itself is the iframe ``/network/geo`` with the same filters (``graph_service.web.routes.networks``).
A filter naming no known place leaves the page up, with the form and a note saying which was not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from graph_service import i18n
from graph_service.errors import Ambiguous, NotFound
from graph_service.model import Node, Status, Tier
from graph_service.services import places
from graph_service.services.places import MapFilter
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import page

router = APIRouter()

MAX_GEO_EDGES = 6000
"""Partnerships drawn on one map; the page says when there are more."""
CountryParam = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO-3166 alpha-2")]


def map_filter(
    country: CountryParam = None,
    city: Annotated[str | None, Query(max_length=200, description="a city's id or name")] = None,
    province: Annotated[str | None, Query(max_length=100, description="a province or state by name")] = None,
    region: Annotated[str | None, Query(max_length=100, description="a region's id, e.g. continent:EU")] = None,
    tier: Tier | None = None,
    status: Status | None = None,
) -> MapFilter:
    """The map's filters from the query string; empty fields count as not given."""
    def given(value: str | None) -> str | None:
        return value.strip() or None if value else None

    return MapFilter(city=given(city), province=given(province), country=country.upper() if country else None,
                     region=given(region), tier=tier, status=status)


MapFilterDep = Annotated[MapFilter, Depends(map_filter)]


@router.get("/geo", response_class=HTMLResponse)
def geo_page(request: Request, lang: PageLang, who: Viewer, store: StoreDep, chosen: MapFilterDep) -> HTMLResponse:
    problem: str | None = None
    candidates: list[Node] = []
    home = request.app.state.settings.home_country
    try:
        view = places.partnership_map(store, chosen, home)
    except Ambiguous as exc:
        candidates = list(exc.candidates)
        problem = i18n.t("several_places", lang, name=chosen.city)
        view = places.empty_map(store, chosen, home)
    except NotFound:
        problem = i18n.t("no_such_place", lang)
        view = places.empty_map(store, chosen, home)
    return page(request, "geo.html", lang, who, view=view, chosen=chosen, problem=problem, candidates=candidates,
                total=len(view.pairs), shown=min(len(view.pairs), MAX_GEO_EDGES),
                statuses_offered=[s.value for s in Status], tiers=[t.value for t in Tier])
