"""Partnerships seen by place: the busiest cities, a region's countries and pairs, the map of a
country's partnerships, and country-to-country tie counts.

They read the analysis projection (one store snapshot per revision, see
``graph_service.analysis.projection``), which already indexes partnerships by city and cities by
country, so a page about a whole country or region costs no query per city.

``home_country`` chooses the home-country policy (``graph_service.policy``; the web pages pass the
office's country, ``Settings.home_country``): for China, Taiwan, Hong Kong and Macao are never listed
as countries. The map's picker offers them beside China under their official names, and a region's
page lists them apart (港澳台).

>>> from graph_service.store.sqlite import SQLiteStore
>>> from graph_service.model import Node, Edge
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="a", kind="City", name="A", country="CN"),
...                         Node(id="b", kind="City", name="B", country="TH")])
>>> _ = store.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY")])
>>> [p.edge.id for p in country_partnerships(store, "TH").pairs]
['a|SISTER_CITY|b']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph_service.analysis import Projection, projection
from graph_service.model import Edge, Node, NodeKind
from graph_service.policy import policy_for
from graph_service.store.base import GraphStore


@dataclass(frozen=True)
class Pair:
    """One partnership with both of its cities."""

    a: Node
    b: Node
    edge: Edge


@dataclass(frozen=True)
class CountryRow:
    """A member country of a region: cities with partners, partnerships, and partnerships by the
    partner's continent (``?`` when unknown)."""

    country: Node
    cities_with_partners: int
    partnerships: int
    by_continent: Counter[str]


@dataclass
class RegionOverview:
    region: Node
    countries: list[CountryRow]
    pairs: list[Pair]
    continents: list[str] = field(default_factory=list)
    domestic: list[CountryRow] = field(default_factory=list)
    """Rows of the home country's domestic territories in the region (港澳台), listed apart."""


@dataclass
class PartnershipMap:
    """Partnerships with a city in ``country`` (every one when None), their cities, and the countries
    a picker offers: ``countries`` (states and territories, never a part of the home country) and
    ``home`` (the home country and its domestic territories, offered together)."""

    country: Node | None
    pairs: list[Pair]
    countries: list[Node]
    home: list[Node] = field(default_factory=list)

    @property
    def cities(self) -> list[Node]:
        """Each city at either end of a pair, once."""
        seen: dict[str, Node] = {}
        for pair in self.pairs:
            seen.setdefault(pair.a.id, pair.a)
            seen.setdefault(pair.b.id, pair.b)
        return list(seen.values())


@dataclass(frozen=True)
class CountryLinks:
    """How many partnerships join each pair of countries, for a region's member countries."""

    members: list[str]
    countries: dict[str, Node]
    counts: dict[tuple[str, str], int]


def _partnerships(proj: Projection, countries: set[str] | None = None) -> list[Edge]:
    """Partnership edges with at least one city in ``countries`` (every one for None), each once."""
    if countries is None:
        homes = list(proj.ties.by_city)
    else:
        homes = [c for cc in sorted(countries) for c in proj.cities.by_country.get(cc, [])]
    seen: dict[str, Edge] = {}
    for city in homes:
        for edge in proj.ties.by_city.get(city, {}).values():
            seen.setdefault(edge.id, edge)
    return sorted(seen.values(), key=lambda e: (proj.name(e.src), proj.name(e.dst)))


def _pairs(proj: Projection, edges: list[Edge]) -> list[Pair]:
    return [Pair(proj.nodes[e.src], proj.nodes[e.dst], e) for e in edges]


def _region_countries(proj: Projection, region_id: str) -> list[Node]:
    members = proj.regions.members.get(region_id, set())
    return sorted((proj.countries.nodes[cc] for cc in members if cc in proj.countries), key=lambda n: n.name)


