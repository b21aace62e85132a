"""The home-country policy applied once, in gaps and suggestions, on the canonical world plus parts of
China with codes of their own (Taipei, Hong Kong), a country without diplomatic relations (Paraguay)
and a disputed territory (the Falkland Islands).

Known answers, by hand: Nanning's tie with Taipei is 港澳台交流, not a foreign partner; Guilin's tie
with Taipei gives no peer coverage; Shenzhen's tie with Asunción is a peer tie in a country that is
never a gap; Xiamen (240 km from Taipei, twinned with Osaka, as Taipei is) is never offered Taipei.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from graph_service.analysis import Strategy, gap_report, projection, suggest
from graph_service.analysis.features import Scoring
from graph_service.analysis.features.likelihood import _home_country_shares
from graph_service.cli import app
from graph_service.model import Edge, Node
from graph_service.services import cities
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records

EXTRA_COUNTRIES = {"TW": ("Taiwan", "AS", []), "HK": ("Hong Kong", "AS", ["CN"]), "PY": ("Paraguay", "SA", []),
                   "FK": ("Falkland Islands", "SA", [])}
EXTRA_CITIES = {
    "tp": ("Taipei", "TW", 25.05, 121.53), "hkc": ("Hong Kong", "HK", 22.28, 114.16),
    "asu": ("Asuncion", "PY", -25.28, -57.63), "stl": ("Stanley", "FK", -51.69, -57.86),
    "xm": ("Xiamen", "CN", 24.48, 118.09),
}
EXTRA_TIES = [("nn", "tp", "FRIENDLY_EXCHANGE"), ("gl", "tp", "SISTER_CITY"), ("sz", "asu", "SISTER_CITY"),
              ("tp", "os", "SISTER_CITY"), ("xm", "os", "SISTER_CITY"), ("hkc", "os", "SISTER_CITY"),
              ("sz", "stl", "SISTER_CITY")]
PROFILE = Strategy(
    name="t", name_zh="测试方案",
    groups=[{"id": "latam", "name": "Latin America", "name_zh": "拉美", "regions": ["continent:SA"], "weight": 1.0},
            {"id": "asia", "regions": ["continent:AS"], "weight": 0.5}],
    gap_countries={"PY": 1.0, "FK": 1.0, "TW": 1.0, "KH": 1.0},
)
FOREIGN_NEVER = {"TW", "HK", "PY", "FK"}


@pytest.fixture
def proj():
    store = SQLiteStore(":memory:")
    nodes, edges = canonical_records()
    nodes.append(Node(id="continent:SA", kind="Region", name="South America", name_zh="南美洲"))
    for cc, (name, continent, neighbours) in EXTRA_COUNTRIES.items():
        nodes.append(Node(id=cc, kind="Country", name=name, continent=continent, neighbours=neighbours))
        edges.append(Edge(src=cc, dst=f"continent:{continent}", type="IN_REGION"))
    for cid, (name, cc, lat, lon) in EXTRA_CITIES.items():
        nodes.append(Node(id=cid, kind="City", name=name, country=cc, lat=lat, lon=lon, population=1_000_000))
        edges.append(Edge(src=cid, dst=cc, type="LOCATED_IN"))
    edges += [Edge(src=a, dst=b, type=t) for a, b, t in EXTRA_TIES]
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    yield projection(store)
    store.close()


def test_gaps_list_ties_with_taiwan_apart_and_never_as_foreign(proj):
    report = gap_report(proj, "nn", strategy=PROFILE)
    assert [p.id for p in report.domestic.partners] == ["tp"]
    assert report.domestic.label == "Exchanges with Hong Kong, Macao and Taiwan"
    asia = next(g for g in report.groups if g.id == "continent:AS")
    assert sorted(p.id for p in asia.partners) == ["hp", "kk"] and asia.counts.total == 2
    assert sorted(asia.partner_countries) == ["TH", "VN"]
    for group in report.groups:
        shown = {g.country for g in group.gap_countries} | set(group.partner_countries)
        assert not shown & FOREIGN_NEVER, (group.id, shown)
        assert not {c.country for c in group.territories} & {"TW", "HK"}


def test_countries_without_relations_and_territories_are_listed_apart(proj):
    report = gap_report(proj, "nn", strategy=PROFILE)
    latam = next(g for g in report.groups if g.id == "strategy:latam")
    assert [c.country for c in latam.no_relations] == ["PY"] and [c.country for c in latam.territories] == ["FK"]
    assert latam.gap_countries == []
    assert [c.country for c in report.no_relations] == ["PY"]
    by_country = gap_report(proj, "nn", by="country", strategy=PROFILE)
    assert not {g.id for g in by_country.groups} & {"TW", "HK", "CN"}
    assert [g.gap_countries for g in by_country.groups if g.id in ("PY", "FK")] == [[], []]


def test_peer_coverage_counts_only_foreign_ties_of_mainland_peers(proj):
    report = gap_report(proj, "nn", by="country", strategy=PROFILE)
    japan = next(g for g in report.groups if g.id == "JP").gap_countries[0]
    assert (japan.country, japan.peer_coverage, japan.peers) == ("JP", 2, ["gl", "xm"])


def test_chinese_names_and_notes_in_chinese(proj):
    report = gap_report(proj, "nn", strategy=PROFILE, lang="zh")
    assert report.domestic.label == "港澳台交流"
    assert next(g for g in report.groups if g.id == "strategy:latam").name == "拉美"
    assert any("港澳台交流" in note and "中国台湾" in note for note in report.notes), report.notes
    assert report.no_relations[0].name == "巴拉圭"  # the Country node has no Chinese name: CLDR's


def test_suggestions_never_offer_parts_of_china_or_ineligible_countries(proj):
    for home in ("nn", "xm", "sz"):
        report = suggest(proj, home, limit=100, strategy=PROFILE)
        assert report.suggestions, home
        assert not {s.country for s in report.suggestions} & FOREIGN_NEVER, home
    xiamen = suggest(proj, "xm", limit=100, strategy=PROFILE)
    assert "tp" not in {s.id for s in xiamen.suggestions}
    assert {(x.country, x.standing) for x in xiamen.left_out} >= {("TW", "domestic"), ("HK", "domestic")}
    nanning = suggest(proj, "nn", limit=100, strategy=PROFILE)
    assert {(x.country, x.standing) for x in nanning.left_out} >= {("PY", "no_relations"), ("FK", "territory")}


def test_no_reason_calls_a_part_of_china_abroad(proj):
    report = suggest(proj, "xm", limit=100, strategy=PROFILE, include_home_country=True)
    assert "hkc" in {s.id for s in report.suggestions}, "asked for, home-country cities (Hong Kong too) come back"
    domestic = [s for s in report.suggestions if s.country in ("CN", "TW", "HK")]
    assert domestic
    assert not [r.text for s in domestic for r in s.reasons if "across the border" in r.text]
    hong_kong = next(s for s in report.suggestions if s.id == "hkc")
    near = [r for r in hong_kong.reasons if r.kind == "near_home"]
    assert near and "across the border" not in near[0].text


def test_country_affinity_counts_only_foreign_ties(proj):
    s = Scoring(proj, "nn", np.array([proj.cities.position["os"]]), 300.0)
    shares = _home_country_shares(s)
    position = proj.countries.position
    assert shares[position["TW"]] == 0.0 and shares[position["HK"]] == 0.0
    assert shares.sum() == pytest.approx(1.0)
    # the foreign ties of Chinese cities: kk×2, hp, os×2, vte×2, asu, stl (mn is ended)
    assert shares[position["JP"]] == pytest.approx(2 / 9)


def test_partner_lists_put_ties_with_taiwan_apart_in_the_api_the_cli_and_the_services(tmp_path):
    db = tmp_path / "p.db"
    store = SQLiteStore(db)
    nodes, edges = canonical_records()
    nodes.append(Node(id="TW", kind="Country", name="Taiwan"))
    nodes.append(Node(id="tp", kind="City", name="Taipei", country="TW", lat=25.05, lon=121.53))
    store.upsert_nodes(nodes)
    store.upsert_edges([*edges, Edge(src="nn", dst="tp", type="FRIENDLY_EXCHANGE"),
                        Edge(src="nn", dst="gl", type="FRIENDLY_EXCHANGE")])
    lists = cities.partner_lists(store, store.get_node("nn"))
    assert [p.partner.id for p in lists.territories] == ["tp"] and [p.partner.id for p in lists.home] == ["gl"]
    assert {p.partner.id for p in lists.foreign} == {"kk", "hp", "mn"} and lists.label["zh"] == "港澳台交流"
    store.close()
    result = CliRunner().invoke(app, ["--store", f"sqlite:///{db}", "partners", "nn", "--json"])
    doc = json.loads(result.output)
    assert [p["id"] for p in doc["domestic"]] == ["tp"] and "tp" not in {p["id"] for p in doc["partners"]}
    text = CliRunner().invoke(app, ["--store", f"sqlite:///{db}", "partners", "nn"], env={"COLUMNS": "200"}).output
    assert "港澳台交流" in text and text.index("港澳台交流") < text.index("Taipei")
