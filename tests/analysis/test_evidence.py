"""What a reason may rest on: demo (invented) records are named as such in both languages, and ties
within China (with Taiwan, Hong Kong, Macao, or between mainland cities) are never evidence of a
foreign partnership.

Known answers on the canonical world (tests/analysis/conftest.py), by hand: Nanning's tie with Khon
Kaen made a demo record makes "107 km from Khon Kaen" (Udon Thani) and "partner of Khon Kaen"
(Vientiane) say so, while "88 km from Hai Phong" (Hanoi, a real tie) does not. Nanning's tie with
Taipei, itself twinned with Osaka and Busan, never makes Osaka a partner of a partner, and Busan
(reachable only through Taipei) is never proposed at all.
"""

from __future__ import annotations

import pytest

from graph_service.analysis import Strategy, gap_report, projection, suggest
from graph_service.model import Edge, Node
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records

PROFILE = Strategy(name="t", groups=[{"id": "asia", "regions": ["continent:AS"], "weight": 1.0}])


def _store(extra_nodes: list[Node], extra_edges: list[Edge], demo_ties: set[tuple[str, str]] = frozenset()):
    nodes, edges = canonical_records()
    edges = [e.model_copy(update={"demo": True}) if (e.src, e.dst) in demo_ties else e for e in edges]
    store = SQLiteStore(":memory:")
    store.upsert_nodes(nodes + extra_nodes)
    store.upsert_edges(edges + extra_edges)
    return store


def _reason(report, cand, kind):
    suggestion = next(s for s in report.suggestions if s.id == cand)
    return next(r for r in suggestion.reasons if r.kind == kind)


@pytest.fixture
def demo_world():
    store = _store([], [], demo_ties={("kk", "nn")})
    yield projection(store)
    store.close()


@pytest.mark.parametrize(("lang", "words"), [("en", "(demo data, not real: Khon Kaen)"),
                                              ("zh", "(示例数据,并非真实记录:Khon Kaen)")])
def test_reasons_resting_on_a_demo_tie_say_so(demo_world, lang, words):
    report = suggest(demo_world, "nn", limit=50, strategy=PROFILE, lang=lang)
    near = _reason(report, "ud", "near_partner")
    assert near.demo == ["kk"] and near.text.endswith(words)
    pop = _reason(report, "vte", "partner_of_partner")
    assert pop.demo == ["kk"] and pop.text.endswith(words)
    real = _reason(report, "hn", "near_partner")
    assert real.evidence == ["hp"] and real.demo == [] and "demo" not in real.text and "示例" not in real.text


def test_gap_reports_mark_demo_partners_and_say_they_are_counted(demo_world):
    zh = gap_report(demo_world, "nn", lang="zh")
    marked = {p.id: p.demo for g in zh.groups for p in g.partners}
    assert marked["kk"] is True and marked["hp"] is False
    assert "其中 1 个友城为示例数据(虚构示例,并非真实关系),此处按真实关系计算:Khon Kaen。" in zh.notes
    assert any(n.startswith("1 of these partners are demo records") for n in gap_report(demo_world, "nn").notes)


def test_a_gap_report_without_demo_partners_has_no_such_note(taiwan_tie):
    assert not [n for n in gap_report(taiwan_tie, "nn").notes if "demo" in n]


def test_a_demo_tie_of_the_candidate_marks_a_counting_reason(tmp_path):
    # two more real partners give Vientiane the 5 that "open to partnerships" needs to be shown (issue 14)
    thai = [Node(id="cr", kind="City", name="Chiang Rai", country="TH", lat=19.91, lon=99.83),
            Node(id="nk", kind="City", name="Nong Khai", country="TH", lat=17.88, lon=102.74)]
    ties = [edge for city in thai for edge in (Edge(src=city.id, dst="TH", type="LOCATED_IN"),
                                               Edge(src=city.id, dst="vte", type="SISTER_CITY"))]
    store = _store(thai, ties, demo_ties={("kk", "vte")})
    report = suggest(projection(store), "nn", limit=50, strategy=PROFILE)
    assert _reason(report, "vte", "partner_of_partner").demo == ["kk"]
    assert _reason(report, "vte", "well_connected").demo == ["kk"]
    assert _reason(report, "ud", "near_partner").demo == [], "Nanning-Khon Kaen itself is real"
    store.close()


def test_a_path_rests_on_its_steps_only():
    """Nanning → Khon Kaen → Vientiane → Luang Prabang: real with only Shenzhen–Vientiane invented (no
    step of it), demo with Khon Kaen–Vientiane or Vientiane–Luang Prabang invented."""
    lp = [Node(id="lp", kind="City", name="Luang Prabang", country="LA", lat=19.89, lon=102.13)]
    for demo_tie, expected in (({("sz", "vte")}, []), ({("kk", "vte")}, ["vte"]), ({("lp", "vte")}, ["vte"])):
        edges = [Edge(src="lp", dst="LA", type="LOCATED_IN"),
                 Edge(src="lp", dst="vte", type="SISTER_CITY", demo=("lp", "vte") in demo_tie)]
        store = _store(lp, edges, demo_ties=demo_tie)
        report = suggest(projection(store), "nn", limit=50, strategy=PROFILE)
        path = _reason(report, "lp", "three_hop")
        assert path.evidence == ["kk", "vte"] and path.demo == expected, (demo_tie, path)
        store.close()


