import pytest

from graph_service.analysis import Strategy, gap_report, projection
from graph_service.errors import NotFound


def group(report, gid):
    return next(g for g in report.groups if g.id == gid)


def test_asean_gaps_are_the_members_without_a_partner(world):
    report = gap_report(projection(world), "nn")
    asean = group(report, "ASEAN")
    assert asean.partner_countries == ["TH", "VN"]
    assert sorted(g.country for g in asean.gap_countries) == ["ID", "KH", "LA", "MY"]
    assert {p.id for p in asean.partners} == {"kk", "hp"}
    assert asean.counts.by_tier == {"sister": 1, "friendly": 1}
    assert asean.counts.by_status == {"active": 1, "signed": 1}


def test_peer_coverage_counts_other_home_country_cities(world):
    asia = group(gap_report(projection(world), "nn"), "continent:AS")
    gaps = {g.country: g for g in asia.gap_countries}
    assert "CN" not in gaps  # the home country is never a gap
    assert gaps["LA"].peer_coverage == 2 and gaps["LA"].peers == ["gl", "sz"]
    assert gaps["JP"].peer_coverage == 1
    assert gaps["KH"].peer_coverage == 0
    assert [g.country for g in asia.gap_countries][:2] == ["LA", "JP"]  # no strategy: most covered first


def test_ended_partner_is_listed_but_leaves_its_country_a_gap(world):
    europe = group(gap_report(projection(world), "nn"), "continent:EU")
    assert [p.id for p in europe.partners] == ["mn"]
    assert europe.counts.by_status == {"ended": 1}
    assert europe.partner_countries == []
    assert [g.country for g in europe.gap_countries] == ["FR", "DE"]  # by name: France, Germany


def test_strategy_priorities_appear_on_gap_countries(world):
    strategy = Strategy(
        name="t",
        groups=[{"id": "asean", "regions": ["ASEAN"], "weight": 0.9}],
        gap_countries={"KH": 1.0, "FR": 0.4},
    )
    report = gap_report(projection(world), "nn", strategy=strategy)
    asean = group(report, "ASEAN")
    gaps = {g.country: g for g in asean.gap_countries}
    assert gaps["KH"].priority == 1.0 and gaps["KH"].priority_source == "gap_countries"
    assert gaps["LA"].priority == 0.9 and gaps["LA"].priority_source == "group:asean"
    assert asean.gap_countries[0].country == "KH"
    assert group(report, "continent:EU").gap_countries[0].country == "FR"
    assert group(report, "strategy:asean").kind == "strategy"
    assert asean.weight == 0.9


def test_by_country_and_home_set(world):
    report = gap_report(projection(world), ["nn", "gl"], by="country", label="Guangxi")
    assert report.city.name == "Guangxi" and report.city.members == ["nn", "gl"]
    rows = {g.id: g for g in report.groups}
    assert rows["JP"].partner_countries == ["JP"] and rows["JP"].gap_countries == []
    assert [g.country for g in rows["DE"].gap_countries] == ["DE"]  # only an ended tie there
    assert rows["TH"].counts.total == 1


def test_json_shape_matches_contract(world):
    data = gap_report(projection(world), "nn").model_dump()
    assert set(data) >= {"city", "by", "groups"}
    assert set(data["city"]) >= {"id", "name", "country"}
    g = data["groups"][0]
    assert set(g) >= {"id", "name", "partners", "partner_countries", "gap_countries"}
    assert set(g["gap_countries"][0]) >= {"country", "name", "priority", "peer_coverage"}


def test_unknown_or_non_city_home_is_not_found(world):
    with pytest.raises(NotFound):
        gap_report(projection(world), "nope")
    with pytest.raises(NotFound):
        gap_report(projection(world), "KH")
    with pytest.raises(ValueError):
        gap_report(projection(world), "nn", by="planet")


def test_city_without_partners_has_every_member_as_gap(world):
    asean = group(gap_report(projection(world), "ud"), "ASEAN")
    assert asean.partners == []
    assert sorted(g.country for g in asean.gap_countries) == ["ID", "KH", "LA", "MY", "VN"]
