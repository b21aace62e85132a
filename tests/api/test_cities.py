"""Per-city reads over HTTP on the demo scenario: partners, ego networks, names and ambiguity."""

from __future__ import annotations

import pytest

from .conftest import api_on_both_stores
from .support import assert_error, city, unique


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request):
    """Every test here runs on SQLite and on the live Neo4j."""
    return api_on_both_stores(request)


NANNING = "geonames:1799869"


def test_partners_of_nanning(api):
    doc = api.client("viewer").get(f"/cities/{NANNING}/partners").json()
    assert doc["city"]["id"] == NANNING and doc["city"]["name_zh"] == "南宁"
    assert doc["partners"] and all(p["tier"] in ("sister", "friendly") for p in doc["partners"])
    assert all(NANNING in p["edge_id"] for p in doc["partners"])


def test_a_city_by_name_in_any_language(api):
    for name in ("南宁", "Nanning", "nanning"):
        assert api.client("viewer").get(f"/cities/{name}/partners").json()["city"]["id"] == NANNING


def test_ego_depth_one_and_two(api):
    editor = api.client("editor")
    a, b, c = (unique("ego") for _ in range(3))
    editor.post("/nodes/batch", json={"nodes": [city(a), city(b), city(c)]})
    editor.post("/edges/batch", json={"edges": [{"src": a, "dst": b, "type": "SISTER_CITY"},
                                                 {"src": b, "dst": c, "type": "SISTER_CITY"}]})
    one = editor.get(f"/cities/{a}/ego", params={"depth": 1}).json()
    two = editor.get(f"/cities/{a}/ego", params={"depth": 2}).json()
    assert {n["id"] for n in one["nodes"]} == {a, b}
    assert {n["id"] for n in two["nodes"]} == {a, b, c} and len(two["edges"]) == 2
    assert editor.get(f"/cities/{a}/ego", params={"depth": 3}).status_code == 422


def test_unknown_city_is_404_and_ambiguous_name_is_409(api):
    editor = api.client("editor")
    assert editor.get("/cities/Atlantis/partners").json()["error"] == "not_found"
    name = unique("Springfield")
    editor.post("/nodes/batch", json={"nodes": [city(unique("s"), name=name, country="US"),
                                                city(unique("s"), name=name, country="US", admin1="MA")]})
    error = editor.get(f"/cities/{name}/partners").json()
    assert error["error"] == "ambiguous" and len(error["details"]["candidates"]) == 2


def test_a_node_that_is_not_a_city_is_404(api):
    viewer = api.client("viewer")
    assert viewer.get("/nodes/CN").json()["kind"] == "Country"  # the node exists, but is no city
    assert_error(viewer.get("/cities/CN/partners"), 404, "not_found", "no City named 'CN'")


def test_gaps_by_region_and_country(api):
    viewer = api.client("viewer")
    by_region = viewer.get(f"/cities/{NANNING}/gaps").json()
    assert by_region["city"]["id"] == NANNING and by_region["by"] == "region"
    assert all({"id", "name", "partners", "partner_countries", "gap_countries"} <= set(g) for g in by_region["groups"])
    by_country = viewer.get(f"/cities/{NANNING}/gaps", params={"by": "country"})
    assert by_country.status_code == 200 and by_country.json()["by"] == "country"
    assert viewer.get(f"/cities/{NANNING}/gaps", params={"by": "planet"}).status_code == 422


def test_suggestions_carry_reasons(api):
    doc = api.client("viewer").get(f"/cities/{NANNING}/suggestions", params={"limit": 5}).json()
    assert doc["city"]["id"] == NANNING and len(doc["suggestions"]) <= 5
    for s in doc["suggestions"]:
        assert s["reasons"] and all({"kind", "text", "evidence"} <= set(r) for r in s["reasons"])


def test_strategies_are_chosen_by_name_never_by_path(api):
    viewer = api.client("viewer")
    assert viewer.get(f"/cities/{NANNING}/suggestions", params={"strategy": "default"}).status_code == 200
    for bad in ("nope", "../../etc/passwd", "/etc/hosts", "default.yaml/.."):
        error = viewer.get(f"/cities/{NANNING}/gaps", params={"strategy": bad}).json()
        assert error["error"] == "invalid", bad


def test_a_partner_of_a_partner_is_suggested_with_evidence(api):
    """Right after the writes, on both stores: the projection applies them from the change feed."""
    editor = api.client("editor")
    home, partner, candidate = unique("home"), unique("p"), unique("c")
    editor.post("/nodes/batch", json={"nodes": [
        city(home, country="CN", lat=22.8, lon=108.3), city(partner, country="FR", lat=45.7, lon=4.8),
        city(candidate, country="DE", lat=48.1, lon=11.6)]})
    editor.post("/edges/batch", json={"edges": [{"src": home, "dst": partner, "type": "SISTER_CITY"},
                                                 {"src": partner, "dst": candidate, "type": "SISTER_CITY"}]})
    found = {s["id"]: s for s in editor.get(f"/cities/{home}/suggestions").json()["suggestions"]}
    assert candidate in found and partner not in found
    assert any(partner in r["evidence"] for r in found[candidate]["reasons"])


def test_ego_depth_two_does_not_expand_countries(api):
    editor = api.client("editor")
    country = "NZ"
    home, partner, compatriot = unique("hub"), unique("hub"), unique("hub")
    editor.post("/nodes/batch", json={"nodes": [city(home, country="CN"), city(partner, country=country),
                                                city(compatriot, country=country)]})
    editor.post("/nodes", json={"id": country, "kind": "Country", "name": "New Zealand", "continent": "OC"})
    editor.post("/edges/batch", json={"edges": [
        {"src": home, "dst": partner, "type": "SISTER_CITY"},
        {"src": partner, "dst": country, "type": "LOCATED_IN"},
        {"src": compatriot, "dst": country, "type": "LOCATED_IN"}]})
    ids = {n["id"] for n in editor.get(f"/cities/{home}/ego", params={"depth": 2}).json()["nodes"]}
    assert {home, partner, country} <= ids and compatriot not in ids
