"""The network pictures the pages embed in iframes, each its own page under ``/network/...``, rendered
by pyvis with ``viz``'s offline template (vis-network is served from ``/static/vis``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.analysis.naming import NodeNames
from graph_service.errors import NotFound
from graph_service.model import NodeKind
from graph_service.policy import policy_for
from graph_service.services import cities, places
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.routes.geo import MAX_GEO_EDGES, MapFilterDep
from viz import country_network, ego_network, geo_network, render

router = APIRouter(prefix="/network")


def _network_response(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _nonce(request: Request) -> str:
    """The request's script nonce (``api.security_headers``), for the picture's inline script."""
    return getattr(request.state, "csp_nonce", "")


@router.get("/city/{city_id}", response_class=HTMLResponse)
def city_network(request: Request, city_id: str, lang: PageLang, _: Viewer, store: StoreDep,
                 depth: Annotated[int, Query(ge=1, le=2)] = 1) -> HTMLResponse:
    """A city and everything around it: partners, consulates, schools, enterprises and their ties;
    with ``depth=2`` also the partners of partners (never a whole country through LOCATED_IN)."""
    city = store.get_node(city_id)
    if city is None or city.kind is not NodeKind.CITY:
        raise NotFound(f"no city {city_id[:200]!r}", zh=f"没有编号为“{city_id[:200]}”的城市。")
    sub = cities.ego_network(store, city.id, depth=depth)
    countries = store.get_nodes({n.country for n in sub.nodes if n.country})
    names = NodeNames(countries, policy_for(city.country or request.app.state.settings.home_country))
    net = ego_network(sub, centre=city.id, lang=lang, countries=countries,
                      country_name=lambda code: names.name(code, lang))
    return _network_response(render(net, lang=lang, nonce=_nonce(request)))


@router.get("/geo", response_class=HTMLResponse)
def partnership_map(request: Request, lang: PageLang, _: Viewer, store: StoreDep, chosen: MapFilterDep
                    ) -> HTMLResponse:
    """The map of the ties ``chosen`` selects (the ``/geo`` page's filters); a filtered city is marked."""
    view = places.partnership_map(store, chosen, request.app.state.settings.home_country)
    pairs = view.pairs[:MAX_GEO_EDGES]
    ends = {node.id: node for pair in pairs for node in (pair.a, pair.b)}
    marked = [view.city.id] if view.city else []
    net = geo_network(ends.values(), [pair.edge for pair in pairs], lang=lang, highlight=marked)
    return _network_response(render(net, lang=lang, nonce=_nonce(request)))


@router.get("/region/{region_id}", response_class=HTMLResponse)
def region_network(request: Request, region_id: str, lang: PageLang, _: Viewer, store: StoreDep) -> HTMLResponse:
    """Countries of the region and their partner countries; edge width grows with the pair count."""
    links = places.region_country_links(store, region_id, home_country=request.app.state.settings.home_country)
    net = country_network(links.countries, set(links.members), links.counts, lang=lang)
    return _network_response(render(net, lang=lang, nonce=_nonce(request)))
