"""The use cases the CLI, the API and the web UI share, on the canonical world (answers by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.errors import Ambiguous, InvalidInput, NotFound, StrategyError
from graph_service.model import Edge, EdgeType, Node
from graph_service.services import analysis, cities, graph, places, transfer


def test_one_rule_for_strategy_names():
    assert analysis.strategy_named(None) is None
    assert analysis.strategy_named("nanning-2012").name == "nanning-2012"
    assert analysis.strategy_or_default(None).name == "default"
    for bad in ("nowhere", "../seed/strategies/default", "/etc/passwd"):
        with pytest.raises(StrategyError) as caught:
            analysis.strategy_named(bad)
        assert caught.value.details() == {"known": analysis.strategy_names()}


def test_only_a_path_reads_a_strategy_file(tmp_path):
    profile = tmp_path / "mine.yaml"
    profile.write_text("name: mine\ngap_countries: {KH: 1.0}\n")
    assert analysis.strategy_named(Path(profile)).gap_countries == {"KH": 1.0}
    with pytest.raises(StrategyError):
        analysis.strategy_named(str(profile))


def test_gaps_and_suggestions_by_name(store):
    gaps = analysis.city_gaps(store, "nn", strategy="nanning-2012")
    assert gaps.strategy == "nanning-2012" and gaps.city.id == "nn"
    ideas = analysis.city_suggestions(store, "nn", limit=5)
    assert ideas.strategy == "default" and len(ideas.suggestions) == 5
    assert {s.id for s in ideas.suggestions}.isdisjoint({"kk", "hp", "gl", "sz"}), "no partner, no compatriot"
    with pytest.raises(StrategyError):
        analysis.city_suggestions(store, "nn", strategy="nowhere")


def test_province_gaps_count_every_city_of_the_province(store):
    store.upsert_nodes([Node(id="gx", kind="City", name="Guangxi", level="province", country="CN")])
    store.upsert_edges([Edge(src="nn", dst="gx", type="LOCATED_IN"), Edge(src="gl", dst="gx", type="LOCATED_IN")])
    report = analysis.province_gaps(store, "Guangxi", country="cn", by="country")
    assert set(report.city.members) == {"gx", "nn", "gl"}
    assert {g.id for g in report.groups} >= {"TH", "VN", "JP", "LA"}
    with pytest.raises(NotFound):
        analysis.province_gaps(store, "Atlantis")


def test_resolve_city_by_any_name_and_country(store):
    assert cities.resolve_city(store, "Khon Kaen").id == "kk"
    assert cities.resolve_city(store, "hai phong", "vn").id == "hp"
    store.upsert_nodes([Node(id="kk2", kind="City", name="Khon Kaen", country="LA")])
    with pytest.raises(Ambiguous) as caught:
        cities.resolve_city(store, "Khon Kaen")
    assert {n.id for n in caught.value.candidates} == {"kk", "kk2"}
    with pytest.raises(NotFound):
        cities.resolve_city(store, "Atlantis")


def test_partners_sister_cities_first(store):
    rows = cities.partners_of(store, "nn")
    assert [(r.partner.id, r.tier, r.status) for r in rows] == [
        ("kk", "sister", "active"), ("mn", "sister", "ended"), ("hp", "friendly", "signed"),
    ]


def test_the_quick_edit_changes_only_a_tie_of_that_city_and_checks_its_dates(store):
    from datetime import date

    from graph_service.errors import InvalidFields
    from graph_service.services import partnerships

    tie = partnerships.tie_of_edge(store, "nn", "kk|SISTER_CITY|nn")
    edge = partnerships.set_status(store, tie, {"status": "dormant"}, actor="key:test").edge
    assert edge.status.value == "dormant" and store.get_edge("kk|SISTER_CITY|nn").status.value == "dormant"
    assert store.read_audit(limit=1)[0].action == "ui_update_partnership"
    revision = store.revision()
    for city, edge_id in (("gl", "kk|SISTER_CITY|nn"), ("nn", "school-nn|LOCATED_IN|nn"), ("nn", "nn|SISTER_CITY|os")):
        with pytest.raises(NotFound):
            partnerships.tie_of_edge(store, city, edge_id)
    refused = {}
    for typed in ({"since": "2012-13"}, {"status": "signed", "since": "2099-01-01"}, {"status": "finished"}):
        with pytest.raises(InvalidFields) as caught:
            partnerships.set_status(store, tie, typed, actor="key:test", today=date(2025, 6, 1))
        refused[str(typed)] = [(p.field, p.code) for p in caught.value.problems]
    assert list(refused.values()) == [[("since", "bad_date")], [("since", "future_date")], [("status", "bad_choice")]]
    assert store.revision() == revision, "refused patches write nothing"


def test_edges_and_delete_all(store):
    at_nn = graph.edges(store, node="nn", type=EdgeType.SISTER_CITY)
    assert [e.id for e in at_nn] == ["kk|SISTER_CITY|nn", "mn|SISTER_CITY|nn"]
    with pytest.raises(NotFound):
        graph.edge(store, "nn|SISTER_CITY|os")
    with pytest.raises(InvalidInput):
        graph.edge(store, "nn|NOT_A_TYPE|os")
    nodes = sum(store.counts()["nodes"].values())
    assert graph.delete_all(store, actor="key:admin") == nodes
    assert store.counts() == {"nodes": {}, "edges": {}}


def test_places_read_models(store):
    busiest = places.busiest_cities(store, limit=2)
    assert [(n.id, count) for n, count in busiest] == [("kk", 3), ("nn", 3)]
    asean = places.region_overview(store, store.get_node("ASEAN"))
    thailand = next(r for r in asean.countries if r.country.id == "TH")
    assert (thailand.cities_with_partners, thailand.partnerships) == (1, 3)
    assert thailand.by_continent == {"AS": 3}
    china = places.partnership_map(store, places.MapFilter(country="CN"))
    assert len(china.pairs) == 7 and china.country.id == "CN"
    assert {n.id for n in china.cities} == {"nn", "gl", "sz", "kk", "hp", "mn", "os", "vte"}
    links = places.region_country_links(store, "ASEAN")
    assert links.counts[("CN", "TH")] == 2 and links.counts[("LA", "TH")] == 1


def test_imports_detect_their_format(store):
    assert transfer.detect_format("auto", "x.json", b"").value == "graph"
    assert transfer.detect_format("auto", "upload", b'  {"nodes": []}').value == "graph"
    assert transfer.detect_format("auto", "x.csv", b"city_a").value == "pairs"
    with pytest.raises(InvalidInput):
        transfer.detect_format("xlsx", "x.csv", b"")
    with pytest.raises(InvalidInput):
        transfer.import_upload(store, b"city_a,country_a,city_b,country_b\n", filename="x.csv", tier="cousin",
                               actor="t")
