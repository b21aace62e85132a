"""The feature registry: every feature keeps its computation, its reason and its default weight
together, and explains every value it gives (on the canonical world of ``conftest``)."""

from __future__ import annotations

import numpy as np
import pytest

from graph_service.analysis import Strategy, projection
from graph_service.analysis.candidates import build_pool
from graph_service.analysis.features import (
    DEFAULT_WEIGHTS,
    FEATURES,
    LIKELIHOOD_NAMES,
    MIN_CONTRIBUTION,
    STRATEGY_NAMES,
    Feature,
    Scoring,
    compute,
    explain,
)
from graph_service.analysis.reasons import render

PROFILE = Strategy(
    name="t",
    groups=[{"id": "asean", "regions": ["ASEAN"], "weight": 1.0}],
    gap_countries={"KH": 1.0},
    targets=[{"name": "Bogor", "country": "ID"}],
)


@pytest.fixture
def scoring(world) -> Scoring:
    proj = projection(world)
    pool = build_pool(proj, "nn", PROFILE)
    cand = pool.candidates()
    foreign = proj.cities.country[cand] != proj.cities.country[proj.cities.position["nn"]]
    partners = np.isin(cand, [proj.cities.position[p] for p in proj.partners("nn")])
    cand = cand[foreign & ~partners]  # the candidates suggest() scores
    return Scoring(proj, "nn", cand, PROFILE.radius_km, PROFILE, pool)


def test_every_feature_is_registered_once_with_its_weight_and_group():
    assert list(FEATURES) == [*LIKELIHOOD_NAMES, *STRATEGY_NAMES]
    assert len(FEATURES) == 17 and set(DEFAULT_WEIGHTS) == set(FEATURES)
    for name, feature in FEATURES.items():
        assert feature.name == name and feature.weight >= 0
        assert feature.group == ("likelihood" if name in LIKELIHOOD_NAMES else "strategy")
        assert type(feature).compute is not Feature.compute and type(feature).explain is not Feature.explain, name
        assert feature.explained_by is None or FEATURES[feature.explained_by].explained_by is None


def test_every_feature_gives_values_in_the_unit_interval(scoring):
    values = compute(scoring)
    assert set(values) == set(FEATURES)
    for name, column in values.items():
        assert column.shape == scoring.cand.shape, name
        assert np.all((column >= 0) & (column <= 1)), name


def test_every_feature_explains_every_value_it_gives(scoring):
    """For each feature, each candidate it scores above the reporting threshold gets a reason from the
    feature that owns the explanation, with evidence that exists in the graph."""
    values = compute(scoring)
    ids = scoring.proj.cities.ids
    for name, column in values.items():
        scored = [ids[c] for c, v in zip(scoring.cand, column, strict=True) if v >= MIN_CONTRIBUTION]
        assert scored, f"{name} scores no candidate on the canonical world, so it is untested"
        owner = FEATURES[FEATURES[name].explained_by or name]
        for cand in scored:
            found = owner.explain(scoring, cand)
            assert found is not None, (name, cand)
            assert found.evidence, (name, cand)
            for lang in ("en", "zh"):
                assert render(found.template or found.kind, found.params, lang, scoring.names.label), (name, lang)
            assert all(e in scoring.proj.nodes for e in found.evidence), (name, cand, found.evidence)


def test_reasons_merge_into_their_owner_and_sort_by_contribution(scoring):
    cand = "vte"
    contributions = {"adamic_adar": 0.3, "resource_allocation": 0.2, "home_proximity": 0.1, "popularity": 0.001}
    reasons = explain(scoring, cand, contributions)
    assert [r.kind for r in reasons] == ["partner_of_partner", "near_home"]
    assert reasons[0].contribution == 0.5, "resource allocation adds to the Adamic-Adar reason"
    assert "Khon Kaen" in reasons[0].text and reasons[0].evidence == ["kk"]
