"""The analysis projection: one store revision as an ``nx.MultiDiGraph`` plus the indexes analysis needs.

Built from ``store.snapshot()`` and cached per store by ``store.revision()``, so it is rebuilt only
after a write. Every analysis function (gaps, suggestions, metrics) takes a ``Projection``; nothing
here talks to SQL or Cypher. The indexes are named parts:

- ``countries`` (``CountryIndex``): Country nodes, a dense position per country code, borders;
- ``regions`` (``RegionIndex``): which countries each region holds, and the regions of a country;
- ``cities`` (``CityIndex``): every City in id order, with per-city numpy arrays;
- ``ties`` (``TieIndex``): the partnerships (both tiers) per city and as arrays over city positions;
- ``geo`` (``CityGeoIndex``): cities with coordinates, for radius queries by city position.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> projection(store) is projection(store)
True
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import networkx as nx
import numpy as np
import numpy.typing as npt

from graph_service.analysis.geo import GeoIndex
from graph_service.model import PARTNERSHIP_TYPES, Edge, EdgeType, Node, NodeKind, Status, Subgraph, continent_region_id
from graph_service.store.base import GraphStore

T = TypeVar("T")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class CountryIndex:
    """Country nodes, and a dense position for every country code seen on a Country node or a city.

    ``position[cc]`` indexes per-country arrays (``TieIndex.country_shares``, the border matrix).
    """

    def __init__(self, nodes: dict[str, Node], city_codes: Iterable[str]):
        self.nodes = nodes
        self.codes: list[str] = sorted(set(city_codes) | set(nodes))
        self.position: dict[str, int] = {cc: i for i, cc in enumerate(self.codes)}
        self._borders: npt.NDArray[np.bool_] | None = None

    def __contains__(self, code: object) -> bool:
        return code in self.nodes

    def get(self, code: str | None) -> Node | None:
        return self.nodes.get(code) if code else None

    def bordering(self, countries: set[str]) -> set[str]:
        """Countries that border any of ``countries`` (Country ``neighbours``), minus those."""
        out: set[str] = set()
        for cc in countries:
            node = self.nodes.get(cc)
            if node is not None:
                out.update(node.neighbours)
        return out - countries

    def borders(self) -> npt.NDArray[np.bool_]:
        """Boolean country × country matrix of shared borders, by ``position``. Built once."""
        if self._borders is None:
            k = len(self.codes)
            matrix = np.zeros((k, k), dtype=bool)
            for cc, node in self.nodes.items():
                for other in node.neighbours:
                    if other in self.position:
                        matrix[self.position[cc], self.position[other]] = True
            self._borders = matrix
        return self._borders


class RegionIndex:
    """Region membership: IN_REGION edges, plus each Country's ``continent`` for continent regions."""

    def __init__(self, nodes: dict[str, Node], countries: dict[str, Node], edges: Iterable[Edge]):
        self.members: dict[str, set[str]] = defaultdict(set)
        for e in edges:
            if e.type is EdgeType.IN_REGION:
                self.members[e.dst].add(e.src)
        for cc, node in countries.items():
            if node.continent and continent_region_id(node.continent) in nodes:
                self.members[continent_region_id(node.continent)].add(cc)
        self.of_country: dict[str, list[str]] = defaultdict(list)
        for region, members in sorted(self.members.items()):
            for cc in members:
                self.of_country[cc].append(region)

    def regions_of(self, country: str | None) -> list[str]:
        return self.of_country.get(country, []) if country else []


class CityIndex:
    """Every City node in id order, with per-city arrays for vectorised scoring.

    ``country[i]`` is the position of city ``i``'s country in ``CountryIndex.codes`` (-1 unknown);
    ``by_country[cc]`` lists a country's city ids, largest population first.
    """

    def __init__(self, cities: list[Node], country_of: Callable[[str], str | None], countries: CountryIndex):
        cities = sorted(cities, key=lambda n: n.id)
        self.ids: list[str] = [n.id for n in cities]
        self.position: dict[str, int] = {cid: i for i, cid in enumerate(self.ids)}
        codes = [country_of(n.id) for n in cities]
        self.country: IntArray = np.array([countries.position.get(cc, -1) if cc else -1 for cc in codes],
                                          dtype=np.int64)
        self.population: FloatArray = np.array([n.population or 0 for n in cities], dtype=np.float64)
        self.lat: FloatArray = np.array([np.nan if n.lat is None else n.lat for n in cities], dtype=np.float64)
        self.lon: FloatArray = np.array([np.nan if n.lon is None else n.lon for n in cities], dtype=np.float64)
        by_country: dict[str, list[str]] = defaultdict(list)
        largest_first = sorted(zip(cities, codes, strict=True),
                               key=lambda p: (-(p[0].population or 0), p[0].name, p[0].id))
        for node, cc in largest_first:
            if cc:
                by_country[cc].append(node.id)
        self.by_country: dict[str, list[str]] = dict(by_country)

    def __len__(self) -> int:
        return len(self.ids)


