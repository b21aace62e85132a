"""The near-home and likely candidate sources, the peer-partners feature, and reasons held to their
thresholds, on the canonical world of ``conftest`` (distances by hand: Nanning–Hanoi ≈ 320 km,
Nanning–Guilin ≈ 340 km, Nanning–Shenzhen ≈ 590 km)."""

from __future__ import annotations

import numpy as np

from graph_service.analysis import Strategy, projection, suggest
from graph_service.analysis.features import FEATURES, Scoring
from graph_service.analysis.features.base import HUB_MIN_PARTNERS
from graph_service.analysis.suggest import LIKELY_TOP, rank_candidates
from graph_service.model import Edge, Node

WIDE = Strategy(name="wide", radius_km=400)


def by_id(report):
    return {s.id: s for s in report.suggestions}


def test_near_home_source_proposes_cities_across_the_border_with_the_distance(world):
    report = suggest(projection(world), "nn", limit=50, strategy=WIDE)
    hanoi = by_id(report)["hn"]
    assert "near_home" in hanoi.sources
    near = next(r for r in hanoi.reasons if r.kind == "near_home")
    assert near.text == "323 km from Nanning, across the border in Vietnam"
    narrow = rank_candidates(projection(world), "nn", Strategy(name="narrow", radius_km=300))
    assert narrow is not None
    near = [projection(world).cities.ids[i] for i in narrow.pool.by_source["near_home"]]
    assert near == ["hp"], "within 300 km only Hai Phong, already a partner (left out later)"


def test_near_home_leaves_out_the_home_country(world):
    proj = projection(world)
    ranking = rank_candidates(proj, "gl", Strategy(name="wide", radius_km=700))
    assert ranking is not None
    near = {proj.cities.ids[i] for i in ranking.pool.by_source["near_home"]}
    assert near == {"hn", "hp"}, "Nanning and Shenzhen are within 700 km of Guilin but in China"


def test_likely_source_holds_the_scorers_top_and_the_eligible_set_is_every_foreign_non_partner(world):
    proj = projection(world)
    ranking = rank_candidates(proj, "nn", WIDE)
    assert ranking is not None
    eligible = {proj.cities.ids[i] for i in ranking.eligible}
    assert eligible == {"ud", "cm", "hn", "vte", "pp", "gt", "bg", "os", "mn", "ly", "nocoord"}
    top = ranking.eligible[np.argsort(-ranking.eligible_score, kind="stable")[:LIKELY_TOP]]
    scored = top[ranking.eligible_score[np.searchsorted(ranking.eligible, top)] > 0.05]
    assert set(scored.tolist()) <= set(ranking.scoring.cand.tolist())


def test_peer_partners_names_the_neighbour_at_home_and_its_distance(world):
    proj = projection(world)
    cand = np.array([proj.cities.position[c] for c in ("vte", "os", "ly")])
    scoring = Scoring(proj, "nn", cand, 300.0)
    values = FEATURES["peer_partners"].compute(scoring)
    # Guilin (≈ 340 km) partners Vientiane and Osaka; Shenzhen (≈ 590 km) is beyond 500 km; Lyon has none.
    km = scoring.km_between("nn", "gl")
    assert values[0] == values[1] == 1 - np.exp(-np.exp(-km / 100)) and values[2] == 0
    found = FEATURES["peer_partners"].explain(scoring, "vte")
    assert found is not None and found.evidence == ["gl"]
    assert found.params == {"peers": ["gl"], "km": round(km), "home": "nn"}
    vientiane = next(s for s in suggest(proj, "nn", limit=50, strategy=WIDE).suggestions if s.id == "vte")
    reason = next(r for r in vientiane.reasons if r.kind == "peer_partners")
    assert reason.text == f"Already a partner of Guilin, within {round(km)} km of Nanning"


def test_vacuous_reasons_are_held_back_but_still_count(world):
    proj = projection(world)
    cand = np.array([proj.cities.position[c] for c in ("ud", "kk")])
    scoring = Scoring(proj, "nn", cand, 300.0)
    size = FEATURES["size_similarity"].explain(scoring, "ud")
    assert size is not None and size.held_back == "29.2× apart"  # 3,800,000 against 130,000
    popular = FEATURES["popularity"].explain(scoring, "kk")
    assert popular is not None and popular.held_back == "only 3 partners"
    assert FEATURES["size_similarity"].compute(scoring)[0] > 0, "the value still counts in the score"
    report = suggest(proj, "nn", limit=50, strategy=WIDE)
    reasons = {(s.id, r.kind) for s in report.suggestions for r in s.reasons}
    assert ("hn", "similar_size") in reasons, "Hanoi (8,000,000) is within 3× of Nanning"
    assert not {k for _, k in reasons} & {"well_connected"}, "no candidate has 5 partners"
    for cid in {c for c, k in reasons if k == "similar_size"}:
        population = proj.nodes[cid].population
        assert max(population, 3_800_000) / min(population, 3_800_000) <= 3, cid


def test_similar_size_within_three_times_is_shown(world):
    proj = projection(world)
    scoring = Scoring(proj, "kk", np.array([proj.cities.position["vte"], proj.cities.position["ud"]]), 300.0)
    assert FEATURES["size_similarity"].explain(scoring, "ud").held_back is None  # 130,000 against 114,000
    assert FEATURES["size_similarity"].explain(scoring, "vte").held_back == "7.4× apart"


def _with_luang_prabang(world, vientiane_partners: int):
    """The canonical world plus Luang Prabang, twinned with Vientiane, and ``vientiane_partners`` more
    French towns twinned with Vientiane; Nanning → Khon Kaen → Vientiane → Luang Prabang is a path."""
    towns = [Node(id=f"fr{i}", kind="City", name=f"Bourg {i}", country="FR", lat=45.0 + i / 10, lon=4.0)
             for i in range(vientiane_partners)]
    lp = Node(id="lp", kind="City", name="Luang Prabang", country="LA", lat=19.89, lon=102.13)
    world.upsert_nodes([lp, *towns])
    world.upsert_edges([Edge(src="lp", dst="LA", type="LOCATED_IN"), Edge(src="lp", dst="vte", type="SISTER_CITY"),
                        *(Edge(src=t.id, dst="vte", type="SISTER_CITY") for t in towns)])
    proj = projection(world)
    return Scoring(proj, "nn", np.array([proj.cities.position["lp"]]), 300.0)


def test_a_three_step_path_is_held_back_only_through_a_hub_of_more_than_ten_partners(world):
    scoring = _with_luang_prabang(world, vientiane_partners=0)
    assert scoring.hub_degree == HUB_MIN_PARTNERS, "in the small canonical world the floor decides"
    path = FEATURES["three_hop"].explain(scoring, "lp")
    assert path is not None and path.evidence == ["kk", "vte"] and path.held_back is None  # Vientiane: 4 partners
    scoring = _with_luang_prabang(world, vientiane_partners=8)  # Vientiane: 12 partners, a hub
    path = FEATURES["three_hop"].explain(scoring, "lp")
    assert path is not None and path.held_back == "every path crosses a hub (12 partners)"
