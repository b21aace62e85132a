"""The analysis projection: one store revision as the indexes analysis needs, kept current write by write.

Every analysis function (gaps, suggestions, metrics) takes a ``Projection``; nothing here talks to
SQL or Cypher. The indexes are named parts:

- ``nodes`` (``NodeTable``): every node by id, held as its stored JSON; a ``Node`` is made on demand;
- ``countries`` (``CountryIndex``): Country nodes, a dense position per country code, borders;
- ``regions`` (``RegionIndex``): which countries each region holds, and the regions of a country;
- ``cities`` (``CityIndex``): every City in id order, with per-city numpy arrays;
- ``ties`` (``TieIndex``): the partnerships (both tiers) per city and as arrays over city positions;
- ``geo`` (``CityGeoIndex``): cities with coordinates, for radius queries by city position;
- ``links`` (``LinkIndex``): every edge by id, and the edges leaving and reaching each node;
- ``graph``: the whole store as an ``nx.MultiDiGraph``, built only when asked for.

**Kept current, not rebuilt.** ``projection(store)`` holds one projection per store. When the
store's revision moves (a write in this process, in another API worker or in the CLI: all of them
bump the revision in the database), it asks the store's change feed (``changes_since``) which rows
changed and applies exactly those (``Projection.applied``), giving a new projection that shares
every untouched part with the old one. Readers holding the old one keep a consistent view; readers
arriving while a change is applied get the previous revision instead of waiting. A store without a
change feed, or one whose feed no longer reaches back (more than ``CHANGES_KEPT`` writes behind),
is rebuilt in a background thread while the previous revision keeps serving. Only the very first
build of a store is waited for.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> projection(store) is projection(store)
True
"""

from __future__ import annotations

import gc
import json
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import Any, TypeVar, cast

import networkx as nx
import numpy as np
import numpy.typing as npt

from graph_service.analysis.geo import GeoIndex
from graph_service.analysis.records import edge_fields, edge_record, node_record
from graph_service.memory import release_freed_memory
from graph_service.model import (
    PARTNERSHIP_TYPES,
    Edge,
    EdgeType,
    Node,
    NodeKind,
    Status,
    Subgraph,
    continent_region_id,
)
from graph_service.store.base import ChangeFeed, ChangeSet, EdgeRow, GraphStore, NodeRow, SnapshotRows

T = TypeVar("T")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_CITY, _COUNTRY, _REGION = NodeKind.CITY.value, NodeKind.COUNTRY.value, NodeKind.REGION.value
_PARTNERSHIP = frozenset(t.value for t in PARTNERSHIP_TYPES)
_LOCATED_IN, _IN_REGION = EdgeType.LOCATED_IN.value, EdgeType.IN_REGION.value


@contextmanager
def _gc_paused(freeze: bool) -> Iterator[None]:
    """No cyclic garbage collection while a build allocates its many small objects; after a whole
    build the survivors are frozen (moved out of the collector's generations), so later collections
    skip them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        if freeze:
            gc.freeze()


# -- records ------------------------------------------------------------------------------------
class NodeTable(Mapping[str, Node]):
    """Every node by id as stored: ``(id, kind, data)`` rows, plus each node's name.

    ``table[id]`` makes the ``Node`` from its JSON on first use and keeps the last few thousand, so
    the projection holds raw rows instead of one pydantic object per node.
    """

    CACHE_SIZE = 4096

    def __init__(self, rows: dict[str, NodeRow], names: dict[str, str]):
        self._rows = rows
        self._names = names
        self._cache: dict[str, Node] = {}

    def __getitem__(self, node_id: str) -> Node:
        node = self._cache.get(node_id)
        if node is None:
            node = node_record(self._rows[node_id][2])
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[node_id] = node
        return node

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def kind(self, node_id: str) -> str | None:
        """The node's kind (``"City"`` …), or None for an unknown id; no record is made."""
        row = self._rows.get(node_id)
        return row[1] if row else None

    def name(self, node_id: str) -> str | None:
        return self._names.get(node_id)

    def rows(self) -> Iterable[NodeRow]:
        return self._rows.values()

    def with_rows(self, changed: Mapping[str, NodeRow | None], names: Mapping[str, str]) -> NodeTable:
        """A new table with ``changed`` rows replaced (None: removed); untouched cached records carry over."""
        rows, all_names = dict(self._rows), dict(self._names)
        for node_id, row in changed.items():
            if row is None:
                rows.pop(node_id, None)
                all_names.pop(node_id, None)
            else:
                rows[node_id] = row
                all_names[node_id] = names[node_id]
        table = NodeTable(rows, all_names)
        table._cache = {k: v for k, v in self._cache.items() if k not in changed}
        return table