class TieIndex:
    """The partnerships of every city (both tiers), as dicts and as arrays over city positions.

    Between one pair of cities a sister-city tie wins over a friendly-exchange tie. ``src``/``dst``
    hold every non-ended tie in both directions; ``adjacency[i]`` the partners of city ``i``.
    """

    def __init__(self, edges: Iterable[Edge], cities: CityIndex):
        by_city: dict[str, dict[str, Edge]] = defaultdict(dict)
        for e in edges:
            if e.type not in PARTNERSHIP_TYPES:
                continue
            for a, b in ((e.src, e.dst), (e.dst, e.src)):
                held = by_city[a].get(b)
                if held is None or (held.type is EdgeType.FRIENDLY_EXCHANGE and e.type is EdgeType.SISTER_CITY):
                    by_city[a][b] = e
        self.by_city: dict[str, dict[str, Edge]] = dict(by_city)
        self._live = {a: {b: e for b, e in ps.items() if e.status is not Status.ENDED}
                      for a, ps in self.by_city.items()}
        self._cities = cities
        n = len(cities)
        src, dst = [], []
        for a, partners in self._live.items():
            ia = cities.position.get(a)
            if ia is None:
                continue
            for b in partners:
                if b in cities.position:
                    src.append(ia)
                    dst.append(cities.position[b])
        self.src: IntArray = np.array(src, dtype=np.int64)
        self.dst: IntArray = np.array(dst, dtype=np.int64)
        self.degree: FloatArray = np.bincount(self.src, minlength=n).astype(np.float64)
        order = np.argsort(self.src, kind="stable")
        starts = np.searchsorted(self.src[order], np.arange(n + 1))
        sorted_dst = self.dst[order]
        self.adjacency: list[IntArray] = [sorted_dst[starts[i] : starts[i + 1]] for i in range(n)]
        self._per_country: dict[tuple[str | int, ...], FloatArray] = {}

    def partners(self, city_id: str, *, include_ended: bool = False) -> dict[str, Edge]:
        """The city's partners (both tiers) → the partnership edge. Treat the result as read-only."""
        return self.by_city.get(city_id, {}) if include_ended else self._live.get(city_id, {})

    def partner_counts_in(self, country: int) -> FloatArray:
        """For every city, how many of its (non-ended) partners lie in country position ``country``."""
        key = ("partners_in", country)
        if key not in self._per_country:
            mask = self._cities.country[self.dst] == country
            counts = np.bincount(self.src[mask], minlength=len(self._cities)).astype(np.float64)
            self._per_country[key] = counts
        return self._per_country[key]

    def country_shares(self, country: int, n_countries: int, domestic: tuple[int, ...] = ()) -> FloatArray:
        """Share of the foreign ties of country ``country``'s cities that go to each country position.

        Ties to the positions in ``domestic`` (parts of the home country with codes of their own) are
        not foreign and not counted."""
        key: tuple[str | int, ...] = ("shares", country, *domestic)
        if key not in self._per_country:
            src_c, dst_c = self._cities.country[self.src], self._cities.country[self.dst]
            mask = (src_c == country) & (dst_c != country) & (dst_c >= 0) & ~np.isin(dst_c, domestic)
            counts = np.bincount(dst_c[mask], minlength=n_countries).astype(np.float64)
            self._per_country[key] = counts / counts.sum() if counts.sum() else counts
        return self._per_country[key]


