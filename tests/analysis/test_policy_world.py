"""Issue 9, acceptance 1, on the world dataset (``geo`` then the shared pairs file), through the CLI:
``gaps Nanning``, ``gaps --province Guangxi`` and ``suggest`` for Shanghai, Xiamen and Fuzhou
(``--limit 300 --json``) hold no Taiwan, Hong Kong or Macao entry as a foreign country, gap or
candidate, and none of the 13 without diplomatic relations as a gap or candidate; those are listed
in their own lists instead."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

DOMESTIC = {"TW", "HK", "MO"}
NO_RELATIONS = {"BZ", "BT", "SZ", "GT", "HT", "MH", "PW", "PY", "KN", "LC", "VC", "TV", "VA"}
FUZHOU_FUJIAN = "geonames:1810821"


@pytest.fixture(scope="module")
def gaps(world_db) -> dict[str, dict]:
    return {
        "Nanning": json.loads(run_cli(world_db.path, "gaps", "Nanning", "--json")),
        "Guangxi": json.loads(run_cli(world_db.path, "gaps", "--province", "Guangxi", "--json")),
        "Nanning by country": json.loads(run_cli(world_db.path, "gaps", "Nanning", "--by", "country", "--json")),
    }


@pytest.fixture(scope="module")
def suggestions(world_db) -> dict[str, dict]:
    cities = {"Shanghai": ["Shanghai", "--country", "CN"], "Xiamen": ["Xiamen"], "Fuzhou": [FUZHOU_FUJIAN]}
    return {name: json.loads(run_cli(world_db.path, "suggest", *args, "--limit", "300", "--json"))
            for name, args in cities.items()}


def test_gaps_hold_no_part_of_china_and_no_country_without_relations(gaps):
    for name, report in gaps.items():
        assert report["groups"], name
        for group in report["groups"]:
            gap_codes = {g["country"] for g in group["gap_countries"]}
            assert not gap_codes & (DOMESTIC | NO_RELATIONS), (name, group["id"], gap_codes & (DOMESTIC | NO_RELATIONS))
            assert not set(group["partner_countries"]) & DOMESTIC, (name, group["id"])
            assert not {p["country"] for p in group["partners"]} & DOMESTIC, (name, group["id"])
            assert not {c["country"] for c in group["territories"]} & DOMESTIC
            assert group["id"] not in DOMESTIC
        assert {c["country"] for c in report["no_relations"]} == NO_RELATIONS, name
    asia = next(g for g in gaps["Nanning"]["groups"] if g["id"] == "continent:AS")
    assert {c["country"] for c in asia["no_relations"]} == {"BT"}
    assert "PY" in {c["country"] for g in gaps["Nanning"]["groups"] for c in g["no_relations"]}


def test_suggestions_hold_no_part_of_china_and_no_country_without_relations(suggestions):
    for name, report in suggestions.items():
        assert len(report["suggestions"]) == 300, name
        countries = {s["country"] for s in report["suggestions"]}
        assert not countries & (DOMESTIC | NO_RELATIONS), (name, countries & (DOMESTIC | NO_RELATIONS))
        assert None not in countries
        for s in report["suggestions"]:
            for reason in s["reasons"]:
                assert "Taiwan" not in reason["text"] or "Taiwan, China" in reason["text"], reason["text"]
        left_out = {x["country"]: x["standing"] for x in report["left_out"]}
        assert all(left_out[cc] == "domestic" for cc in DOMESTIC & set(left_out)), name
        assert all(left_out[cc] == "no_relations" for cc in NO_RELATIONS & set(left_out)), name
    xiamen = {x["country"]: x for x in suggestions["Xiamen"]["left_out"]}
    assert xiamen["TW"]["standing"] == "domestic" and xiamen["TW"]["candidates"] >= 1
    assert {"no_relations", "territory"} <= {x["standing"] for r in suggestions.values() for x in r["left_out"]}