def _rows(proj: Projection, countries: list[Node]) -> tuple[list[CountryRow], list[Edge]]:
    codes = {c.id for c in countries}
    edges = _partnerships(proj, codes)
    by_continent: dict[str, Counter[str]] = {code: Counter() for code in codes}
    cities: dict[str, set[str]] = {code: set() for code in codes}
    for e in edges:
        for end, other in ((e.src, e.dst), (e.dst, e.src)):
            code = proj.country_of(end)
            if code in codes:
                cities[code].add(end)
                other_country = proj.countries.get(proj.country_of(other))
                by_continent[code][other_country.continent if other_country and other_country.continent else "?"] += 1
    rows = [CountryRow(c, len(cities[c.id]), sum(by_continent[c.id].values()), by_continent[c.id]) for c in countries]
    rows.sort(key=lambda r: (-r.partnerships, r.country.name))
    return rows, edges


def busiest_cities(store: GraphStore, limit: int = 12) -> list[tuple[Node, int]]:
    """Cities with the most partners, for the home page."""
    proj = projection(store)
    counts = sorted(((len(p), c) for c, p in proj.ties.by_city.items() if c in proj.nodes),
                    key=lambda x: (-x[0], proj.name(x[1])))
    return [(proj.nodes[c], n) for n, c in counts[:limit]]


def regions(store: GraphStore, limit: int = 100) -> list[Node]:
    """The Region nodes (continents and blocs), by id."""
    return sorted(store.find_nodes(kind=NodeKind.REGION, limit=limit), key=lambda n: n.id)


def region_overview(store: GraphStore, region: Node, home_country: str | None = None) -> RegionOverview:
    """Per member country: cities with partners, partnerships and partnerships by the partner's
    continent, busiest countries first; and every partnership touching the region. Domestic
    territories of ``home_country``'s policy get rows of their own, apart from the countries."""
    proj = projection(store)
    policy = policy_for(home_country)
    members = _region_countries(proj, region.id)
    rows, edges = _rows(proj, [c for c in members if policy.classify(c.id) != "domestic"])
    domestic, domestic_edges = _rows(proj, [c for c in members if policy.classify(c.id) == "domestic"])
    seen = {e.id for e in edges}
    edges += [e for e in domestic_edges if e.id not in seen]
    edges.sort(key=lambda e: (proj.name(e.src), proj.name(e.dst)))
    continents = sorted({k for r in (*rows, *domestic) for k in r.by_continent})
    return RegionOverview(region=region, countries=rows, pairs=_pairs(proj, edges), continents=continents,
                          domestic=domestic)


def country_partnerships(store: GraphStore, country: str | None = None, home_country: str | None = None
                         ) -> PartnershipMap:
    """Every partnership with a city in ``country`` (all of them for None), for the map view; the
    picker's countries under ``home_country``'s policy."""
    proj = projection(store)
    policy = policy_for(home_country)
    edges = _partnerships(proj, {country} if country else None)
    nodes = sorted(proj.countries.nodes.values(), key=lambda n: n.name)
    home = [n for n in nodes if n.id in policy.home_codes]
    home.sort(key=lambda n: (n.id != policy.country, n.id))
    return PartnershipMap(country=proj.countries.get(country), pairs=_pairs(proj, edges),
                          countries=[n for n in nodes if n.id not in policy.home_codes], home=home)


def region_country_links(store: GraphStore, region_id: str, home_country: str | None = None) -> CountryLinks:
    """Partnership counts between each member country of the region and every partner country.

    The domestic territories of ``home_country``'s policy are no countries: their ties are left out of
    this picture of country-to-country links (the region page lists them apart)."""
    proj = projection(store)
    policy = policy_for(home_country)
    members = {c.id for c in _region_countries(proj, region_id) if policy.classify(c.id) != "domestic"}
    counts: Counter[tuple[str, str]] = Counter()
    for e in _partnerships(proj, members):
        a, b = proj.country_of(e.src), proj.country_of(e.dst)
        if policy.classify(a) == "domestic" or policy.classify(b) == "domestic":
            continue
        if a and b and a != b:
            first, second = sorted((a, b))
            counts[(first, second)] += 1
    involved = {c for pair in counts for c in pair} | members
    return CountryLinks(members=sorted(members), counts=dict(counts),
                        countries={cc: node for cc in involved if (node := proj.countries.get(cc))})
