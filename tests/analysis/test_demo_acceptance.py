"""Acceptance on the shipped demo scenario plus world geography (issue 4, items 2 and 3), on SQLite
and on the live Neo4j; and the two stores give the same gaps and suggestions (issue 13, item 2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graph_service.analysis import gap_report, load_strategy, projection, suggest
from graph_service.cli import app, serve_commands
from graph_service.services import analysis
from graph_service.services.cities import resolve_node


def run_cli_on(neo4j, *args: str) -> str:
    """``partner-graph --store <live Neo4j> ARGS`` in this process; its output, or a failed test."""
    result = CliRunner().invoke(app, ["--store", neo4j.uri, *args], env=neo4j.env())
    assert result.exit_code == 0, f"partner-graph {' '.join(args)} failed on Neo4j:\n{result.output}"
    return result.output


@pytest.fixture(scope="module")
def neo4j_world_demo(neo4j_server, neo4j_session_store):
    """What ``partner-graph --store bolt://… demo`` builds on an emptied live Neo4j: the seed scenario
    plus world geography (the server ``demo`` would start is left out). Yields a store of its own
    (a fresh driver), so no projection cached for an earlier state of the database is reused."""
    neo4j_session_store.wipe_for_tests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve_commands, "_serve", lambda ctx, host, port: None)
        output = run_cli_on(neo4j_server, "demo")
    assert "Loaded 252 countries" in output, output
    store = neo4j_server.connect()
    yield store
    store.close()


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def demo(request):
    """The demo store (seed scenario plus world geography): the session's SQLite file read in place,
    or the live Neo4j loaded by the same command."""
    return request.getfixturevalue(f"{request.param}_world_demo")


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


NANNING = "geonames:1799869"


def planner_json(store, strategy: str) -> dict[str, dict]:
    """What ``partner-graph gaps Nanning --by country|region --json`` and ``suggest Nanning --limit 10
    --json`` print: the same service calls, dumped the same way."""
    return {
        "gaps by country": analysis.city_gaps(store, NANNING, by="country", strategy=strategy).model_dump(mode="json"),
        "gaps by region": analysis.city_gaps(store, NANNING, by="region", strategy=strategy).model_dump(mode="json"),
        "suggest": analysis.city_suggestions(store, NANNING, limit=10, strategy=strategy).model_dump(mode="json"),
    }


@pytest.fixture(scope="module")
def sqlite_world_demo(world_demo_db):
    store = world_demo_db.open()
    yield store
    store.close()


@pytest.mark.parametrize("strategy", ["default", "nanning-2012"])
def test_gaps_and_suggestions_for_nanning_are_the_same_json_on_both_stores(
    sqlite_world_demo, neo4j_world_demo, strategy
):
    on_sqlite, on_neo4j = planner_json(sqlite_world_demo, strategy), planner_json(neo4j_world_demo, strategy)
    top = on_sqlite["suggest"]["suggestions"]
    assert len(top) == 10 and on_sqlite["gaps by country"]["groups"], "the demo gives a full top 10 and gaps"
    assert [s["id"] for s in on_neo4j["suggest"]["suggestions"]] == [s["id"] for s in top]
    assert on_neo4j["gaps by country"] == on_sqlite["gaps by country"], "partners, gap countries, their order"
    assert on_neo4j == on_sqlite, "every field of the three reports"


SEARCHES = ["nanning", "南宁", "nan ning", "san", "halle", "springfield", "são paulo", "köln", "khon"]


@pytest.mark.parametrize("text", SEARCHES)
def test_search_ranks_the_world_the_same_on_both_stores(sqlite_world_demo, neo4j_world_demo, text):
    """``find`` on 34,000 cities: the same nodes in the same order (exact, prefix, substring, then
    population), so a name typed in the UI resolves to the same city on either store."""
    on_sqlite = [n.id for n in sqlite_world_demo.find_nodes(text, limit=25)]
    assert on_sqlite, f"{text!r} finds something"
    assert [n.id for n in neo4j_world_demo.find_nodes(text, limit=25)] == on_sqlite
    on_sqlite_cities = [n.id for n in sqlite_world_demo.find_nodes(text, kind="City", country="US", limit=10)]
    assert [n.id for n in neo4j_world_demo.find_nodes(text, kind="City", country="US", limit=10)] == on_sqlite_cities
