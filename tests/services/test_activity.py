"""Timelines, indicators (评估) and the attention list on the canonical world, with dates set by hand."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from graph_service.errors import InvalidInput, NotFound
from graph_service.model import Edge, Node
from graph_service.services import activity, analysis, exchanges, institutions, partnerships

TODAY = date(2025, 6, 1)
ACTOR = "key:test"


def trip(store, counterpart, field, when, title, **extra):
    return exchanges.record_exchange(store, "nn", {"counterpart_id": counterpart, "field": field, "date": when,
                                                   "title": title, "direction": "outbound", **extra},
                                     actor=ACTOR, today=TODAY)


@pytest.fixture
def history(store):
    """Nanning's partnerships with dates: Khon Kaen signed 1998 with exchanges in 2021, 2023 and 2024;
    Hai Phong friendly since 2012, upgraded 2024, quiet since 2019; Osaka proposed in 2023, stalled;
    Chiang Mai negotiating with no date; a school pairing and an honorary citizen."""
    partnerships.update_partnership(store, "nn", "kk", {"status": "active", "since": "1998-05-12"}, actor=ACTOR,
                                    today=TODAY)
    partnerships.update_partnership(store, "nn", "hp", {"status": "active", "since": "2012"}, actor=ACTOR,
                                    today=TODAY)
    trip(store, "kk", "education", "2021-09", "Teachers 2021")
    trip(store, "kk", "education", "2023-03-10", "Teachers 2023")
    trip(store, "kk", "culture", "2024-11-02", "Dance troupe")
    trip(store, "kk", "youth", "2025-08", "Summer camp 2025", state="planned")
    trip(store, "hp", "trade", "2019-04", "Trade fair")
    partnerships.upgrade_partnership(store, "nn", "hp", {"since": "2024-09-20"}, actor=ACTOR, today=TODAY)
    partnerships.record_partnership(store, "nn", {"partner": "Osaka", "tier": "sister", "status": "proposed",
                                                  "proposed_on": "2023-02"}, actor=ACTOR, today=TODAY)
    partnerships.record_partnership(store, "nn", {"partner": "Chiang Mai", "tier": "friendly",
                                                  "status": "negotiating"}, actor=ACTOR, today=TODAY)
    institutions.record_institution(store, "nn", {"kind": "School", "name": "Nanning No. 3 Middle School",
                                                  "partner_school": "Khon Kaen Wittayayon",
                                                  "partner_school_city_id": "kk", "since": "2022-05"},
                                    actor=ACTOR, today=TODAY)
    institutions.record_institution(store, "nn", {"kind": "HonoraryCitizen", "name": "Jean Martin",
                                                  "country": "FR", "since": "2020-10-01"}, actor=ACTOR, today=TODAY)
    return store


def test_city_timeline_lists_every_event_newest_first(history):
    timeline = activity.city_timeline(history, "nn")
    seen = [(e.date, e.kind, e.code) for e in timeline.events]
    assert seen == [
        ("2025-08", "exchange", "youth"),
        ("2024-11-02", "exchange", "culture"),
        ("2024-09-20", "lifecycle", "upgraded"),
        ("2023-03-10", "exchange", "education"),
        ("2023-02", "lifecycle", "proposed"),
        ("2022-05", "link", "PARTNER_SCHOOL"),
        ("2021-09", "exchange", "education"),
        ("2020-10-01", "link", "HONORARY_CITIZEN_OF"),
        ("2019-04", "exchange", "trade"),
        ("2012", "lifecycle", "friendly_signed"),
        ("1998-05-12", "lifecycle", "signed"),
    ]
    assert timeline.events[0].planned and not timeline.events[1].planned
    assert timeline.fields == ["culture", "education", "trade", "youth"]
    assert timeline.years[:3] == [2025, 2024, 2023]


def test_timeline_filters_by_field_and_year(history):
    assert [e.edge.title for e in activity.city_timeline(history, "nn", field="education").events] \
        == ["Teachers 2023", "Teachers 2021"]
    assert {e.code for e in activity.city_timeline(history, "nn", year=2024).events} == {"culture", "upgraded"}
    assert [e.code for e in activity.city_timeline(history, "nn", field="lifecycle", year=2012).events] == [
        "friendly_signed"]
    assert [e.code for e in activity.city_timeline(history, "nn", field="institutions").events] == [
        "PARTNER_SCHOOL", "HONORARY_CITIZEN_OF"]


def test_partnership_timeline_holds_only_that_tie(history):
    events = activity.partnership_timeline(history, "nn", "kk").events
    assert [(e.date, e.code) for e in events] == [
        ("2025-08", "youth"), ("2024-11-02", "culture"), ("2023-03-10", "education"), ("2022-05", "PARTNER_SCHOOL"),
        ("2021-09", "education"), ("1998-05-12", "signed")]
    with pytest.raises(NotFound):
        activity.partnership_timeline(history, "nowhere", "kk")


def test_indicators_per_partnership(history):
    found = activity.city_activity(history, "nn", years=5, today=TODAY)
    assert found.years == [2021, 2022, 2023, 2024, 2025]
    ties = {t.partner.id: t for t in found.ties}
    kk = ties["kk"]
    assert {y: dict(c) for y, c in kk.per_year.items() if c} == {2021: {"education": 1}, 2023: {"education": 1},
                                                                 2024: {"culture": 1}}
    assert (kk.recent, kk.last_exchange, kk.years_since_signing) == (3, "2024-11-02", 27)
    assert kk.fields() == Counter({"education": 2, "culture": 1})
    hp = ties["hp"]
    assert (hp.tier, hp.last_exchange, hp.years_since_signing, hp.recent) == ("sister", "2019-04", 0, 0)


def test_attention_list_with_its_thresholds(history):
    found = activity.city_activity(history, "nn", today=TODAY)
    flagged = {(a.partner.id, a.code, a.since) for a in found.attention}
    assert flagged == {("hp", "quiet", "2019-04"), ("os", "stalled", "2023-02"), ("cm", "stalled_undated", None)}
    assert "kk" not in {a.partner.id for a in found.attention}, "an exchange in the last 3 years"
    assert "mn" not in {a.partner.id for a in found.attention}, "an ended tie needs no attention"
    relaxed = activity.city_activity(history, "nn", quiet_years=7, stalled_years=3, today=TODAY)
    assert {(a.partner.id, a.code) for a in relaxed.attention} == {("cm", "stalled_undated")}
    strict = activity.city_activity(history, "nn", quiet_years=1, today=date(2026, 1, 1))
    assert ("kk", "quiet") in {(a.partner.id, a.code) for a in strict.attention}


def test_a_tie_never_visited_is_flagged_once_it_is_old_enough(store):
    partnerships.update_partnership(store, "nn", "hp", {"status": "signed", "since": "2024-01"}, actor=ACTOR,
                                    today=TODAY)
    codes = {a.partner.id: a.code for a in activity.city_activity(store, "nn", today=TODAY).attention}
    assert codes == {"kk": "never"}, "Hai Phong signed in 2024 is too young; Khon Kaen has no date and no exchange"
    partnerships.update_partnership(store, "nn", "kk", {"status": "dormant", "dormant_on": "2020"}, actor=ACTOR,
                                    today=TODAY)
    assert [(a.code, a.since) for a in activity.city_activity(store, "nn", today=TODAY).attention] == [
        ("dormant", "2020")]


def test_province_attention_covers_every_city_of_the_province(store):
    store.upsert_nodes([Node(id="gx", kind="City", name="Guangxi", level="province", country="CN")])
    store.upsert_edges([Edge(src="nn", dst="gx", type="LOCATED_IN"), Edge(src="gl", dst="gx", type="LOCATED_IN")])
    found = activity.province_activity(store, "Guangxi", today=TODAY)
    assert {(a.city.id, a.partner.id) for a in found.attention} == {("nn", "kk"), ("nn", "hp"), ("gl", "os"),
                                                                     ("gl", "vte")}
    with pytest.raises(NotFound):
        activity.province_activity(store, "Atlantis")


def test_gaps_counting_only_sister_city_ties(store):
    everything = analysis.city_gaps(store, "nn", by="country", strategy="nanning-2012")
    sister_only = analysis.city_gaps(store, "nn", by="country", strategy="nanning-2012", coverage="sister")
    gaps = {g.id: {x.country for x in g.gap_countries} for g in everything.groups}
    gaps_sister = {g.id: {x.country for x in g.gap_countries} for g in sister_only.groups}
    assert "VN" not in gaps["VN"] and "VN" in gaps_sister["VN"], "Hai Phong is a friendly-exchange tie only"
    assert "TH" not in gaps_sister["TH"], "Khon Kaen is a sister city"
    assert sister_only.coverage == "sister"
    with pytest.raises(InvalidInput):
        analysis.city_gaps(store, "nn", coverage="cousins")  # type: ignore[arg-type]
