"""The planner UI: server-rendered pages in English or Chinese (``?lang=zh``), and their networks.

Pages: ``/`` (search and overview), ``/city/{id}`` (partners, gaps, suggestions, ego network),
``/region/{id}`` (countries and who partners with whom) and ``/geo`` (partnerships placed by
longitude and latitude). Each network is its own page under ``/network/...``, rendered by pyvis
with ``viz``'s offline template and shown in an iframe. Everything loads from this app: vis-network
is served from the installed pyvis package under ``/static/vis``.

Every page is read-only. Reads follow the API's rule (public unless the settings say otherwise).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from graph_service import queries
from graph_service.api import ui_analysis
from graph_service.api.routes import ui_edit
from graph_service.api.ui_data import busiest_cities, partnerships, projection, region_countries, region_summary
from graph_service.api.ui_render import denied, href, not_found, page, store_of
from graph_service.i18n import Lang, display_name, pick_lang
from graph_service.model import Node, NodeKind
from graph_service.queries import partners_of
from viz import ego_network, geo_network, graph_network, render
from viz.network import VIS_ASSETS
from viz.styles import KIND_COLOURS, TIER_COLOURS

router = APIRouter(include_in_schema=False)
router.include_router(ui_edit.router)
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
STATIC_FILES = {f"vis/{name}": path for name, path in VIS_ASSETS.items()} | {"ui.css": STATIC_DIR / "ui.css"}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}

LangParam = Annotated[str | None, Query(max_length=10, description="en or zh")]
MAX_TABLE_ROWS = 300
MAX_GEO_EDGES = 6000
MAX_GAP_COUNTRIES = 15
STATUS_ORDER = ["active", "signed", "negotiating", "proposed", "dormant", "ended", None]


def _node_link(node: Node, lang: Lang) -> str | None:
    if node.kind is NodeKind.CITY:
        return href(lang, f"/city/{node.id}")
    if node.kind is NodeKind.REGION:
        return href(lang, f"/region/{node.id}")
    if node.kind is NodeKind.COUNTRY:
        return href(lang, "/geo", country=node.id)
    return None


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lang: LangParam = None,
         q: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    """Search across names (Chinese, English, pinyin) and the overview."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    store = store_of(request)
    results = store.find_nodes(q.strip(), limit=40) if q and q.strip() else []
    regions = sorted(store.find_nodes(kind=NodeKind.REGION, limit=100), key=lambda n: n.id)
    return page(request, "home.html", lang, q=q or "", results=[(n, _node_link(n, lang)) for n in results],
                counts=store.counts(), regions=regions, busiest=busiest_cities(projection(store)))


@router.get("/city/{city_id}", response_class=HTMLResponse)
def city_page(request: Request, city_id: str, lang: LangParam = None,
              strategy: Annotated[str | None, Query(max_length=60)] = None,
              depth: Annotated[int, Query(ge=1, le=2)] = 1) -> Response:
    """A city's partners by tier and status, gaps by region, suggestions with reasons, ego network.
    ``/city/南宁`` or ``/city/Nanning`` redirects to the city's id when the name is unique."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    store = store_of(request)
    city = store.get_node(city_id)
    if city is None or city.kind is not NodeKind.CITY:
        try:
            named = queries.resolve_node(store, city_id)
        except (queries.NotFound, queries.Ambiguous) as exc:
            return not_found(request, lang, str(exc))
        return RedirectResponse(href(lang, f"/city/{named.id}"), status_code=307)
    grouped: dict[str, dict[str | None, list]] = {"sister": defaultdict(list), "friendly": defaultdict(list)}
    for p in partners_of(store, city.id):
        grouped[p.tier][p.status].append(p)
    tiers = [(tier, [(s, by_status[s]) for s in STATUS_ORDER if by_status.get(s)]) for tier, by_status in grouped.items()]
    profile = ui_analysis.strategy_named(strategy)
    gaps = ui_analysis.gaps(store, city.id, profile)
    suggestions = ui_analysis.suggestions(store, city.id, profile)
    return page(request, "city.html", lang, city=city, tiers=tiers,
                partner_count=sum(len(v) for by in grouped.values() for v in by.values()),
                gaps=gaps, suggestions=suggestions, max_gaps=MAX_GAP_COUNTRIES,
                strategy=profile, strategies=ui_analysis.list_strategies(), depth=depth,
                country=store.get_node(city.country) if city.country else None)


@router.get("/region/{region_id}", response_class=HTMLResponse)
def region_page(request: Request, region_id: str, lang: LangParam = None) -> HTMLResponse:
    """A region's countries, how many partnerships each has and with which regions, and the pairs."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    store = store_of(request)
    region = store.get_node(region_id)
    if region is None or region.kind is not NodeKind.REGION:
        return not_found(request, lang, region_id)
    proj = projection(store)
    rows, pairs = region_summary(proj, region.id)
    continents = sorted({k for r in rows for k in r[3]})
    return page(request, "region.html", lang, region=region, rows=rows, continents=continents,
                pairs=[(proj.nodes[e.src], proj.nodes[e.dst], e) for e in pairs[:MAX_TABLE_ROWS]],
                total_pairs=len(pairs), max_rows=MAX_TABLE_ROWS)


