import pytest

from graph_service.analysis import Strategy, load_strategy, projection, suggest
from graph_service.errors import NotFound

ASEAN_FIRST = Strategy(
    name="t",
    groups=[{"id": "asean", "regions": ["ASEAN"], "weight": 1.0}],
    gap_countries={"KH": 1.0},
    targets=[{"name": "Bogor", "country": "ID"}],
)


def by_id(report):
    return {s.id: s for s in report.suggestions}


def reason(suggestion, kind):
    found = [r for r in suggestion.reasons if r.kind == kind]
    assert found, f"{suggestion.id} has no {kind} reason: {[r.kind for r in suggestion.reasons]}"
    return found[0]


@pytest.fixture
def report(world):
    return suggest(projection(world), "nn", limit=50, strategy=ASEAN_FIRST)


def test_near_partner_names_the_partner(report):
    r = reason(by_id(report)["ud"], "near_partner")
    assert r.evidence == ["kk"] and "Khon Kaen" in r.text and "107 km" in r.text
    assert reason(by_id(report)["hn"], "near_partner").evidence == ["hp"]


def test_partner_of_partner_and_compatriot_ties(report):
    vte = by_id(report)["vte"]
    assert reason(vte, "partner_of_partner").evidence == ["kk"]
    assert reason(vte, "compatriot_ties").evidence == ["gl", "sz"]
    assert reason(by_id(report)["os"], "compatriot_ties").evidence == ["gl"]


def test_neighbour_country_reason(report):
    r = reason(by_id(report)["pp"], "neighbour_country")
    assert r.evidence == ["KH", "TH", "VN", "hp", "kk"]
    assert "borders" in r.text and "Khon Kaen" in r.text


def test_institution_reasons(report):
    s = by_id(report)
    assert reason(s["cm"], "institution").evidence == ["school-nn", "school-cm"]
    assert reason(s["pp"], "institution").evidence == ["consulate-kh", "KH"]
    assert reason(s["ly"], "institution").evidence == ["hc-ly"]
    assert reason(s["gt"], "institution").evidence == ["ent-gt"]


def test_strategy_reasons(report):
    s = by_id(report)
    assert reason(s["pp"], "gap_country").evidence == ["KH"]
    assert reason(s["bg"], "named_target").evidence == ["bg"]
    assert reason(s["ud"], "strategy_region").evidence == ["ASEAN"]
    assert reason(s["cm"], "shared_tags").evidence == ["cm", "nn"]
    assert "gap_country" not in {r.kind for r in s["ud"].reasons}  # Nanning has a Thai partner


def test_every_evidence_id_exists_and_contributions_add_up(world, report):
    proj = projection(world)
    for s in report.suggestions:
        for r in s.reasons:
            assert r.evidence and all(e in proj.nodes for e in r.evidence), r
        # reasons below their threshold (e.g. "open to partnerships" under 5 partners) count but are not shown
        assert 0 < sum(r.contribution for r in s.reasons) <= s.score + 0.01
    scores = [s.score for s in report.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_exclusions(world, report):
    ids = set(by_id(report))
    assert not ids & {"nn", "kk", "hp"}  # home and existing partners
    assert not ids & {"gl", "sz"}  # home country
    wider = by_id(
        suggest(
            projection(world), "nn", limit=50, strategy=ASEAN_FIRST, include_partners=True, include_home_country=True
        )
    )
    assert {"kk", "hp", "sz", "gl"} <= set(wider)
    assert "nn" not in wider


def test_ended_partner_may_be_suggested_again(world):
    strategy = Strategy(name="eu", gap_countries={"DE": 1.0})
    assert "mn" in by_id(suggest(projection(world), "nn", limit=50, strategy=strategy))


def test_weight_change_reorders_two_known_candidates(world):
    def rank(strategy):
        order = [s.id for s in suggest(projection(world), "nn", limit=50, strategy=strategy).suggestions]
        return order.index("ud"), order.index("pp")

    zero = {f: 0.0 for f in load_strategy().weights()}
    near_first = Strategy(
        name="near", gap_countries={"KH": 1.0}, feature_weights=zero | {"partner_proximity": 1.0, "gap_country": 0.1}
    )
    gaps_first = Strategy(
        name="gaps", gap_countries={"KH": 1.0}, feature_weights=zero | {"partner_proximity": 0.1, "gap_country": 1.0}
    )
    ud, pp = rank(near_first)
    assert ud < pp
    ud, pp = rank(gaps_first)
    assert pp < ud


def test_limit_and_json_shape(world):
    data = suggest(projection(world), "nn", limit=3, strategy=ASEAN_FIRST).model_dump()
    assert set(data["city"]) >= {"id", "name", "country"} and data["city"]["id"] == "nn"
    assert len(data["suggestions"]) == 3
    s = data["suggestions"][0]
    assert set(s) >= {"id", "name", "country", "score", "reasons"}
    assert set(s["reasons"][0]) >= {"kind", "text", "evidence", "contribution"}


def test_city_without_partners_or_coordinates(world):
    lonely = suggest(projection(world), "nocoord", strategy=ASEAN_FIRST)
    assert any("no partners" in n for n in lonely.notes) and any("no coordinates" in n for n in lonely.notes)
    assert all(s.country != "FR" for s in lonely.suggestions)
    assert {"pp", "bg"} <= set(by_id(lonely))


def test_unknown_city_is_not_found(world):
    with pytest.raises(NotFound):
        suggest(projection(world), "nope")
    with pytest.raises(NotFound):
        suggest(projection(world), "school-nn")


def test_nanning_profile_changes_the_ranking(world):
    plain = [s.id for s in suggest(projection(world), "nn", limit=50).suggestions]
    layout = [
        s.id for s in suggest(projection(world), "nn", limit=50, strategy=load_strategy("nanning-2012")).suggestions
    ]
    assert plain != layout
    assert layout.index("pp") < plain.index("pp") if "pp" in plain else "pp" in layout


def test_city_with_no_country_no_coordinates_and_no_partners(world):
    from graph_service.analysis import gap_report
    from graph_service.model import Node

    world.upsert_nodes([Node(id="bare", kind="City", name="Bare")])
    report = suggest(projection(world), "bare", strategy=ASEAN_FIRST)
    assert {"pp", "bg"} <= set(by_id(report))  # strategy sources still work
    gaps = gap_report(projection(world), "bare", strategy=ASEAN_FIRST)
    asean = next(g for g in gaps.groups if g.id == "ASEAN")
    assert all(g.peer_coverage == 0 for g in asean.gap_countries) and len(asean.gap_countries) == 6


def test_store_with_a_single_city_gives_notes_not_errors():
    from graph_service.analysis import gap_report
    from graph_service.model import Node
    from graph_service.store.sqlite import SQLiteStore

    store = SQLiteStore(":memory:")
    store.upsert_nodes([Node(id="solo", kind="City", name="Solo", country="FR")])
    report = suggest(projection(store), "solo")
    assert report.suggestions == [] and any("geography" in n for n in report.notes)
    gaps = gap_report(projection(store), "solo")
    assert gaps.groups == [] and gaps.notes


def test_no_candidate_note_when_geography_is_loaded(world):
    from graph_service.model import Node

    world.upsert_nodes([Node(id="far", kind="City", name="Faraway", country="ID")])  # no Indonesian city has ties
    report = suggest(projection(world), "far", strategy=Strategy(name="none"))
    assert report.suggestions == [] and any("--strategy" in n for n in report.notes)
