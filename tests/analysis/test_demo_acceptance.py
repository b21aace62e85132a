"""Acceptance on the shipped demo scenario plus world geography (issue 4, items 2 and 3)."""

from __future__ import annotations

import pytest

from graph_service.analysis import gap_report, load_strategy, projection, suggest
from graph_service.services.cities import resolve_node


@pytest.fixture(scope="module")
def demo(world_demo_db):
    """The session's demo store (seed scenario plus world geography), read in place."""
    store = world_demo_db.open()
    yield store
    store.close()


@pytest.mark.parametrize("strategy", [None, "nanning-2012"])
def test_suggest_nanning_names_a_partner_within_the_radius(demo, strategy):
    nanning = resolve_node(demo, "Nanning", country="CN")
    profile = load_strategy(strategy)
    report = suggest(projection(demo), nanning.id, strategy=profile)
    proj = projection(demo)
    partners = proj.partners(nanning.id)
    near = [(s, r) for s in report.suggestions for r in s.reasons if r.kind == "near_partner"]
    assert near, [s.name for s in report.suggestions]
    for s, r in near:
        (partner,) = r.evidence
        assert partner in partners and proj.nodes[partner].name in r.text
        p = proj.nodes[partner]
        assert s.id in dict(proj.geo.within(p.lat, p.lon, profile.radius_km))
    for s in report.suggestions:
        assert s.id not in partners and s.country != "CN"
        for r in s.reasons:
            assert r.evidence and all(demo.get_node(e) is not None for e in r.evidence)


def test_gaps_nanning_asean_lists_exactly_the_members_without_a_partner(demo):
    nanning = resolve_node(demo, "Nanning", country="CN")
    proj = projection(demo)
    report = gap_report(projection(demo), nanning.id, by="region", strategy=load_strategy("nanning-2012"))
    asean = next(g for g in report.groups if g.id == "ASEAN")
    members = proj.regions.members["ASEAN"]
    assert len(members) == 11
    covered = {proj.country_of(p) for p in proj.partners(nanning.id)}
    assert {g.country for g in asean.gap_countries} == members - covered
    assert not {g.country for g in asean.gap_countries} & covered
    priorities = {g.country: g.priority for g in asean.gap_countries}
    assert priorities["KH"] == priorities["LA"] == priorities["MM"] == 1.0
