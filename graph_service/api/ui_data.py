"""Read models behind the region page and the map view, over the analysis projection.

The projection (one store snapshot per revision, see ``graph_service.analysis.projection``) already
indexes partnerships by city and cities by country, so a page that needs every partnership of a
country or a region costs no query per city.

>>> from graph_service.store.sqlite import SQLiteStore
>>> from graph_service.model import Node, Edge
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="a", kind="City", name="A", country="CN"), Node(id="b", kind="City", name="B", country="TH")])
>>> _ = store.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY")])
>>> [e.id for e in partnerships(projection(store), {"TH"})]
['a|SISTER_CITY|b']
"""

from __future__ import annotations

from collections import Counter

from graph_service.analysis import Projection, projection
from graph_service.model import Edge, Node

__all__ = ["busiest_cities", "partnerships", "projection", "region_countries", "region_summary"]


def partnerships(proj: Projection, countries: set[str] | None = None) -> list[Edge]:
    """Partnership edges with at least one city in ``countries`` (every one for ``None``), each once."""
    if countries is None:
        homes = proj.ties.keys()
    else:
        homes = [c for cc in sorted(countries) for c in proj.cities_by_country.get(cc, [])]
    seen: dict[str, Edge] = {}
    for city in homes:
        for edge in proj.ties.get(city, {}).values():
            seen.setdefault(edge.id, edge)
    return sorted(seen.values(), key=lambda e: (proj.name(e.src), proj.name(e.dst)))


def region_countries(proj: Projection, region_id: str) -> list[Node]:
    """The region's member countries (IN_REGION edges, and ``continent`` for continents), by name."""
    members = proj.region_members.get(region_id, set())
    return sorted((proj.countries[cc] for cc in members if cc in proj.countries), key=lambda n: n.name)


def busiest_cities(proj: Projection, limit: int = 12) -> list[tuple[Node, int]]:
    """Cities with the most partners, for the home page."""
    counts = sorted(((len(p), c) for c, p in proj.ties.items() if c in proj.nodes), key=lambda x: (-x[0], proj.name(x[1])))
    return [(proj.nodes[c], n) for n, c in counts[:limit]]


def region_summary(proj: Projection, region_id: str) -> tuple[list[tuple[Node, int, int, Counter]], list[Edge]]:
    """Per member country: cities with partners, partnerships, and partnerships by the partner's
    continent (``?`` when unknown); busiest countries first. Also every partnership touching the region."""
    countries = region_countries(proj, region_id)
    codes = {c.id for c in countries}
    pairs = partnerships(proj, codes)
    by_continent: dict[str, Counter] = {code: Counter() for code in codes}
    cities: dict[str, set[str]] = {code: set() for code in codes}
    for e in pairs:
        for end, other in ((e.src, e.dst), (e.dst, e.src)):
            code = proj.country_of(end)
            if code in codes:
                cities[code].add(end)
                other_country = proj.countries.get(proj.country_of(other) or "")
                by_continent[code][other_country.continent if other_country and other_country.continent else "?"] += 1
    rows = [(c, len(cities[c.id]), sum(by_continent[c.id].values()), by_continent[c.id]) for c in countries]
    rows.sort(key=lambda r: (-r[2], r[0].name))
    return rows, pairs
