"""The map: cities at their longitude and latitude over Natural Earth's land, ties as great-circle arcs.

The page (``viz/templates/geo.html``) fetches the land outlines from the app (``LAND_URL``, the package
data file ``graph_service/resources/land_50m.json``) and draws them, then the arcs, in vis-network's
``beforeDrawing`` hook, which paints in network coordinates: land, arcs and cities pan and zoom
together. Cities sit at ``(map_x(lon), −lat × GEO_SCALE)`` with physics off.

- The map is centred on the Pacific, at ``CENTRAL_MERIDIAN`` (150° E) as world maps are drawn in
  China: China sits in the middle, its ties to the Americas cross the Pacific instead of leaving the
  right edge, and the map's edge runs through the Atlantic (30° W).

- Node size and label size follow the number of ties the city has on this map. Labels go to the
  busiest cities (and the ``highlight``-ed ones first) as long as they do not overlap at the current
  zoom; every city shows its name on hover.
- Each tie is a hidden vis-network edge that carries its style; the page draws it as a great-circle
  arc (split where it crosses the 180° meridian), so no straight line cuts across the map.

>>> from graph_service.model import Node, Edge
>>> a = Node(id="a", kind="City", name="Nanning", lat=22.8, lon=108.3)
>>> b = Node(id="b", kind="City", name="Los Angeles", lat=34.1, lon=-118.2)
>>> net = geo_network([a, b], [Edge(src="a", dst="b", type="SISTER_CITY")])
>>> [(n["id"], n["x"], n["y"]) for n in net.nodes]
[('a', -166.8, -91.2), ('b', 367.2, -136.4)]
>>> net.edges[0]["hidden"], net.edges[0]["tier"]
(True, 'SISTER_CITY')
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from pyvis.network import Network

from graph_service.i18n import Lang, t
from graph_service.model import Edge, Node
from viz.network import GEO_SCALE, _edge, _network, _node

CENTRAL_MERIDIAN = 150.0
"""The longitude in the middle of the map, as on the world maps printed in China."""
LAND_URL = "/static/geo/land_50m.json"
"""Where the app serves the land outlines (``graph_service.web.routes.static``)."""
LABELLED = 400
"""Cities that may carry a label without hovering: the busiest ones (``rank`` 0 is the busiest). The
page shows as many of them as fit without overlapping at the current zoom, busiest first, and more as
the planner zooms in (``declutter`` in ``geo.html``)."""
MAX_LABELS = 60
"""Labels shown at once, at most."""
GEO_TEMPLATE = "geo.html"
LAND_COLOUR = "#ebe4d2"
COAST_COLOUR = "#aaa188"
OCEAN_COLOUR = "#dce9f2"


def map_x(lon: float, centre: float = CENTRAL_MERIDIAN) -> float:
    """A longitude's x on the map: degrees east of the central meridian, within −180…180, scaled.

    >>> map_x(150.0), map_x(108.3), map_x(0.0), map_x(-118.25)
    (0.0, -166.8, -600.0, 367.0)
    """
    return round((((lon - centre) + 540.0) % 360.0 - 180.0) * GEO_SCALE, 4)


def importance_sizes(degree: int, most: int) -> tuple[float, int]:
    """A city's dot size and label size from its number of ties on the map (``most``: the largest).

    >>> importance_sizes(1, 100), importance_sizes(100, 100)
    ((3.48, 13), (9.0, 22))
    """
    share = math.log1p(degree) / math.log1p(max(most, 1))
    return round(2.5 + 6.5 * share, 2), round(11 + 11 * share)


def geo_network(nodes: Iterable[Node], edges: Iterable[Edge], lang: Lang = "en",
                highlight: Iterable[str] = (), labelled: int = LABELLED) -> Network:
    """Cities at (lon, −lat) over the land, with physics off; ties as arcs. Cities without
    coordinates are left out, with their ties. ``highlight``: cities always labelled and drawn in the
    accent colour (the city whose partners are shown, say)."""
    placed = {n.id: n for n in nodes if n.lat is not None and n.lon is not None}
    ties = [e for e in edges if e.src in placed and e.dst in placed]
    degree = Counter(end for e in ties for end in (e.src, e.dst))
    most = max(degree.values(), default=1)
    marked = set(highlight)
    ranked = sorted(placed, key=lambda c: (c not in marked, -degree[c], c))
    rank = {c: i for i, c in enumerate(ranked)}
    node_rows = []
    for n in placed.values():
        assert n.lat is not None and n.lon is not None
        size, font = importance_sizes(degree[n.id], most)
        row = _node(n, lang, x=map_x(n.lon), y=round(-n.lat * GEO_SCALE, 4), fixed=True,
                    physics=False, size=size * (1.6 if n.id in marked else 1), lon=n.lon, lat=n.lat,
                    font={"size": font, "color": "#1e272e", "strokeWidth": 3, "strokeColor": "#ffffff"},
                    title=_node(n, lang)["title"] + "\n" + t("ties_on_map", lang, n=degree[n.id]))
        if n.id in marked:
            row["color"] = "#b71c1c"
        name = row.pop("label")
        if rank[n.id] < labelled:
            row |= {"name": name, "rank": rank[n.id]}
        node_rows.append(row)
    opacity = 0.9 if len(ties) <= 400 else 0.45 if len(ties) <= 1000 else 0.28
    edge_rows = []
    for e in ties:
        row = _edge(e, lang)
        row |= {"hidden": True, "tier": e.type.value, "status": e.status.value if e.status else None,
                "width": 1.6 if e.type.value == "SISTER_CITY" else 1.2}
        row["color"] = row["color"] | {"opacity": min(row["color"].get("opacity", 0.9), opacity)}
        edge_rows.append(row)
    options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": False, "multiselect": False},
        "edges": {"smooth": False},
        "nodes": {"borderWidth": 0},
    }
    net = _network(node_rows, edge_rows, options, height="700px")
    net.path = GEO_TEMPLATE
    net.bgcolor = OCEAN_COLOUR
    net.map = {"scale": GEO_SCALE, "centre": CENTRAL_MERIDIAN, "land_url": LAND_URL, "land": LAND_COLOUR,
               "coast": COAST_COLOUR, "highlight": sorted(marked & placed.keys()), "max_labels": MAX_LABELS}
    return net
