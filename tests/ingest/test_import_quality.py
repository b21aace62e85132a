"""Data quality on ``import pairs`` (issue 9): coordinates outside the stated country are reported per
row and never stored; province-level partners become province nodes; a name matching cities in
different provinces is not merged without coordinates. Small files with known answers, then the
shared pairs file (acceptance 4)."""

from __future__ import annotations

import json

import pytest

from graph_service.analysis import projection, suggest
from graph_service.ingest.pairs import import_pairs
from graph_service.ingest.placement import locator
from graph_service.model import CityLevel, EdgeType, Node, NodeKind
from graph_service.services import analysis
from graph_service.store.sqlite import SQLiteStore
from tests.conftest import run_cli

HEADER = "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b"
CADIZ_SAN_FERNANDO = Node(id="geonames:2511388", kind="City", name="San Fernando", country="ES", lat=36.4759,
                          lon=-6.19817, admin1="Andalusia")
TAIZHOUS = [Node(id="geonames:1793505", kind="City", name="Taizhou", country="CN", lat=32.49, lon=119.91,
                 admin1="Jiangsu"),
            Node(id="geonames:1793511", kind="City", name="Taizhou", country="CN", lat=28.66, lon=121.42,
                 admin1="Zhejiang")]


@pytest.fixture
def store():
    store = SQLiteStore(":memory:")
    store.upsert_nodes([CADIZ_SAN_FERNANDO, *TAIZHOUS])
    yield store
    store.close()


def rows(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines, ""]).encode()


def test_coordinates_in_another_country_are_reported_and_the_city_fixed_from_its_namesake(store):
    report = import_pairs(store, rows("San Fernando,ES,34.2872,-118.4389,Colima,MX,19.24,-103.73"))
    [outside] = report.coordinates_outside
    assert (outside.row, outside.name, outside.country, outside.found_in, outside.action) == \
        (2, "San Fernando", "ES", "US", "fixed")
    assert outside.city == CADIZ_SAN_FERNANDO.id and outside.km_from_country > 8000
    node = store.get_node(CADIZ_SAN_FERNANDO.id)
    assert (node.lat, node.lon) == (CADIZ_SAN_FERNANDO.lat, CADIZ_SAN_FERNANDO.lon)
    assert report.coordinates_outside_count == 1 and report.rows_imported == 1


def test_coordinates_in_another_country_without_a_namesake_are_quarantined(store):
    text = rows("Newburgh,GB,41.5034,-74.0104,Colima,MX,19.24,-103.73")
    report = import_pairs(store, text)
    [outside] = report.coordinates_outside
    assert (outside.found_in, outside.action) == ("US", "quarantined")
    node = store.get_node(outside.city)
    assert (node.country, node.lat, node.lon) == ("GB", None, None)
    assert (node.attrs["quarantined_lat"], node.attrs["quarantined_lon"]) == (41.5034, -74.0104)
    revision = store.revision()
    again = import_pairs(store, text)
    assert again.nodes_created == again.edges_created == 0 and store.revision() == revision
    assert again.coordinates_outside[0].city == outside.city


def test_a_point_near_a_border_or_in_a_remote_part_of_its_country_is_not_outside():
    assert locator().outside("AU", -29.96, 146.86) is None  # Brewarrina, 300 km from any town of 15,000
    assert locator().outside("FR", 43.70, 7.42) is None      # Nice, beside Monaco
    assert locator().outside("TK", 32.0, 130.0) is None      # no GeoNames city of Tokelau to judge by


def test_province_level_partners_become_one_province_node(store):
    report = import_pairs(store, rows(
        "Guangxi,CN,23.6,108.3,Newport,GB,51.58,-3.0",
        "Guangxi Zhuang Autonomous Region,CN,24.0,109.0,Ho Chi Minh City,VN,10.82,106.63",
        "Nanning,CN,22.82,108.32,Khon Kaen,TH,16.43,102.83",
    ))
    assert report.provinces == 1 and report.rows_imported == 3
    province = store.get_node("province:cn:guangxi")
    assert (province.level, province.name, province.name_zh, province.lat) == \
        (CityLevel.PROVINCE, "Guangxi", "广西壮族自治区", None)
    assert "Guangxi Zhuang Autonomous Region" in province.alt_names
    partners = store.neighbourhood(province.id, 1, [EdgeType.SISTER_CITY])
    assert {n.name for n in partners.nodes} == {"Guangxi", "Newport", "Ho Chi Minh City"}
    located = store.neighbourhood(province.id, 1, [EdgeType.LOCATED_IN])
    assert "CN" in {n.id for n in located.nodes}