class Layered(Mapping[str, EdgeRow]):
    """A dict of rows plus a small layer of newer rows (None: removed) on top, so a write that changes
    a few edges does not copy tens of thousands of rows; the layer is merged down once it grows."""

    MERGE_AT = 2048

    def __init__(self, base: dict[str, EdgeRow], layer: dict[str, EdgeRow | None] | None = None):
        self._base, self._layer = base, layer or {}

    def __getitem__(self, key: str) -> EdgeRow:
        if key in self._layer:
            row = self._layer[key]
            if row is None:
                raise KeyError(key)
            return row
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        if key in self._layer:
            return self._layer[key] is not None
        return key in self._base

    def __iter__(self) -> Iterator[str]:
        yield from (k for k in self._base if k not in self._layer)
        yield from (k for k, row in self._layer.items() if row is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def with_changes(self, changes: dict[str, EdgeRow | None]) -> Layered:
        layer = {**self._layer, **changes}
        if len(layer) < self.MERGE_AT:
            return Layered(self._base, layer)
        base = dict(self._base)
        for key, row in layer.items():
            if row is None:
                base.pop(key, None)
            else:
                base[key] = row
        return Layered(base)


class LinkIndex:
    """Every edge by id as stored (``(id, src, dst, type, data)`` rows), and the ids of the edges leaving
    and reaching each node, in id order."""

    def __init__(self, rows: Mapping[str, EdgeRow], out: dict[str, list[str]], into: dict[str, list[str]]):
        self.rows = rows
        self.out = out
        self.into = into

    @classmethod
    def build(cls, rows: Iterable[EdgeRow]) -> LinkIndex:
        by_id: dict[str, EdgeRow] = {}
        out: dict[str, list[str]] = defaultdict(list)
        into: dict[str, list[str]] = defaultdict(list)
        for row in rows:  # in id order, so every list is in id order
            by_id[row[0]] = row
            out[row[1]].append(row[0])
            into[row[2]].append(row[0])
        return cls(Layered(by_id), dict(out), dict(into))

    def with_rows(self, removed: Iterable[EdgeRow], added: Iterable[EdgeRow]) -> LinkIndex:
        changes: dict[str, EdgeRow | None] = {row[0]: None for row in removed}
        changes.update((row[0], row) for row in added)
        rows = cast(Layered, self.rows).with_changes(changes)
        if {r[0] for r in removed} == {r[0] for r in added}:  # properties changed, no edge came or went
            return LinkIndex(rows, self.out, self.into)
        out, into = dict(self.out), dict(self.into)
        for lists, end in ((out, 1), (into, 2)):
            gone: dict[str, set[str]] = defaultdict(set)
            for row in removed:
                gone[row[end]].add(row[0])
            new: dict[str, list[str]] = defaultdict(list)
            for row in added:
                new[row[end]].append(row[0])
            for node in gone.keys() | new.keys():
                held = sorted([i for i in lists.get(node, []) if i not in gone[node]] + new[node])
                if held:
                    lists[node] = held
                else:
                    lists.pop(node, None)
        return LinkIndex(rows, out, into)

    def edges_of(self, node_id: str, direction: str = "out") -> list[EdgeRow]:
        """The rows of the edges leaving (``out``) or reaching (``in``) the node, in id order."""
        ids = (self.out if direction == "out" else self.into).get(node_id, [])
        return [self.rows[i] for i in ids]

    def record(self, edge_id: str) -> Edge:
        return edge_record(self.rows[edge_id][4])


# -- indexes ------------------------------------------------------------------------------------
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

    def __init__(self, regions: Container[str], countries: dict[str, Node], in_region: Iterable[tuple[str, str]]):
        self.members: dict[str, set[str]] = defaultdict(set)
        for country, region in in_region:
            self.members[region].add(country)
        for cc, node in countries.items():
            if node.continent and continent_region_id(node.continent) in regions:
                self.members[continent_region_id(node.continent)].add(cc)
        self.of_country: dict[str, list[str]] = defaultdict(list)
        for region, members in sorted(self.members.items()):
            for cc in members:
                self.of_country[cc].append(region)

    def regions_of(self, country: str | None) -> list[str]:
        return self.of_country.get(country, []) if country else []


class CityInfo:
    """What the city index keeps of one City node: its country (own or LOCATED_IN), population,
    coordinates, name and tags."""

    __slots__ = ("country", "lat", "lon", "name", "population", "tags")

    def __init__(self, country: str | None, fields: Mapping[str, Any]):
        self.country = country
        self.population: int = fields.get("population") or 0
        self.lat: float = np.nan if fields.get("lat") is None else fields["lat"]
        self.lon: float = np.nan if fields.get("lon") is None else fields["lon"]
        self.name: str = fields["name"]
        self.tags: tuple[str, ...] = tuple(fields.get("tags", ()))

    def sort_key(self, city_id: str) -> tuple[int, str, str]:
        """Largest first, then by name and id: the order of ``CityIndex.by_country``."""
        return (-self.population, self.name, city_id)

    def same(self, other: CityInfo) -> bool:
        return all(_equal(getattr(self, f), getattr(other, f)) for f in self.__slots__)


def _equal(a: object, b: object) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b))