@router.get("/geo", response_class=HTMLResponse)
def geo_page(request: Request, lang: LangParam = None,
             country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None) -> HTMLResponse:
    """Partnerships placed by longitude and latitude, for one country's cities or for all."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    store = store_of(request)
    proj = projection(store)
    code = country.upper() if country else None
    edges = partnerships(proj, {code} if code else None)
    countries = sorted(proj.countries.values(), key=lambda n: n.name)
    return page(request, "geo.html", lang, country=code, countries=countries, total=len(edges),
                shown=min(len(edges), MAX_GEO_EDGES), country_node=proj.countries.get(code or ""))


def _network_response(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/network/city/{city_id}", response_class=HTMLResponse)
def city_network(request: Request, city_id: str, lang: LangParam = None,
                 depth: Annotated[int, Query(ge=1, le=2)] = 1) -> HTMLResponse:
    """The ego network of a city: partners, consulates, schools, enterprises and their ties;
    with ``depth=2`` also the partners of partners (never a whole country through LOCATED_IN)."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    store = store_of(request)
    city = store.get_node(city_id)
    if city is None:
        return not_found(request, lang, city_id)
    sub = queries.ego_network(store, city.id, depth=depth)
    return _network_response(render(ego_network(sub, centre=city.id, lang=lang), lang=lang))


@router.get("/network/geo", response_class=HTMLResponse)
def geo_network_page(request: Request, lang: LangParam = None,
                     country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None) -> HTMLResponse:
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    proj = projection(store_of(request))
    code = country.upper() if country else None
    edges = partnerships(proj, {code} if code else None)[:MAX_GEO_EDGES]
    ends = {end for e in edges for end in (e.src, e.dst)}
    marked = {i for i in ends if proj.country_of(i) == code}
    net = geo_network((proj.nodes[i] for i in ends if i in proj.nodes), edges, lang=lang, highlight=marked)
    return _network_response(render(net, lang=lang))


@router.get("/network/region/{region_id}", response_class=HTMLResponse)
def region_network(request: Request, region_id: str, lang: LangParam = None) -> HTMLResponse:
    """Countries of the region and their partner countries; edge width grows with the pair count."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    proj = projection(store_of(request))
    codes = {c.id for c in region_countries(proj, region_id)}
    weights: Counter[tuple[str, str]] = Counter()
    for e in partnerships(proj, codes):
        a, b = proj.country_of(e.src), proj.country_of(e.dst)
        if a and b and a != b:
            weights[tuple(sorted((a, b)))] += 1
    involved = {c for pair in weights for c in pair} | codes
    nodes = []
    for code in sorted(involved):
        node = proj.countries.get(code)
        label = display_name(node, lang) if node else code
        nodes.append({"id": code, "label": label, "title": f"{label} ({code})", "kind": "Country", "shape": "dot",
                      "color": KIND_COLOURS["City"] if code in codes else KIND_COLOURS["Country"],
                      "size": 18 if code in codes else 10})
    edges = [{"from": a, "to": b, "value": n, "title": str(n), "color": {"color": TIER_COLOURS["SISTER_CITY"], "opacity": 0.5}}
             for (a, b), n in weights.items()]
    return _network_response(render(graph_network(nodes, edges), lang=lang))


@router.get("/static/{name:path}")
def static(name: str) -> Response:
    """vis-network (from the installed pyvis package) and the UI stylesheet; nothing else."""
    path = STATIC_FILES.get(name)
    if path is None:
        return Response("not found", status_code=404, media_type="text/plain")
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"})