class CityGeoIndex(GeoIndex):
    """The geo index over cities with coordinates, addressed by city position, caching radius queries."""

    CACHE_SIZE = 8192

    def __init__(self, cities: CityIndex):
        located = ~np.isnan(cities.lat)
        rows = np.flatnonzero(located)
        super().__init__([cities.ids[i] for i in rows], cities.lat[located], cities.lon[located])
        self._cities = cities
        self._city_of_row: IntArray = rows
        self._cache: dict[tuple[int, float], tuple[IntArray, FloatArray]] = {}
        self._lock = threading.Lock()  # API threads share one projection

    def near(self, city: int, radius_km: float) -> tuple[IntArray, FloatArray]:
        """City positions within ``radius_km`` of city position ``city``, nearest first, and their km."""
        key = (city, radius_km)
        cached = self._cache.get(key)
        if cached is None:
            if np.isnan(self._cities.lat[city]):
                cached = (np.zeros(0, dtype=np.int64), np.zeros(0))
            else:
                lat, lon = float(self._cities.lat[city]), float(self._cities.lon[city])
                rows, dist = self.within_positions(lat, lon, radius_km)
                cached = (self._city_of_row[rows], dist)
            with self._lock:
                if len(self._cache) >= self.CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)), None)
                self._cache[key] = cached
        return cached


class Projection:
    """A read-only view of one store revision, with its indexes built once.

    ``graph`` holds every node (attributes ``kind``, ``name`` and ``record``, the ``Node``) and every
    edge (key ``Edge.id``; attributes ``type``, ``status``, ``date``, ``title``, ``field`` and
    ``record``, the ``Edge``). Full records instead of copied property dicts keep the build fast.
    """

    def __init__(self, sub: Subgraph, revision: int = 0):
        self.revision = revision
        self.nodes: dict[str, Node] = {n.id: n for n in sub.nodes}
        self.graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        self.graph.add_nodes_from((n.id, {"kind": n.kind.value, "name": n.name, "record": n}) for n in sub.nodes)
        # (u, v, key, attributes) tuples are how MultiDiGraph takes keyed edges; the stubs know only 2 and 3
        self.graph.add_edges_from((e.src, e.dst, e.id, _edge_attrs(e)) for e in sub.edges)  # type: ignore[misc]
        country_nodes = {n.id: n for n in sub.nodes if n.kind is NodeKind.COUNTRY}
        self._located_in: dict[str, str] = {}
        for e in sub.edges:
            if e.type is EdgeType.LOCATED_IN and e.dst in country_nodes:
                self._located_in.setdefault(e.src, e.dst)
        cities = [n for n in sub.nodes if n.kind is NodeKind.CITY]
        city_codes = {cc for n in cities if (cc := self.country_of(n.id))}
        self.countries = CountryIndex(country_nodes, city_codes)
        self.regions = RegionIndex(self.nodes, country_nodes, sub.edges)
        self.cities = CityIndex(cities, self.country_of, self.countries)
        self.ties = TieIndex(sub.edges, self.cities)
        self.geo = CityGeoIndex(self.cities)
        self._memo: dict[object, Any] = {}

    @classmethod
    def from_store(cls, store: GraphStore) -> Projection:
        revision = store.revision()
        return cls(store.snapshot(), revision)

    def country_of(self, node_id: str) -> str | None:
        """The ISO code of a node: its ``country`` property, else the country it is LOCATED_IN."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        return node.country or self._located_in.get(node_id)

    def name(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        return node.name if node else node_id

    def partners(self, city_id: str, *, include_ended: bool = False) -> dict[str, Edge]:
        """The city's partners (both tiers) → the partnership edge; see ``TieIndex.partners``."""
        return self.ties.partners(city_id, include_ended=include_ended)

    def out_edges(self, node_id: str) -> list[tuple[str, str]]:
        """``(target, edge type)`` of every edge leaving the node."""
        edges = cast(Iterable[tuple[str, str, str]], self.graph.out_edges(node_id, data="type"))
        return [(dst, kind) for _, dst, kind in edges]

    def in_edges(self, node_id: str) -> list[tuple[str, str]]:
        """``(source, edge type)`` of every edge arriving at the node."""
        edges = cast(Iterable[tuple[str, str, str]], self.graph.in_edges(node_id, data="type"))
        return [(src, kind) for src, _, kind in edges]

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """A value derived from this projection, built once per revision (projections are immutable)."""
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])


def _edge_attrs(e: Edge) -> dict[str, object]:
    return {
        "type": e.type.value, "status": e.status.value if e.status else None, "date": e.date, "title": e.title,
        "field": e.field.value if e.field else None, "record": e,
    }


_cache: weakref.WeakKeyDictionary[Any, Projection] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def projection(store: GraphStore) -> Projection:
    """The projection of ``store`` at its current revision; rebuilt only when the revision moved."""
    revision = store.revision()
    with _lock:
        held = _cache.get(store)
        if held is not None and held.revision == revision:
            return held
        built = Projection.from_store(store)
        _cache[store] = built
        return built
