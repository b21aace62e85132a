"""Suggestions on the real world network (``world_db``: GeoNames geography plus sister_pairs.csv) and on
the demo (``world_demo_db``): the near-home source, the reason thresholds and the matching-city mode."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graph_service.analysis import projection, suggest
from graph_service.analysis.features.base import (
    HUB_PERCENTILE,
    MIN_NATIONAL_SHARE,
    OPEN_MIN_PARTNERS,
    SIMILAR_SIZE_RATIO,
)
from graph_service.analysis.matching import match_cities
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def world_proj(world_db):
    store = world_db.open()
    try:
        yield projection(store)
    finally:
        store.close()


def test_dongxing_sees_mong_cai_across_the_border_with_its_distance(world_db):
    data = json.loads(run_cli(world_db.path, "suggest", "Dongxing", "--country", "CN", "--json"))
    assert data["city"]["name"] == "Dongxing"
    mong_cai = next(s for s in data["suggestions"] if s["name"] in ("Móng Cái", "Mong Cai"))
    assert mong_cai["country"] == "VN" and "near_home" in mong_cai["sources"]
    assert mong_cai["name_zh"] == "芒街"  # GeoNames has no Han name for it (names_zh.CITY_NAMES_ZH)
    near = next(r for r in mong_cai["reasons"] if r["kind"] == "near_home")
    assert "km from Dongxing" in near["text"] and "across the border in Vietnam" in near["text"]
    km = int(near["text"].split(" km")[0])
    assert 0 < km < 20, near["text"]  # the two cities face each other across the Beilun river


def shown_reasons_for_chinese_cities(proj, n: int = 200, seed: int = 14):
    """``n`` suggestions (with their reasons) for random Chinese cities that have partners."""
    rng = np.random.default_rng(seed)
    homes = [c for c in proj.cities.by_country["CN"] if proj.partners(c)]
    found = []
    for home in rng.permutation(homes):
        for s in suggest(proj, str(home), limit=10).suggestions:
            found.append((str(home), s))
        if len(found) >= n:
            return found[:n]
    return found


def national_share(proj, home_country: str, country: str) -> float:
    ties = [(a, b) for a in proj.cities.by_country[home_country] for b in proj.partners(a)]
    foreign = [b for _, b in ties if proj.country_of(b) not in (home_country, None)]
    return sum(proj.country_of(b) == country for b in foreign) / len(foreign)


def test_no_shown_reason_breaks_its_threshold_on_200_suggestions_for_chinese_cities(world_proj):
    proj = world_proj
    found = shown_reasons_for_chinese_cities(proj)
    assert len(found) == 200
    degree = proj.ties.degree
    hub = np.percentile(degree[degree > 0], HUB_PERCENTILE)
    kinds = set()
    for home, s in found:
        assert s.reasons, (home, s.id)
        assert [r.contribution for r in s.reasons] == sorted((r.contribution for r in s.reasons), reverse=True)
        for r in s.reasons:
            kinds.add(r.kind)
            if r.kind == "similar_size":
                a, b = proj.nodes[home].population, proj.nodes[s.id].population
                assert max(a, b) / min(a, b) <= SIMILAR_SIZE_RATIO, (home, s.id, r.text)
            elif r.kind == "well_connected":
                assert len(proj.partners(s.id)) >= OPEN_MIN_PARTNERS, (s.id, r.text)
            elif r.kind == "country_affinity":
                assert national_share(proj, "CN", s.country) >= MIN_NATIONAL_SHARE, (s.id, r.text)
            elif r.kind == "three_hop":
                middle = r.evidence
                assert len(middle) == 2 and all(degree[proj.cities.position[m]] <= hub for m in middle), r.text
    assert {"partner_of_partner", "country_affinity"} <= kinds, kinds


def test_matching_cities_for_nanning_and_tongchuan(world_demo_db):
    data = json.loads(run_cli(world_demo_db.path, "suggest", "Nanning", "--match", "--json"))
    assert data["strategy"] == "match" and len(data["suggestions"]) == 20
    for s in data["suggestions"]:
        assert s["country"] != "CN" and s["reasons"], s
        assert {r["kind"] for r in s["reasons"]} <= {"similar_size", "shared_tags", "same_port_status", "both_capitals"}
    kinds = {r["kind"] for s in data["suggestions"] for r in s["reasons"]}
    assert {"similar_size", "both_capitals"} <= kinds
    store = world_demo_db.open()
    try:
        tongchuan = match_cities(projection(store), "geonames:7064006", limit=10)
    finally:
        store.close()
    ceramics = [s for s in tongchuan.suggestions if any("ceramics" in r.text for r in s.reasons)]
    assert {s.name for s in ceramics} >= {"Arita", "Limoges", "Delft"}, [s.name for s in tongchuan.suggestions]
