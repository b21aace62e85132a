"""The analysis projection: the whole store as an ``nx.MultiDiGraph`` plus the indexes analysis needs.

Built from ``store.snapshot()`` and cached per store by ``store.revision()``, so it is rebuilt only
after a write. Every analysis function (gaps, suggestions, metrics) reads a ``Projection``; nothing
here talks to SQL or Cypher.

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
from typing import TypeVar

import networkx as nx
import numpy as np

from graph_service.analysis.geo import GeoIndex
from graph_service.model import PARTNERSHIP_TYPES, Edge, EdgeType, Node, NodeKind, Status, Subgraph
from graph_service.store.base import GraphStore

T = TypeVar("T")
TIER_OF = {EdgeType.SISTER_CITY: "sister", EdgeType.FRIENDLY_EXCHANGE: "friendly"}


class Projection:
    """A read-only view of one store revision, with indexes built once.

    Attributes
    ----------
    graph : nx.MultiDiGraph
        Every node (attributes ``kind``, ``name`` and ``record``, the ``Node``) and every edge (key
        ``Edge.id``; attributes ``type``, ``status``, ``date``, ``title``, ``field`` and ``record``, the ``Edge``).
        Full records instead of copied property dicts keep the build fast on 45k nodes.
    nodes : dict[str, Node]
    geo : GeoIndex
        Cities with coordinates.
    city_ids, city_pos : the city index used by the numpy arrays below.
    country, population, lat, lon, degree : per-city arrays (country code as str, ``""`` if unknown).
    ties : dict[str, dict[str, Edge]]
        City → partner → the partnership edge (sister cities win over friendly exchange).
    """

    def __init__(self, sub: Subgraph, revision: int = 0):
        self.revision = revision
        self.nodes: dict[str, Node] = {n.id: n for n in sub.nodes}
        self.graph = nx.MultiDiGraph()
        self.graph.add_nodes_from((n.id, {"kind": n.kind.value, "name": n.name, "record": n}) for n in sub.nodes)
        self.graph.add_edges_from((e.src, e.dst, e.id, _edge_attrs(e)) for e in sub.edges)
        self.countries = {n.id: n for n in sub.nodes if n.kind is NodeKind.COUNTRY}
        self._index_places(sub.edges)
        self._index_cities()
        self._index_ties(sub.edges)
        self._affinity_cache: dict[object, np.ndarray] = {}
        self._memo: dict[object, object] = {}
        self._near_cache: dict[tuple[int, float], tuple[np.ndarray, np.ndarray]] = {}
        self._near_lock = threading.Lock()

    @classmethod
    def from_store(cls, store: GraphStore) -> Projection:
        revision = store.revision()
        return cls(store.snapshot(), revision)

    def _index_places(self, edges: Iterable[Edge]) -> None:
        located: dict[str, str] = {}
        self.region_members: dict[str, set[str]] = defaultdict(set)
        for e in edges:
            if e.type is EdgeType.IN_REGION:
                self.region_members[e.dst].add(e.src)
            elif e.type is EdgeType.LOCATED_IN and e.dst in self.countries:
                located.setdefault(e.src, e.dst)
        for cc, node in self.countries.items():
            if node.continent and f"continent:{node.continent}" in self.nodes:
                self.region_members[f"continent:{node.continent}"].add(cc)
        self.country_regions: dict[str, list[str]] = defaultdict(list)
        for region, members in sorted(self.region_members.items()):
            for cc in members:
                self.country_regions[cc].append(region)
        self._located_country = located

    def _index_cities(self) -> None:
        cities = [n for n in self.nodes.values() if n.kind is NodeKind.CITY]
        cities.sort(key=lambda n: n.id)
        self.city_ids = [n.id for n in cities]
        self.city_pos = {cid: i for i, cid in enumerate(self.city_ids)}
        self.country = np.array([self.country_of(n.id) or "" for n in cities], dtype=object)
        self.country_codes = sorted((set(self.country) | set(self.countries)) - {""})
        self.country_index = {cc: i for i, cc in enumerate(self.country_codes)}
        self.country_idx = np.array([self.country_index.get(cc, -1) for cc in self.country], dtype=np.int64)
        self.population = np.array([n.population or 0 for n in cities], dtype=np.float64)
        self.lat = np.array([np.nan if n.lat is None else n.lat for n in cities], dtype=np.float64)
        self.lon = np.array([np.nan if n.lon is None else n.lon for n in cities], dtype=np.float64)
        located = ~np.isnan(self.lat)
        self.geo = GeoIndex([c for c, ok in zip(self.city_ids, located) if ok], self.lat[located], self.lon[located])
        self.geo_city = np.flatnonzero(located)
        by_country: dict[str, list[str]] = defaultdict(list)
        for n in sorted(cities, key=lambda n: (-(n.population or 0), n.name, n.id)):
            cc = self.country_of(n.id)
            if cc:
                by_country[cc].append(n.id)
        self.cities_by_country = dict(by_country)

    def _index_ties(self, edges: Iterable[Edge]) -> None:
        self.ties: dict[str, dict[str, Edge]] = defaultdict(dict)
        for e in edges:
            if e.type not in PARTNERSHIP_TYPES:
                continue
            for a, b in ((e.src, e.dst), (e.dst, e.src)):
                held = self.ties[a].get(b)
                if held is None or (held.type is EdgeType.FRIENDLY_EXCHANGE and e.type is EdgeType.SISTER_CITY):
                    self.ties[a][b] = e
        self.ties = dict(self.ties)
        self._live = {a: {b: e for b, e in ps.items() if e.status is not Status.ENDED} for a, ps in self.ties.items()}
        n = len(self.city_ids)
        src, dst = [], []
        for a, partners in self.ties.items():
            ia = self.city_pos.get(a)
            if ia is None:
                continue
            for b, e in partners.items():
                if e.status is not Status.ENDED and b in self.city_pos:
                    src.append(ia)
                    dst.append(self.city_pos[b])
        self.tie_src = np.array(src, dtype=np.int64)
        self.tie_dst = np.array(dst, dtype=np.int64)
        self.degree = np.bincount(self.tie_src, minlength=n).astype(np.float64)
        order = np.argsort(self.tie_src, kind="stable")
        starts = np.searchsorted(self.tie_src[order], np.arange(n + 1))
        sorted_dst = self.tie_dst[order]
        self.adjacency = [sorted_dst[starts[i] : starts[i + 1]] for i in range(n)]

    def country_of(self, node_id: str) -> str | None:
        """The ISO code of a city: its ``country`` property, else its LOCATED_IN country."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        return node.country or self._located_country.get(node_id)

    def partners(self, city_id: str, *, include_ended: bool = False) -> dict[str, Edge]:
        """The city's partners (both tiers) → the partnership edge. Treat the result as read-only."""
        if include_ended:
            return dict(self.ties.get(city_id, {}))
        return self._live.get(city_id, {})

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """A value derived from this projection, built once per revision (projections are immutable)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def near(self, city: int, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """City indexes within ``radius_km`` of city index ``city`` and their distances; cached (LRU-ish)."""
        key = (city, radius_km)
        cached = self._near_cache.get(key)
        if cached is None:
            if np.isnan(self.lat[city]):
                cached = (np.zeros(0, dtype=np.int64), np.zeros(0))
            else:
                rows, dist = self.geo.within_positions(self.lat[city], self.lon[city], radius_km)
                cached = (self.geo_city[rows], dist)
            with self._near_lock:  # API threads share one projection
                if len(self._near_cache) >= 8192:
                    self._near_cache.pop(next(iter(self._near_cache)), None)
                self._near_cache[key] = cached
        return cached

    def bordering_countries(self, countries: set[str]) -> set[str]:
        """Countries that border any of ``countries`` (from the Country ``neighbours`` property), minus those."""
        out: set[str] = set()
        for cc in countries:
            node = self.countries.get(cc)
            if node is not None:
                out.update(node.neighbours)
        return out - countries

    def name(self, node_id: str) -> str:
        node = self.nodes.get(node_id)
        return node.name if node else node_id

    def country_partner_counts(self, country: int) -> np.ndarray:
        """For every city, how many of its (non-ended) partners lie in country index ``country``. Cached."""
        key = ("partners_in", country)
        cached = self._affinity_cache.get(key)
        if cached is None:
            mask = self.country_idx[self.tie_dst] == country
            cached = np.bincount(self.tie_src[mask], minlength=len(self.city_ids)).astype(np.float64)
            self._affinity_cache[key] = cached
        return cached

    def country_tie_shares(self, country: int) -> np.ndarray:
        """Share of the foreign ties of country index ``country``'s cities going to each country. Cached."""
        key = ("shares", country)
        cached = self._affinity_cache.get(key)
        if cached is None:
            src_c, dst_c = self.country_idx[self.tie_src], self.country_idx[self.tie_dst]
            mask = (src_c == country) & (dst_c != country) & (dst_c >= 0)
            counts = np.bincount(dst_c[mask], minlength=len(self.country_codes)).astype(np.float64)
            cached = counts / counts.sum() if counts.sum() else counts
            self._affinity_cache[key] = cached
        return cached

    def border_matrix(self) -> np.ndarray:
        """Boolean country × country matrix of shared borders (from Country ``neighbours``). Cached."""
        cached = self._affinity_cache.get("borders")
        if cached is None:
            k = len(self.country_codes)
            cached = np.zeros((k, k), dtype=bool)
            for cc, node in self.countries.items():
                for other in node.neighbours:
                    if other in self.country_index:
                        cached[self.country_index[cc], self.country_index[other]] = True
            self._affinity_cache["borders"] = cached
        return cached


def _edge_attrs(e: Edge) -> dict[str, object]:
    return {
        "type": e.type.value, "status": e.status.value if e.status else None, "date": e.date, "title": e.title,
        "field": e.field.value if e.field else None, "record": e,
    }


_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_fallback: dict[int, tuple[object, Projection]] = {}
_lock = threading.Lock()


def projection(store: GraphStore) -> Projection:
    """The projection of ``store`` at its current revision; rebuilt only when the revision moved."""
    revision = store.revision()
    with _lock:
        held = _cached(store)
        if held is not None and held.revision == revision:
            return held
        built = Projection.from_store(store)
        try:
            _cache[store] = built
        except TypeError:
            _fallback[id(store)] = (store, built)
        return built


def _cached(store: GraphStore) -> Projection | None:
    try:
        return _cache.get(store)
    except TypeError:
        held = _fallback.get(id(store))
        return held[1] if held and held[0] is store else None
