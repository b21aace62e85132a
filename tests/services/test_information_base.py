"""The information base (友城信息库) on the canonical world: partnerships, upgrades, exchanges,
institutions; each rule a form can break, and that a refused form writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from graph_service.errors import InvalidFields, NotFound
from graph_service.model import EdgeType, NodeKind, Status
from graph_service.services import exchanges, institutions, partnerships

TODAY = date(2025, 6, 1)
ACTOR = "key:test"


def codes(caught) -> dict[str, str]:
    return {p.field: p.code for p in caught.value.problems}


def refused(store, call, *args, **kwargs) -> dict[str, str]:
    """Run a write that must be refused; return its problems by field, after checking nothing changed."""
    before, revision = store.snapshot(), store.revision()
    with pytest.raises(InvalidFields) as caught:
        call(store, *args, actor=ACTOR, **kwargs)
    assert store.revision() == revision and store.snapshot() == before, "a refused form wrote something"
    return codes(caught)


# -- partnerships ----------------------------------------------------------------------------------
def test_record_a_partnership_with_a_city_picked_by_any_name(store):
    tie = partnerships.record_partnership(store, "nn", {"partner": "Chiang Mai", "tier": "friendly",
                                                        "status": "signed", "since": "2024-03-05"},
                                          actor=ACTOR, today=TODAY)
    assert (tie.partner.id, tie.edge.type, tie.edge.since) == ("cm", EdgeType.FRIENDLY_EXCHANGE, "2024-03-05")
    stored = store.get_edge("cm|FRIENDLY_EXCHANGE|nn")
    assert stored.status is Status.SIGNED
    entry = store.read_audit(limit=1)[0]
    assert (entry.actor, entry.action, entry.target) == (ACTOR, "record_partnership", "cm|FRIENDLY_EXCHANGE|nn")


def test_record_a_partnership_with_a_new_city_in_one_transaction(store):
    revision = store.revision()
    tie = partnerships.record_partnership(store, "nn", {
        "partner_mode": "new", "city_name": "Uki", "city_name_zh": "宇城", "city_country": "jp",
        "city_lat": "32.64", "city_lon": "130.68", "tier": "friendly", "status": "signed", "since": "2016-11",
        "proposed_on": "2015", "notes": "winter camp", "source": "seed 004"}, actor=ACTOR, today=TODAY)
    assert store.revision() == revision + 1, "city, its LOCATED_IN and the tie: one write"
    city = store.get_node(tie.partner.id)
    assert (city.id, city.name_zh, city.country, city.lat) == ("city:jp:uki", "宇城", "JP", 32.64)
    assert store.get_edge("city:jp:uki|LOCATED_IN|JP") is not None
    assert store.get_edge(tie.edge.id).proposed_on == "2015"


@pytest.mark.parametrize(("form", "expected"), [
    ({"tier": "sister"}, {"partner": "required"}),
    ({"partner": "Atlantis", "tier": "sister"}, {"partner": "unknown_city"}),
    ({"partner": "Khon Kaen", "tier": "sister"}, {"partner": "tie_exists"}),
    ({"partner": "Nanning", "tier": "sister"}, {"partner": "same_city"}),
    ({"partner": "Osaka", "tier": ""}, {"tier": "required"}),
    ({"partner": "Osaka", "tier": "cousin"}, {"tier": "bad_choice"}),
    ({"partner": "Osaka", "tier": "sister", "since": "2012-13-01"}, {"since": "bad_date"}),
    ({"partner": "Osaka", "tier": "sister", "status": "signed", "since": "2031-01-01"}, {"since": "future_date"}),
    ({"partner": "Osaka", "tier": "sister", "since": "2031"}, {"since": "future_date"}),
    ({"partner": "Osaka", "tier": "sister", "status": "active", "approved_on": "2030-02"},
     {"approved_on": "future_step"}),
    ({"partner": "Osaka", "tier": "sister", "proposed_on": "2020", "negotiating_on": "2019-05"},
     {"negotiating_on": "step_order"}),
    ({"partner": "Osaka", "tier": "sister", "notes": "x" * 4001}, {"notes": "too_long"}),
    ({"partner": "Osaka\x00", "tier": "sister"}, {"partner": "control_chars"}),
    ({"partner": "Osaka\ud83d", "tier": "sister"}, {"partner": "broken_text"}),
    ({"partner_mode": "new", "tier": "sister"}, {"city_name": "required", "city_country": "required"}),
    ({"partner_mode": "new", "city_name": "Uki", "city_country": "XX", "tier": "sister"},
     {"city_country": "bad_country"}),
    ({"partner_mode": "new", "city_name": "Uki", "city_country": "JP", "city_lat": "32", "tier": "sister"},
     {"city_lat": "coords_pair"}),
    ({"partner_mode": "new", "city_name": "Uki", "city_country": "JP", "city_lat": "abc", "city_lon": "1",
      "tier": "sister"}, {"city_lat": "bad_number"}),
    ({"partner_mode": "new", "city_name": "Uki", "city_country": "JP", "city_lat": "95", "city_lon": "1",
      "tier": "sister"}, {"city_lat": "out_of_range"}),
    ({"partner_mode": "new", "city_name": "Osaka", "city_country": "JP", "tier": "sister"},
     {"city_name": "city_exists"}),
])
def test_a_bad_partnership_form_is_refused_and_writes_nothing(store, form, expected):
    assert refused(store, partnerships.record_partnership, "nn", form, today=TODAY) == expected


def test_a_planned_signing_may_lie_ahead_while_the_tie_is_negotiated(store):
    tie = partnerships.record_partnership(store, "nn", {"partner": "Osaka", "tier": "sister", "status": "negotiating",
                                                        "negotiating_on": "2025-01", "since": "2026-04"},
                                          actor=ACTOR, today=TODAY)
    assert tie.edge.since == "2026-04"


def test_injection_strings_are_stored_verbatim(store):
    hostile = "'; DROP TABLE nodes;-- <script>alert(1)</script> {{7*7}} ${x}"
    tie = partnerships.record_partnership(store, "nn", {"partner": "Osaka", "tier": "sister", "notes": hostile,
                                                        "source": hostile}, actor=ACTOR, today=TODAY)
    assert store.get_edge(tie.edge.id).notes == hostile


def test_update_sets_every_lifecycle_field_and_checks_them(store):
    tie = partnerships.update_partnership(store, "nn", "hp", {"status": "active", "proposed_on": "2009",
                                                              "since": "2010-05-01", "approved_on": "2011",
                                                              "notes": "teachers"}, actor=ACTOR, today=TODAY)
    assert (tie.edge.type, tie.edge.approved_on, tie.edge.notes) == (EdgeType.FRIENDLY_EXCHANGE, "2011", "teachers")
    assert refused(store, partnerships.update_partnership, "nn", "hp", {"status": "active", "since": "2099"},
                   today=TODAY) == {"since": "future_date"}
    assert refused(store, partnerships.update_partnership, "nn", "hp",
                   {"since": "2010", "ended_on": "2005"}, today=TODAY) == {"ended_on": "step_order"}
    with pytest.raises(NotFound):
        partnerships.update_partnership(store, "nn", "os", {"status": "active"}, actor=ACTOR, today=TODAY)


def test_upgrade_keeps_the_history_of_the_friendly_exchange_tie(store):
    partnerships.update_partnership(store, "nn", "hp", {"status": "active", "proposed_on": "2008", "since": "2010",
                                                        "notes": "MoU", "source": "office file"},
                                    actor=ACTOR, today=TODAY)
    tie = partnerships.upgrade_partnership(store, "nn", "hp", {"since": "2024-09-20"}, actor=ACTOR, today=TODAY)
    assert store.get_edge("hp|FRIENDLY_EXCHANGE|nn") is None
    upgraded = store.get_edge("hp|SISTER_CITY|nn")
    assert upgraded == tie.edge
    assert (upgraded.friendly_since, upgraded.since, upgraded.proposed_on) == ("2010", "2024-09-20", "2008")
    assert (upgraded.status, upgraded.notes, upgraded.source) == (Status.ACTIVE, "MoU", "office file")
    assert [p.partner.id for p in partnerships_of(store, "nn")].count("hp") == 1
    entry = store.read_audit(limit=1)[0]
    assert (entry.action, entry.target) == ("upgrade_partnership", "hp|SISTER_CITY|nn")
    assert entry.summary["deleted_edges"] == {"deleted": 1, "ids": ["hp|FRIENDLY_EXCHANGE|nn"]}


def partnerships_of(store, city):
    from graph_service.services.cities import partners_of

    return partners_of(store, city)


def test_only_a_friendly_exchange_tie_upgrades_and_never_to_a_future_date(store):
    assert refused(store, partnerships.upgrade_partnership, "nn", "kk", {"since": "2020"},
                   today=TODAY) == {"tier": "not_upgradable"}
    assert refused(store, partnerships.upgrade_partnership, "nn", "hp", {"since": "2027-01-01"},
                   today=TODAY) == {"since": "future_date"}


def test_delete_a_tie_keeps_the_exchanges(store):
    exchanges.record_exchange(store, "nn", {"counterpart_id": "hp", "field": "trade", "date": "2023",
                                            "title": "Trade fair", "direction": "inbound"}, actor=ACTOR, today=TODAY)
    assert partnerships.delete_partnership(store, "nn", "hp", actor=ACTOR) == 1
    assert store.get_edge("hp|FRIENDLY_EXCHANGE|nn") is None
    assert len(store.list_edges(node="nn", type=EdgeType.EXCHANGE)) == 1
    with pytest.raises(NotFound):
        partnerships.delete_partnership(store, "nn", "hp", actor=ACTOR)


# -- exchanges -------------------------------------------------------------------------------------
def test_record_edit_and_delete_an_exchange(store):
    trip = exchanges.record_exchange(store, "nn", {
        "counterpart": "Khon Kaen", "field": "education", "date": "2024-03-15",
        "title": "Chinese teachers to Khon Kaen", "direction": "outbound", "participants": "12",
        "head_of_delegation": "Vice-mayor Li", "outcome": "Two-year teacher programme signed",
        "notes": "third batch"}, actor=ACTOR, today=TODAY)
    stored = store.get_edge(trip.edge.id)
    assert (stored.src, stored.dst, stored.participants, stored.head_of_delegation) == ("nn", "kk", 12,
                                                                                        "Vice-mayor Li")
    assert stored.outcome == "Two-year teacher programme signed" and trip.state == "held"
    assert refused(store, exchanges.record_exchange, "nn", {
        "counterpart_id": "kk", "field": "education", "date": "2024-03-15", "title": "Chinese teachers to Khon Kaen",
        "direction": "outbound"}, today=TODAY) == {"title": "exchange_exists"}
    edited = exchanges.update_exchange(store, "nn", trip.edge.id, {
        "counterpart_id": "kk", "field": "education", "date": "2024-03-16", "title": "Chinese teachers (batch 3)",
        "direction": "outbound", "participants": "14"}, actor=ACTOR, today=TODAY)
    assert edited.edge.id == trip.edge.id and store.get_edge(trip.edge.id).participants == 14
    assert exchanges.delete_exchange(store, "nn", trip.edge.id, actor=ACTOR) == 1
    assert store.get_edge(trip.edge.id) is None


@pytest.mark.parametrize(("form", "expected"), [
    ({}, {"counterpart": "required", "field": "required", "date": "required", "title": "required",
          "direction": "required"}),
    ({"counterpart": "Atlantis", "field": "education", "date": "2024", "title": "t", "direction": "outbound"},
     {"counterpart": "unknown_city"}),
    ({"counterpart": "kk", "field": "cooking", "date": "2024", "title": "t", "direction": "sideways"},
     {"field": "bad_choice", "direction": "bad_choice"}),
    ({"counterpart": "kk", "field": "trade", "date": "10/05/2024", "title": "t", "direction": "inbound"},
     {"date": "bad_date"}),
    ({"counterpart": "kk", "field": "trade", "date": "2030-01-01", "title": "t", "direction": "inbound"},
     {"date": "future_step"}),
    ({"counterpart": "kk", "field": "trade", "date": "2024", "title": "t" * 301, "direction": "inbound",
      "participants": "-3"}, {"title": "too_long", "participants": "out_of_range"}),
    ({"counterpart": "kk", "field": "trade", "date": "2024", "title": "t", "direction": "inbound",
      "participants": "many"}, {"participants": "bad_number"}),
    ({"counterpart": "nn", "field": "trade", "date": "2024", "title": "t", "direction": "inbound"},
     {"counterpart": "same_city"}),
    ({"counterpart": "\ud800", "field": "trade", "date": "2024", "title": "t\udfff", "direction": "inbound"},
     {"counterpart": "broken_text", "title": "broken_text"}),
])
def test_a_bad_exchange_form_is_refused(store, form, expected):
    assert refused(store, exchanges.record_exchange, "nn", form, today=TODAY) == expected


def test_a_planned_exchange_may_lie_ahead(store):
    trip = exchanges.record_exchange(store, "nn", {"counterpart_id": "kk", "field": "youth", "date": "2026-07",
                                                   "title": "Summer camp", "direction": "outbound",
                                                   "state": "planned"}, actor=ACTOR, today=TODAY)
    assert trip.state == "planned" and trip.edge.status is Status.PROPOSED


# -- institutions ----------------------------------------------------------------------------------
def test_a_school_pairing_creates_both_schools_and_the_dated_pair(store):
    made = institutions.record_institution(store, "nn", {
        "kind": "School", "name": "Nanning No. 3 Middle School", "name_zh": "南宁市第三中学",
        "partner_school": "Khon Kaen Wittayayon School", "partner_school_city": "Khon Kaen", "since": "2019-04-12"},
        actor=ACTOR, today=TODAY)
    ours, theirs = made.nodes
    assert (ours.kind, theirs.kind, theirs.country) == (NodeKind.SCHOOL, NodeKind.SCHOOL, "TH")
    pair = store.get_edge(f"{ours.id}|PARTNER_SCHOOL|{theirs.id}")
    assert pair.since == "2019-04-12"
    assert store.get_edge(f"{ours.id}|LOCATED_IN|nn") and store.get_edge(f"{theirs.id}|LOCATED_IN|kk")
    assert ours.id in {n.id for n in exchanges.institutions_of(store, "nn")}


def test_an_honorary_citizen_of_the_city_from_abroad(store):
    made = institutions.record_institution(store, "nn", {
        "kind": "HonoraryCitizen", "name": "Jane Smith", "name_zh": "简·史密斯", "country": "fr",
        "located_in": "Lyon", "since": "2022-09-30", "notes": "founded the Lyon–Nanning friendship society"},
        actor=ACTOR, today=TODAY)
    person = made.node
    assert (person.kind, person.country) == (NodeKind.HONORARY_CITIZEN, "FR")
    assert store.get_edge(f"{person.id}|HONORARY_CITIZEN_OF|nn").since == "2022-09-30"
    assert store.get_edge(f"{person.id}|LOCATED_IN|ly") is not None
    assert institutions.delete_institution(store, "nn", person.id, actor=ACTOR) == 1
    assert store.get_node(person.id) is None and store.get_node("ly") is not None


@pytest.mark.parametrize(("form", "expected"), [
    ({"kind": "School"}, {"name": "required"}),
    ({"kind": "Castle", "name": "x"}, {"kind": "bad_choice"}),
    ({"kind": "Consulate", "name": "Consulate-General of Laos"}, {"country": "required"}),
    ({"kind": "HonoraryCitizen", "name": "x", "since": "2100"}, {"since": "future_step"}),
    ({"kind": "HonoraryCitizen", "name": "x", "located_in": "Atlantis"}, {"located_in": "unknown_city"}),
    ({"kind": "School", "name": "x", "partner_school": "Nowhere High"}, {"partner_school_city": "required"}),
    ({"kind": "Enterprise", "name": "x", "country": "ZZ"}, {"country": "bad_country"}),
])
def test_a_bad_institution_form_is_refused(store, form, expected):
    assert refused(store, institutions.record_institution, "nn", form, today=TODAY) == expected


def test_the_projection_follows_an_upgrade_write_by_write(store):
    from graph_service.analysis import Projection, projection

    before = projection(store)
    assert before.partners("nn")["hp"].type is EdgeType.FRIENDLY_EXCHANGE
    partnerships.upgrade_partnership(store, "nn", "hp", {"since": "2024"}, actor=ACTOR, today=TODAY)
    institutions.record_institution(store, "nn", {"kind": "HonoraryCitizen", "name": "Jane Smith", "since": "2020"},
                                    actor=ACTOR, today=TODAY)
    after = projection(store)
    fresh = Projection.from_store(store)
    assert after.partners("nn")["hp"].type is EdgeType.SISTER_CITY
    assert after.partners("nn") == fresh.partners("nn")
    assert sorted(after.links.rows) == sorted(fresh.links.rows)