class CityIndex:
    """Every City node in id order, with per-city arrays for vectorised scoring.

    ``country[i]`` is the position of city ``i``'s country in ``CountryIndex.codes`` (-1 unknown);
    ``by_country[cc]`` lists a country's city ids, largest population first; ``tags[id]`` holds the
    tags of the cities that have some.
    """

    def __init__(self, info: dict[str, CityInfo], countries: CountryIndex):
        self.info = info
        self.ids: list[str] = sorted(info)
        self.position: dict[str, int] = {cid: i for i, cid in enumerate(self.ids)}
        records = [info[cid] for cid in self.ids]
        self.country: IntArray = np.array([countries.position.get(r.country, -1) if r.country else -1
                                           for r in records], dtype=np.int64)
        self.population: FloatArray = np.array([r.population for r in records], dtype=np.float64)
        self.lat: FloatArray = np.array([r.lat for r in records], dtype=np.float64)
        self.lon: FloatArray = np.array([r.lon for r in records], dtype=np.float64)
        by_country: dict[str, list[str]] = defaultdict(list)
        for cid in sorted(info, key=lambda c: info[c].sort_key(c)):
            cc = info[cid].country
            if cc:
                by_country[cc].append(cid)
        self.by_country: dict[str, list[str]] = dict(by_country)
        self.tags: dict[str, tuple[str, ...]] = {cid: r.tags for cid, r in info.items() if r.tags}

    def __len__(self) -> int:
        return len(self.ids)

    def updated(self, changed: dict[str, CityInfo | None], countries: CountryIndex) -> CityIndex:
        """A new index with ``changed`` cities replaced (None: removed); same-position arrays are copied
        and patched, and the index is rebuilt only when cities come or go."""
        info = dict(self.info)
        for cid, record in changed.items():
            if record is None:
                info.pop(cid, None)
            else:
                info[cid] = record
        if set(info) != set(self.info):
            return CityIndex(info, countries)
        new = object.__new__(CityIndex)
        new.info, new.ids, new.position = info, self.ids, self.position
        new.country, new.population = self.country.copy(), self.population.copy()
        new.lat, new.lon = self.lat.copy(), self.lon.copy()
        new.by_country, new.tags = dict(self.by_country), dict(self.tags)
        touched: set[str] = set()
        for cid, record in changed.items():
            assert record is not None
            i, old = self.position[cid], self.info[cid]
            new.country[i] = countries.position.get(record.country, -1) if record.country else -1
            new.population[i], new.lat[i], new.lon[i] = record.population, record.lat, record.lon
            touched.update(cc for cc in (old.country, record.country) if cc)
            if record.tags:
                new.tags[cid] = record.tags
            else:
                new.tags.pop(cid, None)
        for cc in touched:
            members = [c for c in self.by_country.get(cc, []) if c not in changed]
            members += [c for c, r in changed.items() if r is not None and r.country == cc]
            if members:
                new.by_country[cc] = sorted(members, key=lambda c: info[c].sort_key(c))
            else:
                new.by_country.pop(cc, None)
        return new

    def recoded(self, countries: CountryIndex) -> CityIndex:
        """The same index with country positions taken from a new ``CountryIndex``."""
        new = object.__new__(CityIndex)
        new.__dict__.update(self.__dict__)
        new.country = np.array([countries.position.get(self.info[c].country or "", -1) for c in self.ids],
                               dtype=np.int64)
        return new


