"""pyvis builders for the three network pictures, and ``render`` with the project's own template.

- ``ego_network`` (in ``viz.ego``): a city and everything around it, partners of partners grouped.
- ``geo_network`` (in ``viz.geo``): the map, cities by longitude and latitude over the land.
- ``country_network``: countries and how many partnerships join each pair (the region page).

Nodes and edges are written straight into the pyvis ``Network`` (its ``add_edge`` scans every
edge for duplicates, quadratic on thousands of partnerships); ``generate_html()`` renders them.
Tooltips are plain strings: vis-network shows them with ``innerText``, so a name holding markup
stays text. The page template ``viz/templates/network.html`` is package data of ``viz``, read through
``importlib.resources``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FunctionLoader
from pyvis.network import Network

from graph_service.i18n import Lang, both_names, display_name, edge_label, kind_label, t
from graph_service.ingest.admin1_names import admin1_label
from graph_service.model import CityLevel, Edge, Node, NodeKind
from viz.styles import DEMO_COLOUR, TIER_COLOURS, edge_style, node_colour, node_style

TEMPLATE = "network.html"
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
"""vis-network as shipped inside the pyvis package: served by the app, or inlined."""
VIS_ASSETS = {"vis-network.min.js": VIS_DIR / "vis-network.min.js", "vis-network.css": VIS_DIR / "vis-network.css"}

GEO_SCALE = 4.0
"""Canvas units per degree in the geographic view (equirectangular)."""


def tooltip(node: Node, lang: Lang) -> str:
    """Plain-text tooltip: names, kind and country, population."""
    kind = t("province", lang) if node.level is CityLevel.PROVINCE else kind_label(node.kind.value, lang)
    where = " · ".join(x for x in (kind, node.country, admin1_label(node, lang)) if x)
    lines = [both_names(node), where]
    if node.population:
        lines.append(f"{t('population', lang)} {node.population:,}")
    if node.demo:
        lines.append(t("demo", lang))
    return "\n".join(lines)


def edge_tooltip(edge: Edge, lang: Lang) -> str:
    parts = [edge_label(edge.type.value, lang)]
    if edge.status:
        parts.append(t(edge.status.value, lang))
    if edge.since:
        parts.append(edge.since)
    if edge.field:
        parts.append(edge.field.value)
    if edge.title:
        parts.append(edge.title)
    if edge.demo:
        parts.append(t("demo_tie_title", lang))
    return " · ".join(parts)


def _node(node: Node, lang: Lang, **extra: Any) -> dict[str, Any]:
    return {
        "id": node.id,
        "label": display_name(node, lang),
        "title": tooltip(node, lang),
        "size": 14 if node.kind is NodeKind.CITY else 9,
        "kind": node.kind.value,
        "font": {"size": 14 if node.kind is NodeKind.CITY else 11,
                 "color": "#2d3436" if node.kind is NodeKind.CITY else "#636e72"},
        **node_style(node),
        **extra,
    }


def _edge(edge: Edge, lang: Lang) -> dict[str, Any]:
    """One edge row; an invented (demo) tie carries its own style and the label 示例 / demo on the line."""
    status = edge.status.value if edge.status else None
    row = {"from": edge.src, "to": edge.dst, "title": edge_tooltip(edge, lang), "type": edge.type.value,
           **edge_style(edge.type.value, status, demo=edge.demo)}
    if edge.demo:
        row |= {"demo": True, "label": t("demo_tie", lang),
                "font": {"size": 11, "color": DEMO_COLOUR, "strokeWidth": 3, "align": "middle"}}
    return row


def _network(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], options: dict[str, Any],
             height: str = "620px") -> Network:
    net = Network(height=height, width="100%", directed=False, bgcolor="#ffffff", cdn_resources="remote")
    net.path = TEMPLATE
    net.templateEnv = Environment(loader=FunctionLoader(_template_source))
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = edges
    net.options = options
    return net


def _template_source(name: str) -> str:
    """A template of ``viz/templates`` as text: jinja's loader over ``importlib.resources``."""
    return (files("viz") / "templates" / name).read_text(encoding="utf-8")


EDGE_RANK = {"SISTER_CITY": 0, "FRIENDLY_EXCHANGE": 1, "EXCHANGE": 2}


def one_edge_per_pair(edges: Iterable[Edge], lang: Lang) -> list[dict[str, Any]]:
    """Parallel edges drawn as one: the strongest real tie's style (sister city, friendly exchange,
    exchange, other; a demo record's only when all are), with every tie listed in the tooltip.
    Overlapping lines would blend colours."""
    pairs: dict[frozenset[str], list[Edge]] = {}
    for e in edges:
        pairs.setdefault(frozenset((e.src, e.dst)), []).append(e)
    rows = []
    for ties in pairs.values():
        ties.sort(key=lambda e: (e.demo, EDGE_RANK.get(e.type.value, 3)))  # a real tie's style first
        row = _edge(ties[0], lang)
        row["title"] = "\n".join(edge_tooltip(e, lang) for e in ties)
        rows.append(row)
    return rows


def country_network(countries: Mapping[str, Node], members: set[str], counts: Mapping[tuple[str, str], int],
                    lang: Lang = "en") -> Network:
    """Countries as dots (the region's ``members`` larger, in the city colour) and one edge per pair of
    countries whose width grows with the number of partnerships between them; force layout."""
    nodes = []
    for code in sorted(set(countries) | members):
        node = countries.get(code)
        name = display_name(node, lang) if node else code
        member = code in members
        nodes.append({"id": code, "label": name, "title": f"{name} ({code})", "kind": "Country", "shape": "dot",
                      "color": node_colour("City" if member else "Country"), "size": 18 if member else 10})
    colour = {"color": TIER_COLOURS["SISTER_CITY"], "opacity": 0.5}
    edges = [{"from": a, "to": b, "value": n, "title": str(n), "color": colour} for (a, b), n in sorted(counts.items())]
    options = {
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "edges": {"smooth": False},
    }
    return _network(nodes, edges, options)


def render(net: Network, *, asset_base: str = "/static/vis", link_base: str = "", lang: Lang = "en",
           nonce: str = "") -> str:
    """The network's HTML page via ``generate_html()`` and ``viz/templates/network.html``.

    ``asset_base`` is where the app serves vis-network (see ``VIS_ASSETS``); ``link_base`` prefixes
    city links (a double-click opens ``{link_base}/city/{id}``). ``nonce`` goes on the page's inline
    script, so a Content-Security-Policy with that nonce lets it run. Autoescaping is on: node data
    reaches the page only through ``tojson``, which escapes ``<``, ``>`` and ``&``.
    """
    env = net.templateEnv
    env.autoescape = True
    env.globals.update(asset_base=asset_base, link_base=link_base, lang=lang, nonce=nonce,
                       map=getattr(net, "map", None), groups=getattr(net, "groups", None))
    return net.generate_html(name="network.html")
