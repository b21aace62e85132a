"""Per-city reads over HTTP on the demo scenario: partners, ego networks, names and ambiguity."""

from __future__ import annotations

from .support import city, unique

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
    assert api.client("viewer").get("/cities/CN/partners").status_code == 404