class Adjacency:
    """The partners of every city position as slices of one sorted array (CSR): ``adjacency[i]``."""

    def __init__(self, src: IntArray, dst: IntArray, n: int):
        self._starts = np.searchsorted(src, np.arange(n + 1))
        self._dst = dst

    def __getitem__(self, city: int | np.integer) -> IntArray:
        return self._dst[self._starts[city] : self._starts[city + 1]]

    def __len__(self) -> int:
        return len(self._starts) - 1

    def gather(self, cities: IntArray) -> tuple[IntArray, IntArray]:
        """The partners of all ``cities`` in one array (each city's in turn), and how many each has.

        >>> adjacency = Adjacency(np.array([0, 0, 1, 2]), np.array([1, 2, 0, 0]), 3)
        >>> [a.tolist() for a in adjacency.gather(np.array([2, 0]))]
        [[0, 1, 2], [1, 2]]
        """
        starts, ends = self._starts[cities], self._starts[np.asarray(cities) + 1]
        sizes = ends - starts
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
        return self._dst[offsets + np.arange(int(sizes.sum()))], sizes


class TieIndex:
    """The partnerships of every city (both tiers), as dicts and as arrays over city positions.

    Between one pair of cities a sister-city tie wins over a friendly-exchange tie (the first by id of
    the winning type). ``src``/``dst`` hold every non-ended tie in both directions, sorted by
    ``(src, dst)``; ``adjacency[i]`` the partners of city ``i`` in position order.
    """

    def __init__(self, by_city: dict[str, dict[str, Edge]], cities: CityIndex):
        self.by_city = by_city
        self._live = {a: live for a, ps in by_city.items()
                      if (live := {b: e for b, e in ps.items() if e.status is not Status.ENDED})}
        self._cities = cities
        position = cities.position
        pairs = [(position[a], position[b]) for a, ps in self._live.items() if a in position
                 for b in ps if b in position]
        self._set_arrays(np.array(pairs, dtype=np.int64).reshape(-1, 2))

    def _set_arrays(self, pairs: npt.NDArray[np.int64], ordered: bool = False) -> None:
        n = len(self._cities)
        if not ordered:
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        self.src: IntArray = np.ascontiguousarray(pairs[:, 0])
        self.dst: IntArray = np.ascontiguousarray(pairs[:, 1])
        self.degree: FloatArray = np.bincount(self.src, minlength=n).astype(np.float64)
        self.adjacency = Adjacency(self.src, self.dst, n)
        self._per_country: dict[tuple[str | int, ...], FloatArray] = {}

    def updated(self, pairs: dict[tuple[str, str], Edge | None], cities: CityIndex) -> TieIndex:
        """A new index with the tie of each pair ``(a, b)`` replaced (None: no tie left), on ``cities``
        (which may have new positions)."""
        new = object.__new__(TieIndex)
        new.by_city, new._live, new._cities = dict(self.by_city), dict(self._live), cities
        old_ids = self._cities.ids
        for (a, b), edge in pairs.items():
            for x, y in ((a, b), (b, a)):
                for table, keep in ((new.by_city, edge is not None),
                                    (new._live, edge is not None and edge.status is not Status.ENDED)):
                    held = dict(table.get(x, {}))
                    if keep:
                        held[y] = cast(Edge, edge)
                        held = dict(sorted(held.items()))
                    else:
                        held.pop(y, None)
                    if held:
                        table[x] = held
                    else:
                        table.pop(x, None)
        if cities.ids is old_ids and all(
                (b in self._live.get(a, {})) == (e is not None and e.status is not Status.ENDED)
                for (a, b), e in pairs.items()):
            # the same live pairs on the same positions (a status or date edit): keep the arrays, and
            # their per-country sums too where the cities' countries did not move
            new.src, new.dst, new.degree, new.adjacency = self.src, self.dst, self.degree, self.adjacency
            new._per_country = self._per_country if cities is self._cities else {}
            return new
        src, dst = self.src, self.dst
        if cities.ids is not old_ids:  # positions follow id order, so a remap keeps (src, dst) sorted
            remap = np.array([cities.position.get(c, -1) for c in old_ids], dtype=np.int64)
            src, dst = remap[src], remap[dst]
            kept = (src >= 0) & (dst >= 0)
            src, dst = src[kept], dst[kept]
        n = max(len(cities), 1)
        keys = src * n + dst  # sorted, as (src, dst) is
        position = cities.position
        touched = np.array([x * n + y for a, b in pairs if a in position and b in position
                            for x, y in ((position[a], position[b]), (position[b], position[a]))], dtype=np.int64)
        if len(touched):
            keys = keys[~np.isin(keys, touched)]
        added = np.sort(np.array([position[x] * n + position[y] for (a, b), e in pairs.items()
                                  if e is not None and e.status is not Status.ENDED and a in position and b in position
                                  for x, y in ((a, b), (b, a))], dtype=np.int64))
        keys = np.insert(keys, np.searchsorted(keys, added), added)
        new._set_arrays(np.stack([keys // n, keys % n], axis=1), ordered=True)
        return new

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
        self._cities = cities
        self._city_of_row: IntArray = rows
        self.lats = cities.lat[located]
        self.lons = cities.lon[located]
        self._by_lat = np.argsort(self.lats, kind="stable")
        self._sorted_lats = self.lats[self._by_lat]
        self._cache: dict[tuple[int, float], tuple[IntArray, FloatArray]] = {}
        self._lock = threading.Lock()  # API threads share one projection

    @cached_property
    def ids(self) -> list[str]:  # type: ignore[override]
        return [self._cities.ids[i] for i in self._city_of_row]

    @cached_property
    def position(self) -> dict[str, int]:  # type: ignore[override]
        return {node_id: i for i, node_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self._city_of_row)

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


# -- the projection -----------------------------------------------------------------------------
class Projection:
    """A read-only view of one store revision, with its indexes.

    Build one with ``Projection.from_rows`` (stored rows) or ``Projection(subgraph)`` (records);
    ``applied(change)`` gives the next revision's projection from a ``ChangeSet``.
    """

    def __init__(self, sub: Subgraph | None = None, revision: int = 0):
        rows = SnapshotRows(revision, [], [])
        if sub is not None:
            rows.nodes = sorted((n.id, n.kind.value, _dumps(n.props())) for n in sub.nodes)
            rows.edges = sorted((e.id, e.src, e.dst, e.type.value, _dumps(e.props())) for e in sub.edges)
        self._build(rows)

    @classmethod
    def from_rows(cls, rows: SnapshotRows) -> Projection:
        proj = object.__new__(cls)
        proj._build(rows)
        return proj

    @classmethod
    def from_store(cls, store: GraphStore) -> Projection:
        built = cls.from_rows(snapshot_rows(store))
        release_freed_memory()  # the rows and the build's scratch arrays
        return built

    def _build(self, rows: SnapshotRows) -> None:
        with _gc_paused(freeze=True):
            self.revision = rows.revision
            names: dict[str, str] = {}
            self.nodes = NodeTable({r[0]: r for r in rows.nodes}, names)
            self.links = LinkIndex.build(rows.edges)
            self._located: dict[str, dict[str, str]] = defaultdict(dict)
            self._in_region: set[tuple[str, str]] = set()
            self._pair_edges: dict[tuple[str, str], dict[str, Edge]] = defaultdict(dict)
            for row in rows.edges:
                self._index_edge(row, self.nodes)
            self._located, self._pair_edges = dict(self._located), dict(self._pair_edges)
            info: dict[str, CityInfo] = {}
            self._country_nodes = {}
            for node_id, kind, data in rows.nodes:  # one parsed record at a time: a low peak
                fields = json.loads(data)
                names[node_id] = fields["name"]
                if kind == _CITY:
                    info[node_id] = CityInfo(fields.get("country") or self._first_located(node_id), fields)
                elif kind == _COUNTRY:
                    self._country_nodes[node_id] = node_record(data)
            self._code_counts = Counter(r.country for r in info.values() if r.country)
            self.countries = CountryIndex(self._country_nodes, self._code_counts)
            self.regions = self._region_index()
            self.cities = CityIndex(info, self.countries)
            by_city: dict[str, dict[str, Edge]] = defaultdict(dict)
            for (a, b), edges in self._pair_edges.items():
                winner = _winner(edges)
                by_city[a][b] = by_city[b][a] = winner
            self.ties = TieIndex({a: dict(sorted(ps.items())) for a, ps in sorted(by_city.items())}, self.cities)
            self.geo = CityGeoIndex(self.cities)
            self._memo: dict[object, Any] = {}

    def _index_edge(self, row: EdgeRow, nodes: NodeTable) -> None:
        edge_id, src, dst, kind, data = row
        if kind in _PARTNERSHIP:
            self._pair_edges[(src, dst)][edge_id] = edge_record(data)
        elif kind == _LOCATED_IN and nodes.kind(dst) == _COUNTRY:
            self._located.setdefault(src, {})[edge_id] = dst
        elif kind == _IN_REGION:
            self._in_region.add((src, dst))

    def _first_located(self, node_id: str) -> str | None:
        located = self._located.get(node_id)
        return located[min(located)] if located else None

    def _region_index(self) -> RegionIndex:
        return RegionIndex(self.nodes, self._country_nodes, self._in_region)

    # -- applying a change ---------------------------------------------------------------------
    def applied(self, change: ChangeSet) -> Projection:
        """The projection of ``change.revision``: this one with the changed rows applied. This one
        is left as it was, for readers still using it."""
        if change.reset:
            base = Projection.from_rows(SnapshotRows(self.revision, [], []))
            change = ChangeSet(change.revision, False, change.nodes, change.edges)
            return base.applied(change)
        with _gc_paused(freeze=False):
            return self._applied(change)

    def _applied(self, change: ChangeSet) -> Projection:
        new = object.__new__(Projection)
        new.revision = change.revision
        old_edges = [self.links.rows[i] for i in change.edges if i in self.links.rows]
        new_edges = [row for row in change.edges.values() if row is not None]
        node_fields = {i: json.loads(row[2]) for i, row in change.nodes.items() if row is not None}
        new.nodes = self.nodes.with_rows(change.nodes, {i: f["name"] for i, f in node_fields.items()}) \
            if change.nodes else self.nodes
        new.links = self.links.with_rows(old_edges, new_edges) if change.edges else self.links
        kinds = {row[3] for row in (*old_edges, *new_edges)}
        new._located = dict(self._located) if _LOCATED_IN in kinds else self._located
        new._in_region = set(self._in_region) if _IN_REGION in kinds else self._in_region
        new._pair_edges = dict(self._pair_edges) if kinds & _PARTNERSHIP else self._pair_edges
        located_changed: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for row in old_edges:
            edge_id, src, dst, kind, _ = row
            if kind in _PARTNERSHIP:
                held = {k: v for k, v in new._pair_edges[(src, dst)].items() if k != edge_id}
                new._pair_edges[(src, dst)] = held
                pairs.add((src, dst))
            elif kind == _LOCATED_IN and src in new._located and edge_id in new._located[src]:
                held_cc = {k: v for k, v in new._located[src].items() if k != edge_id}
                new._located[src] = held_cc
                located_changed.add(src)
            elif kind == _IN_REGION:
                new._in_region.discard((src, dst))
        for row in new_edges:
            edge_id, src, dst, kind, data = row
            if kind in _PARTNERSHIP:
                new._pair_edges[(src, dst)] = {**new._pair_edges.get((src, dst), {}), edge_id: edge_record(data)}
                pairs.add((src, dst))
            elif kind == _LOCATED_IN and new.nodes.kind(dst) == _COUNTRY:
                new._located[src] = {**new._located.get(src, {}), edge_id: dst}
                located_changed.add(src)
            elif kind == _IN_REGION:
                new._in_region.add((src, dst))
        for pair in [k for k in pairs if not new._pair_edges.get(k)]:
            new._pair_edges.pop(pair, None)
        for node in [k for k in located_changed if not new._located.get(k)]:
            new._located.pop(node, None)

        cities: dict[str, CityInfo | None] = {}
        for node_id in set(change.nodes) | located_changed:
            if new.nodes.kind(node_id) != _CITY:
                if node_id in self.cities.info:
                    cities[node_id] = None
            else:
                fields = node_fields.get(node_id) or json.loads(new.nodes._rows[node_id][2])
                record = CityInfo(fields.get("country") or new._first_located(node_id), fields)
                old = self.cities.info.get(node_id)
                if old is None or not old.same(record):
                    cities[node_id] = record
        new._country_nodes = dict(self._country_nodes)
        country_nodes_changed = False
        for node_id, node_row in change.nodes.items():
            if node_row is not None and node_row[1] == _COUNTRY:
                new._country_nodes[node_id] = node_record(node_row[2])
                country_nodes_changed = True
            elif node_id in new._country_nodes:
                del new._country_nodes[node_id]
                country_nodes_changed = True
        continents_changed = any(i.startswith("continent:") for i in change.nodes)

        new._code_counts = self._code_counts
        if cities:
            new._code_counts = Counter(self._code_counts)
            for cid, changed_city in cities.items():
                old_city = self.cities.info.get(cid)
                if old_city is not None and old_city.country:
                    new._code_counts[old_city.country] -= 1
                if changed_city is not None and changed_city.country:
                    new._code_counts[changed_city.country] += 1
            new._code_counts = +new._code_counts  # drop the codes no city has any more
        codes = list(new._code_counts)
        if country_nodes_changed or sorted(set(codes) | set(new._country_nodes)) != self.countries.codes:
            new.countries = CountryIndex(new._country_nodes, codes)
        else:
            new.countries = self.countries
        if country_nodes_changed or continents_changed or new._in_region != self._in_region:
            new.regions = new._region_index()
        else:
            new.regions = self.regions
        city_index = self.cities if not cities else self.cities.updated(cities, new.countries)
        if new.countries.codes != self.countries.codes and city_index.ids is self.cities.ids:
            city_index = city_index.recoded(new.countries)
        new.cities = city_index
        tie_changes = {pair: (_winner(new._pair_edges[pair]) if pair in new._pair_edges else None) for pair in pairs}
        if tie_changes or new.cities is not self.cities:
            new.ties = self.ties.updated(tie_changes, new.cities)
        else:
            new.ties = self.ties
        moved = new.cities.ids is not self.cities.ids or any(
            cid in self.cities.info and not (_equal(r.lat, self.cities.info[cid].lat)
                                             and _equal(r.lon, self.cities.info[cid].lon))
            for cid, r in cities.items() if r is not None)
        new.geo = CityGeoIndex(new.cities) if moved else self.geo
        new._memo = {}
        if (new.cities is self.cities and new.countries is self.countries and new.regions is self.regions
                and new.ties.src is self.ties.src):
            # the same cities, countries and live ties (a status or date edit, a note, an exchange): every
            # memo (peer coverage, peer partners, standings, PageRank, communities) is built from those only
            new._memo = dict(self._memo)
        elif new.cities is self.cities:  # a country's peer partners stand while none of its cities' ties moved
            moved_countries = {self.cities.info[c].country for pair in pairs for c in pair if c in self.cities.info}
            new._memo = {key: value for key, value in self._memo.items()
                         if isinstance(key, tuple) and key[0] == "peer_partners" and key[1] not in moved_countries}
        return new

    # -- reading -------------------------------------------------------------------------------
    def country_of(self, node_id: str) -> str | None:
        """The ISO code of a node: its ``country`` property, else the country it is LOCATED_IN."""
        if node_id in self.cities.info:
            return self.cities.info[node_id].country
        if node_id not in self.nodes:
            return None
        return self.nodes[node_id].country or self._first_located(node_id)

    def name(self, node_id: str) -> str:
        return self.nodes.name(node_id) or node_id

    def partners(self, city_id: str, *, include_ended: bool = False) -> dict[str, Edge]:
        """The city's partners (both tiers) → the partnership edge; see ``TieIndex.partners``."""
        return self.ties.partners(city_id, include_ended=include_ended)

    def out_edges(self, node_id: str) -> list[tuple[str, str]]:
        """``(target, edge type)`` of every edge leaving the node."""
        return [(row[2], row[3]) for row in self.links.edges_of(node_id, "out")]

    def in_edges(self, node_id: str) -> list[tuple[str, str]]:
        """``(source, edge type)`` of every edge arriving at the node."""
        return [(row[1], row[3]) for row in self.links.edges_of(node_id, "in")]

    def edge_data(self, node_id: str, direction: str = "out") -> list[tuple[str, dict[str, Any]]]:
        """``(other end, stored properties)`` of every edge leaving (``out``) or reaching (``in``) the node."""
        end = 2 if direction == "out" else 1
        return [(row[end], edge_fields(row[4])) for row in self.links.edges_of(node_id, direction)]

    def exchanges(self) -> list[tuple[str, str, dict[str, Any]]]:
        """``(src, dst, stored properties)`` of every EXCHANGE edge."""
        return [(row[1], row[2], edge_fields(row[4])) for row in self.links.rows.values()
                if row[3] == EdgeType.EXCHANGE.value]

    @cached_property
    def graph(self) -> nx.MultiDiGraph[str]:
        """Every node (attributes ``kind``, ``name``, ``record``) and edge (key ``Edge.id``; ``type``,
        ``status``, ``date``, ``title``, ``field``, ``record``) as an ``nx.MultiDiGraph``. Built on first
        use, for callers that want networkx; analysis itself reads the indexes."""
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        graph.add_nodes_from((i, {"kind": row[1], "name": self.name(i), "record": self.nodes[i]})
                             for i, row in self.nodes._rows.items())
        for edge_id, src, dst, _, data in self.links.rows.values():
            e = edge_record(data)
            graph.add_edge(src, dst, key=edge_id, type=e.type.value, status=e.status.value if e.status else None,
                           date=e.date, title=e.title, field=e.field.value if e.field else None, record=e)
        return graph

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """A value derived from this projection, built once per revision (projections are immutable)."""
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])


def _winner(edges: dict[str, Edge]) -> Edge:
    """The tie that stands for a pair: the first sister-city edge by id, else the first friendly one."""
    ordered = sorted(edges.items())
    return next((e for _, e in ordered if e.type is EdgeType.SISTER_CITY), ordered[0][1])


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def snapshot_rows(store: GraphStore) -> SnapshotRows:
    """The store's rows: raw from a ``ChangeFeed`` store, otherwise from its records."""
    if isinstance(store, ChangeFeed):
        return store.snapshot_rows()
    revision = store.revision()
    sub = store.snapshot()
    return SnapshotRows(
        revision,
        sorted((n.id, n.kind.value, _dumps(n.props())) for n in sub.nodes),
        sorted((e.id, e.src, e.dst, e.type.value, _dumps(e.props())) for e in sub.edges),
    )


# -- the cache ----------------------------------------------------------------------------------
class _Held:
    """One store's current projection, and whether a thread is bringing it up to date."""

    def __init__(self) -> None:
        self.projection: Projection | None = None
        self.busy = threading.Lock()


_cache: weakref.WeakKeyDictionary[Any, _Held] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def projection(store: GraphStore) -> Projection:
    """The projection of ``store``: at its current revision, or the previous one while another thread
    is applying the newest writes (or rebuilding in the background); see the module docstring."""
    revision = store.revision()
    with _cache_lock:
        held = _cache.get(store)
        if held is None:
            held = _cache[store] = _Held()
    current = held.projection
    if current is not None and current.revision == revision:
        return current
    if current is None:
        with held.busy:  # the first build: nothing to serve meanwhile
            if held.projection is None:
                held.projection = Projection.from_store(store)
            return held.projection
    if not held.busy.acquire(blocking=False):
        return current  # someone is applying the newest writes; serve the previous revision
    handed_over = False
    try:
        current = cast(Projection, held.projection)
        if current.revision == store.revision():
            return current
        change = store.changes_since(current.revision) if isinstance(store, ChangeFeed) else None
        if change is None:
            threading.Thread(target=_rebuild, args=(store, held), daemon=True, name="projection-rebuild").start()
            handed_over = True  # the thread releases ``busy`` once the rebuild is in place
            return current
        held.projection = current.applied(change)
        return held.projection
    finally:
        if not handed_over:
            held.busy.release()


def held_revision(store: GraphStore) -> int | None:
    """The revision of the projection held for ``store`` (None before its first build); builds nothing."""
    held = _cache.get(store)
    return held.projection.revision if held is not None and held.projection is not None else None


def _rebuild(store: GraphStore, held: _Held) -> None:
    try:
        held.projection = Projection.from_store(store)
    finally:
        held.busy.release()
