"""Partnerships seen by place: the busiest cities, a region's countries and pairs, the map of
partnerships (filtered by city, province, country, region, tier and status), and country-to-country
tie counts.

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
>>> [p.edge.id for p in partnership_map(store, MapFilter(country="TH")).pairs]
['a|SISTER_CITY|b']
>>> [p.edge.id for p in partnership_map(store, MapFilter(city="A", tier=Tier.FRIENDLY)).pairs]
[]
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graph_service.analysis import Projection, projection, province_cities
from graph_service.errors import NotFound
from graph_service.ingest.admin1_names import ADMIN1_NAMES, ADMIN1_NAMES_ZH
from graph_service.model import Edge, Node, NodeKind, Status, Tier
from graph_service.policy import policy_for
from graph_service.services.cities import resolve_city
from graph_service.store.base import GraphStore

HOME_COUNTRY = "CN"
"""Whose provinces the map's province picker offers until a country is chosen, when the policy names
no home country."""


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


@dataclass(frozen=True)
class MapFilter:
    """What the map shows: ties with an end in each place named (a city by id or name, a province or
    state by name, a country by ISO code, a region by id), of one tier and one status when given.

    Place filters combine: ``country="CN", region="continent:EU"`` is China's ties with Europe.
    """

    city: str | None = None
    province: str | None = None
    country: str | None = None
    region: str | None = None
    tier: Tier | None = None
    status: Status | None = None

    @property
    def places(self) -> bool:
        return any((self.city, self.province, self.country, self.region))


@dataclass
class FilteredMap:
    """The ties a ``MapFilter`` selects, what it resolved to, and what the pickers offer."""

    filter: MapFilter
    pairs: list[Pair]
    city: Node | None = None
    country: Node | None = None
    region: Node | None = None
    countries: list[Node] = field(default_factory=list)
    """The country picker: states and territories, never a part of the home country (policy)."""
    home: list[Node] = field(default_factory=list)
    """The home country and its domestic territories, offered together apart from the countries."""
    apart: list[Node] = field(default_factory=list)
    """Places with a code that the policy keeps out of the countries: no relations, territories, unknown."""
    regions: list[Node] = field(default_factory=list)
    provinces: list[tuple[str, str | None]] = field(default_factory=list)
    province: tuple[str, str | None] | None = None
    """The province filtered on, as stored and in Chinese where known: ("Guangxi", "广西壮族自治区")."""

    @property
    def cities(self) -> list[Node]:
        """Each city at either end of a tie, once."""
        return list({node.id: node for pair in self.pairs for node in (pair.a, pair.b)}.values())


def map_countries(proj: Projection, home_country: str | None = None
                  ) -> tuple[list[Node], list[Node], list[Node]]:
    """What the map's country picker offers under ``home_country``'s policy, by name: the countries its
    cities can partner with; apart from them the home country with its domestic territories (home country
    first); and, apart again, the places the policy keeps out of the countries (no diplomatic relations,
    dependent or disputed territories, codes it does not list such as a former country)."""
    policy = policy_for(home_country)
    nodes = sorted(proj.countries.nodes.values(), key=lambda n: n.name)
    home = sorted((n for n in nodes if n.id in policy.home_codes), key=lambda n: (n.id != policy.country, n.id))
    foreign = [n for n in nodes if n.id not in policy.home_codes]
    return ([n for n in foreign if policy.classify(n.id) == "eligible"], home,
            [n for n in foreign if policy.classify(n.id) != "eligible"])


def provinces_with_ties(proj: Projection, country: str) -> list[tuple[str, str | None]]:
    """Provinces or states of ``country`` that have a city with a tie (the province picker), by name:
    each as stored (``Guangxi``) with its Chinese name where there is one (广西壮族自治区)."""
    names = {node.admin1 for c in proj.cities.by_country.get(country, []) if proj.ties.by_city.get(c)
             and (node := proj.nodes[c]).admin1}
    return [(n, province_zh(n, country)) for n in sorted(n for n in names if n)]


def province_zh(name: str, country: str | None) -> str | None:
    """The Chinese name of a province or state stored as ``name`` (in ``country`` when given), or None.

    >>> province_zh("Guangxi", "CN")
    '广西壮族自治区'
    """
    for code, stored in ADMIN1_NAMES.items():
        if stored == name and (country is None or code.startswith(f"{country}.")) and code in ADMIN1_NAMES_ZH:
            return ADMIN1_NAMES_ZH[code]
    return None


def province_name(text: str, country: str | None = None) -> str:
    """A province as the data names it: a Chinese name (广西壮族自治区, or its start, 广西) becomes the
    stored English name; any other text is returned as it is.

    >>> province_name("广西"), province_name("Guangxi")
    ('Guangxi', 'Guangxi')
    """
    if len(text) >= 2:
        for code, zh in ADMIN1_NAMES_ZH.items():
            if zh.startswith(text) and (country is None or code.startswith(f"{country}.")) and code in ADMIN1_NAMES:
                return ADMIN1_NAMES[code]
    return text


def _province_side(proj: Projection, text: str, country: str | None, home_country: str | None
                   ) -> tuple[str, list[str], str | None]:
    """A province filter's stored name, its cities and its country. In ``country`` when that country has
    a province of the name; otherwise the province is one side of the ties and ``country`` the other
    (``province=Guangxi&country=VN``: Guangxi's ties with Vietnam), so it is looked up in the home
    country, then anywhere. ``NotFound`` when no country has it."""
    if country:
        for where in dict.fromkeys(w for w in (country, home_country) if w):
            stored = province_name(text, where)
            try:
                return stored, province_cities(proj, stored, where), where
            except NotFound:
                pass
    stored = province_name(text)
    return stored, province_cities(proj, stored), None


def _place_sets(proj: Projection, store: GraphStore, f: MapFilter, home_country: str | None = None
                ) -> tuple[list[set[str]], FilteredMap]:
    """One set of city ids per place filter, and the resolved places (``NotFound`` for an unknown one)."""
    found = FilteredMap(filter=f, pairs=[])
    sets: list[set[str]] = []
    if f.city:
        found.city = resolve_city(store, f.city)
        sets.append({found.city.id})
    if f.province:
        stored, cities, where = _province_side(proj, f.province, f.country, home_country or HOME_COUNTRY)
        sets.append(set(cities))
        found.province = (stored, province_zh(stored, where))
    if f.country:
        found.country = proj.countries.get(f.country)
        sets.append(set(proj.cities.by_country.get(f.country, [])))
    if f.region:
        region = proj.nodes.get(f.region)
        if region is None or region.kind is not NodeKind.REGION:
            raise NotFound(f"no region {f.region[:200]!r}")
        found.region = region
        members = proj.regions.members.get(f.region, set())
        sets.append({c for cc in members for c in proj.cities.by_country.get(cc, [])})
    return sets, found


def partnership_map(store: GraphStore, f: MapFilter, home_country: str | None = None) -> FilteredMap:
    """The ties ``f`` selects, each once, by the names of their cities; with the pickers' choices under
    ``home_country``'s policy (``map_countries``).

    Raises ``NotFound`` (or ``Ambiguous``, for a city name) when a named place does not exist.
    """
    proj = projection(store)
    sets, found = _place_sets(proj, store, f, home_country)
    if sets:
        smallest = min(sets, key=len)
        edges = {e.id: e for c in smallest for e in proj.ties.by_city.get(c, {}).values()}
        chosen = [e for e in edges.values() if all(e.src in s or e.dst in s for s in sets)]
    else:
        chosen = _partnerships(proj)
    if f.tier:
        chosen = [e for e in chosen if e.type is f.tier.edge_type]
    if f.status:
        chosen = [e for e in chosen if e.status is f.status]
    chosen.sort(key=lambda e: (proj.name(e.src), proj.name(e.dst)))
    found.pairs = _pairs(proj, chosen)
    return _with_pickers(proj, found, home_country)


def empty_map(store: GraphStore, f: MapFilter, home_country: str | None = None) -> FilteredMap:
    """No ties, only what the pickers offer: the page of a filter that named no known place."""
    return _with_pickers(projection(store), FilteredMap(filter=f, pairs=[]), home_country)


def _with_pickers(proj: Projection, found: FilteredMap, home_country: str | None) -> FilteredMap:
    found.countries, found.home, found.apart = map_countries(proj, home_country)
    found.regions = sorted((n for n in proj.nodes.values() if n.kind is NodeKind.REGION), key=lambda n: n.id)
    found.provinces = provinces_with_ties(proj, found.filter.country or home_country or HOME_COUNTRY)
    return found