def test_a_demo_node_as_evidence_is_named():
    store = _store([], [])
    node = store.get_node("kk")
    store.upsert_nodes([node.model_copy(update={"demo": True})])
    report = suggest(projection(store), "nn", limit=50, strategy=PROFILE, lang="zh")
    assert _reason(report, "ud", "near_partner").demo == ["kk"]
    assert "示例数据" in _reason(report, "ud", "near_partner").text
    store.close()


@pytest.fixture
def taiwan_tie():
    nodes = [Node(id="TW", kind="Country", name="Taiwan", continent="AS"),
             Node(id="KR", kind="Country", name="South Korea", continent="AS"),
             Node(id="tp", kind="City", name="Taipei", name_zh="台北", country="TW", lat=25.05, lon=121.53),
             Node(id="bs", kind="City", name="Busan", country="KR", lat=35.18, lon=129.08, population=3_400_000)]
    edges = [Edge(src="TW", dst="continent:AS", type="IN_REGION"), Edge(src="KR", dst="continent:AS", type="IN_REGION"),
             Edge(src="tp", dst="TW", type="LOCATED_IN"), Edge(src="bs", dst="KR", type="LOCATED_IN"),
             Edge(src="nn", dst="tp", type="FRIENDLY_EXCHANGE", status="active"),
             Edge(src="tp", dst="os", type="SISTER_CITY"), Edge(src="tp", dst="bs", type="SISTER_CITY"),
             Edge(src="bs", dst="hn", type="SISTER_CITY")]
    store = _store(nodes, edges)
    yield projection(store)
    store.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_tie_with_taiwan_is_never_evidence_of_a_foreign_partner(taiwan_tie, lang):
    report = suggest(taiwan_tie, "nn", limit=100, strategy=PROFILE, lang=lang)
    assert report.suggestions
    for s in report.suggestions:
        for r in s.reasons:
            assert "tp" not in r.evidence and "Taipei" not in r.text and "台北" not in r.text, (s.id, r.text)
            assert "tp" not in str(r.params), (s.id, r.params)
    busan = next((s for s in report.suggestions if s.id == "bs"), None)
    if busan is not None:  # reachable through Taipei only; proposed on its own merits, never through Taipei
        assert not {"partner_of_partner", "three_hop"} & set(busan.sources), busan.sources
        assert {r.kind for r in busan.reasons} <= {"strategy_region", "similar_size", "country_affinity"}, busan
    assert "partner_of_partner" not in next(s for s in report.suggestions if s.id == "os").sources


def test_the_same_tie_abroad_is_evidence(taiwan_tie):
    """Control: Tokyo-side view. For Osaka (JP) the tie with Taipei is foreign and Busan is a partner of it."""
    report = suggest(taiwan_tie, "os", limit=100, strategy=PROFILE)
    busan = next(s for s in report.suggestions if s.id == "bs")
    assert "tp" in _reason(report, "bs", "partner_of_partner").evidence and "partner_of_partner" in busan.sources


def test_province_partners_are_counted_as_provinces_not_cities():
    gx = Node(id="province:cn:guangxi", kind="City", name="Guangxi", name_zh="广西壮族自治区", country="CN",
              level="province")
    edges = [Edge(src=gx.id, dst="CN", type="LOCATED_IN"), Edge(src=gx.id, dst="vte", type="SISTER_CITY"),
             Edge(src=gx.id, dst="pp", type="SISTER_CITY")]
    store = _store([gx], edges)
    proj = projection(store)
    zh = suggest(proj, "nn", limit=50, strategy=PROFILE, lang="zh")
    both = _reason(zh, "vte", "compatriot_ties")
    assert both.text == "已与中国的 2 个城市结好:Guilin、Shenzhen;另与 1 个省级行政区结好:广西壮族自治区"
    assert both.params["n"] == 2 and both.evidence == ["gl", "province:cn:guangxi", "sz"]
    only = _reason(suggest(proj, "nn", limit=50, strategy=PROFILE, lang="en"), "pp", "compatriot_ties")
    assert only.text == "Already twinned with 1 province or region in China: Guangxi (广西壮族自治区)"
    store.close()


@pytest.mark.parametrize("lang, words", [("en", "demo data, not real"), ("zh", "示例数据,并非真实记录")])
def test_on_the_demo_world_every_reason_through_shuozhous_invented_partners_says_so(world_demo_db, lang, words):
    """Real data: all ten of Shuozhou's partners are invented (seed 003 gives only the counts), so every
    reason naming one of them as evidence must say so; a reason through none of them must not."""
    store = world_demo_db.open()
    proj = projection(store)
    invented = {p for p, edge in proj.partners("geonames:1794328").items() if edge.demo}
    assert len(invented) == 10
    report = suggest(proj, "geonames:1794328", limit=50, lang=lang)  # 50: enough reasons of both sorts
    through, not_through = 0, 0
    for s in report.suggestions:
        for r in s.reasons:
            rests = set(r.evidence) & invented
            if rests:
                through += 1
                assert set(r.demo) >= rests and words in r.text, (s.name, r.text)
            elif r.kind in ("similar_size", "country_affinity"):
                not_through += 1
                assert not r.demo and words not in r.text, (s.name, r.text)
    assert through >= 30 and not_through >= 30
    store.close()