def test_gaps_of_a_province_count_its_own_ties(store):
    import_pairs(store, rows("Guangxi,CN,23.6,108.3,Newport,GB,51.58,-3.0",
                             "Guangxi Zhuang Autonomous Region,CN,24.0,109.0,Ho Chi Minh City,VN,10.82,106.63"))
    report = analysis.province_gaps(store, "Guangxi", by="country")
    assert report.city.members == ["province:cn:guangxi"]
    assert sorted(p.name for g in report.groups for p in g.partners) == ["Ho Chi Minh City", "Newport"]


def test_the_demo_scenario_and_an_import_share_one_guangxi(tmp_path):
    """The seed's Guangxi and the pairs file's are one province node, in either order (finding F14)."""
    from graph_service.ingest.seed import load_seed

    for order in ("seed first", "import first"):
        store = SQLiteStore(tmp_path / f"{order}.db")
        if order == "seed first":
            load_seed(store)
        import_pairs(store, rows("Guangxi,CN,,,Newport,GB,51.58,-3.0"))
        if order == "import first":
            load_seed(store)
        guangxi = [n.id for n in store.find_nodes(None, kind=NodeKind.CITY, limit=100_000)
                   if n.level is CityLevel.PROVINCE and n.country == "CN" and n.name == "Guangxi"]
        assert guangxi == ["province:cn:guangxi"], order
        assert analysis.province_gaps(store, "Guangxi", by="country").city.members[0] == "province:cn:guangxi"
        store.close()


def test_a_name_in_two_provinces_is_not_merged_without_coordinates(store):
    text = rows("Taizhou,CN,,,Kurashiki,JP,34.58,133.77")
    report = import_pairs(store, text)
    [case] = report.ambiguities
    assert (case.applied, sorted(case.candidates)) == (False, sorted(n.id for n in TAIZHOUS))
    assert case.chosen not in {n.id for n in TAIZHOUS} and report.ambiguous_not_merged == 1
    assert store.get_node(case.chosen).lat is None
    revision = store.revision()
    assert import_pairs(store, text).nodes_created == 0 and store.revision() == revision


def test_coordinates_decide_between_namesakes_in_two_provinces(store):
    report = import_pairs(store, rows("Taizhou,CN,28.65,121.40,Kurashiki,JP,34.58,133.77"))
    assert report.ambiguities == [] and report.cities_merged == 1
    assert store.neighbourhood("geonames:1793511", 1, [EdgeType.SISTER_CITY]).edges


def test_shared_pairs_file_lists_cities_outside_their_country_and_stores_none(world_db):
    report = world_db.reports["pairs"]
    listed = report["coordinates_outside"]
    assert report["coordinates_outside_count"] == len(listed) > 150
    san_fernando = [x for x in listed if x["row"] == 15120]
    assert [(x["name"], x["country"], x["found_in"]) for x in san_fernando] == [("San Fernando", "ES", "US")]
    store = world_db.open()
    cities = store.find_nodes(kind=NodeKind.CITY, limit=100_000)
    placed = [n for n in cities if n.lat is not None and n.country]
    assert len(placed) > 30_000
    assert [(n.id, n.name, n.country) for n in placed if locator().outside(n.country, n.lat, n.lon)] == []
    nodes = store.get_nodes([x["city"] for x in listed])
    fixed = [nodes[x["city"]] for x in listed if x["action"] == "fixed"]
    assert fixed and all(n.lat is not None for n in fixed)
    assert {x["action"] for x in listed} == {"fixed", "quarantined"}


def test_no_suggestion_reason_measures_from_coordinates_outside_a_country(world_db):
    store = world_db.open()
    proj = projection(store)
    los_angeles = store.find_nodes("Los Angeles", kind=NodeKind.CITY, country="US", limit=1)[0]
    for home in (los_angeles.id, "geonames:1799869"):
        for s in suggest(proj, home, limit=100).suggestions:
            for r in s.reasons:
                if r.kind in ("near_home", "near_partner"):
                    for node_id in (s.id, *r.evidence):
                        node = proj.nodes[node_id]
                        assert node.lat is None or not locator().outside(node.country, node.lat, node.lon), r.text
    spanish = [s for s in suggest(proj, los_angeles.id, limit=300).suggestions if s.id == CADIZ_SAN_FERNANDO.id]
    assert not [r for s in spanish for r in s.reasons if r.kind == "near_home"]


def test_gaps_of_guangxi_count_the_provinces_own_ties_on_the_world_dataset(world_db):
    report = json.loads(run_cli(world_db.path, "gaps", "--province", "Guangxi", "--by", "country", "--json"))
    assert "province:cn:guangxi" in report["city"]["members"]
    own = {p["id"] for g in report["groups"] for p in g["partners"] if p["home"] == "province:cn:guangxi"}
    assert len(own) >= 2
