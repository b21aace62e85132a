"""The map's filters on a small graph with known answers: city, province, country, region, tier and
status, alone and combined; unknown places; the pickers under the home-country policy."""

from __future__ import annotations

import pytest

from graph_service.errors import Ambiguous, NotFound
from graph_service.model import Edge, Node, Status, Tier
from graph_service.services.places import MapFilter, empty_map, partnership_map, province_name
from graph_service.store.sqlite import SQLiteStore


def city(node_id, name, country, admin1=None, **extra):
    return Node(id=node_id, kind="City", name=name, country=country, admin1=admin1, lat=10.0, lon=10.0, **extra)


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "map.db")
    store.upsert_nodes([
        Node(id="CN", kind="Country", name="China", continent="AS"),
        Node(id="TH", kind="Country", name="Thailand", continent="AS"),
        Node(id="FR", kind="Country", name="France", continent="EU"),
        Node(id="TW", kind="Country", name="Taiwan", continent="AS"),
        Node(id="continent:AS", kind="Region", name="Asia"),
        Node(id="continent:EU", kind="Region", name="Europe"),
        city("nn", "Nanning", "CN", "Guangxi"),
        city("gl", "Guilin", "CN", "Guangxi"),
        city("sh", "Shanghai", "CN", "Shanghai"),
        city("kk", "Khon Kaen", "TH"),
        city("pa", "Paris", "FR", "Ile-de-France"),
        city("ly", "Lyon", "FR"),
        city("sp1", "Springfield", "FR"),
        city("sp2", "Springfield", "TH"),
    ])
    store.upsert_edges([
        Edge(src="nn", dst="kk", type="SISTER_CITY", status="active"),
        Edge(src="nn", dst="pa", type="FRIENDLY_EXCHANGE", status="proposed"),
        Edge(src="gl", dst="ly", type="SISTER_CITY", status="dormant"),
        Edge(src="sh", dst="pa", type="SISTER_CITY", status="active"),
        Edge(src="sh", dst="kk", type="FRIENDLY_EXCHANGE", status="active"),
        Edge(src="kk", dst="ly", type="SISTER_CITY", status="active"),
    ])
    yield store
    store.close()


def pairs(store, **filters) -> set[frozenset[str]]:
    return {frozenset((p.a.id, p.b.id)) for p in partnership_map(store, MapFilter(**filters)).pairs}


def pair(a, b):
    return frozenset((a, b))


def test_no_filter_shows_every_tie_once(store):
    assert len(partnership_map(store, MapFilter()).pairs) == 6


def test_each_place_filter_alone(store):
    assert pairs(store, city="Nanning") == {pair("nn", "kk"), pair("nn", "pa")}
    assert pairs(store, province="Guangxi") == {pair("nn", "kk"), pair("nn", "pa"), pair("gl", "ly")}
    assert pairs(store, country="FR") == {pair("nn", "pa"), pair("gl", "ly"), pair("sh", "pa"), pair("kk", "ly")}
    assert pairs(store, region="continent:EU") == pairs(store, country="FR")


def test_place_filters_combine_each_must_hold_an_end(store):
    assert pairs(store, province="Guangxi", region="continent:EU") == {pair("nn", "pa"), pair("gl", "ly")}
    assert pairs(store, country="CN", region="continent:EU") == {pair("nn", "pa"), pair("gl", "ly"), pair("sh", "pa")}
    assert pairs(store, city="kk", country="FR") == {pair("kk", "ly")}


def test_a_province_and_another_country_are_the_two_sides_of_its_ties(store):
    """Guangxi's ties with Thailand: the province on one side, the country on the other (the province is
    not looked for in Thailand, which would find nothing and read as "no ties")."""
    assert pairs(store, province="Guangxi", country="TH") == {pair("nn", "kk")}
    assert pairs(store, province="广西", country="FR") == {pair("nn", "pa"), pair("gl", "ly")}
    assert pairs(store, province="Guangxi", country="CN") == pairs(store, province="Guangxi")
    assert partnership_map(store, MapFilter(province="Guangxi", country="TH")).province == ("Guangxi", "广西壮族自治区")


def test_tier_and_status(store):
    assert pairs(store, tier=Tier.FRIENDLY) == {pair("nn", "pa"), pair("sh", "kk")}
    assert pairs(store, province="Guangxi", status=Status.DORMANT) == {pair("gl", "ly")}
    assert pairs(store, country="CN", tier=Tier.SISTER, status=Status.ACTIVE) == {pair("nn", "kk"), pair("sh", "pa")}


def test_province_by_its_chinese_name(store):
    assert province_name("广西壮族自治区") == province_name("广西") == "Guangxi"
    assert pairs(store, province="广西") == pairs(store, province="Guangxi")


def test_the_filtered_places_are_resolved(store):
    view = partnership_map(store, MapFilter(city="Nanning", country="CN"))
    assert view.city.id == "nn" and view.country.id == "CN"
    assert partnership_map(store, MapFilter(region="continent:AS")).region.name == "Asia"


@pytest.mark.parametrize("filters", [{"city": "Atlantis"}, {"province": "Atlantis"}, {"region": "continent:XX"}])
def test_unknown_places_are_not_found(store, filters):
    with pytest.raises(NotFound):
        partnership_map(store, MapFilter(**filters))


def test_an_ambiguous_city_lists_its_candidates(store):
    with pytest.raises(Ambiguous) as raised:
        partnership_map(store, MapFilter(city="Springfield"))
    assert {n.id for n in raised.value.candidates} == {"sp1", "sp2"}


def test_country_picker_follows_the_home_country_policy(store):
    view = empty_map(store, MapFilter(), home_country="CN")
    assert "TW" not in {n.id for n in view.countries}, "Taiwan is never offered as a country"
    assert [n.id for n in view.home][:1] == ["CN"] and "TW" in {n.id for n in view.home}
    assert {"FR", "TH"} <= {n.id for n in view.countries}
    assert ("Guangxi", "广西壮族自治区") in view.provinces
    assert [r.id for r in view.regions] == ["continent:AS", "continent:EU"]


def test_places_without_relations_or_statehood_are_offered_apart_from_the_countries(tmp_path):
    """Kosovo (no state the policy lists), Western Sahara (a disputed territory), Paraguay (no diplomatic
    relations) and a former code (CS) are never offered as 国家; they stay pickable, apart."""
    store = SQLiteStore(tmp_path / "apart.db")
    try:
        places = [("CN", "China"), ("FR", "France"), ("XK", "Kosovo"), ("EH", "Western Sahara"),
                  ("PY", "Paraguay"), ("CS", "Serbia and Montenegro")]
        store.upsert_nodes([Node(id=cc, kind="Country", name=name, continent="EU") for cc, name in places])
        view = empty_map(store, MapFilter(), home_country="CN")
        assert [n.id for n in view.countries] == ["FR"]
        assert {n.id for n in view.apart} == {"XK", "EH", "PY", "CS"}
    finally:
        store.close()
