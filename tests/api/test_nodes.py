"""Nodes over HTTP: create or replace, read, patch, delete, search in any language, pagination."""

from __future__ import annotations

import httpx
import pytest

from .conftest import api_on_both_stores
from .support import assert_error, city, unique


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request):
    """Every test here runs on SQLite and on the live Neo4j."""
    return api_on_both_stores(request)


def test_create_replace_read_patch_delete(api):
    editor = api.client("editor")
    node_id = unique("n")
    created = editor.post("/nodes", json=city(node_id, name="Pohang", name_zh="浦项", country="KR"))
    assert created.status_code == 201 and created.json()["created"] is True
    again = editor.post("/nodes", json=city(node_id, name="Pohang", name_zh="浦项", country="KR"))
    assert again.status_code == 200 and again.json()["created"] is False
    patched = editor.patch(f"/nodes/{node_id}", json={"population": 500_000, "tags": ["port", "steel"]})
    assert patched.status_code == 200
    node = editor.get(f"/nodes/{node_id}").json()
    assert (node["name_zh"], node["population"], node["tags"]) == ("浦项", 500_000, ["port", "steel"])
    cleared = editor.patch(f"/nodes/{node_id}", json={"name_zh": None}).json()["node"]
    assert cleared["name_zh"] is None
    assert editor.delete(f"/nodes/{node_id}").json()["deleted"] == 1
    assert editor.get(f"/nodes/{node_id}").status_code == 404
    assert editor.delete(f"/nodes/{node_id}").status_code == 404


def test_patch_is_validated_like_a_new_node(api):
    editor = api.client("editor")
    node_id = unique("n")
    editor.post("/nodes", json=city(node_id))
    node = editor.get(f"/nodes/{node_id}").json()
    for patch, field in (({"lat": 91, "lon": 0}, "lat"), ({"kind": "School"}, "kind"), ({"name": None}, "name")):
        error = assert_error(editor.patch(f"/nodes/{node_id}", json=patch), 422, "invalid", field)
        assert field in error["details"][0]["loc"], error
        assert editor.get(f"/nodes/{node_id}").json() == node, f"{patch} changed the node"
    assert_error(editor.patch("/nodes/no-such-node", json={"population": 1}), 404, "not_found", "no-such-node")
    assert_error(editor.get("/nodes/no-such-node"), 404, "not_found", "no-such-node")  # the patch made no node


def test_search_finds_a_city_by_any_of_its_names(api):
    viewer = api.client("viewer")
    for q in ("南宁", "Nanning", "nanning", "NAN NING"):
        page = viewer.get("/nodes", params={"q": q}).json()
        assert page["items"][0]["id"] == "geonames:1799869", q


def test_search_refuses_a_query_with_nothing_to_search_for(api):
    viewer = api.client("viewer")
    for q in ("", "_", "*", "'", '""'):
        assert_error(viewer.get("/nodes", params={"q": q}), 422, "invalid", "nothing to search for")
    zh = viewer.get("/nodes", params={"q": "_", "lang": "zh"}).json()
    assert "请输入要查找的名称" in zh["message"], zh
    assert viewer.get("/nodes", params={"q": '"南宁"'}).json()["items"][0]["id"] == "geonames:1799869"


def test_filters_by_kind_and_country(api):
    page = api.client("viewer").get("/nodes", params={"kind": "City", "country": "cn", "limit": 500}).json()
    assert page["items"] and all(n["kind"] == "City" and n["country"] == "CN" for n in page["items"])
    assert api.client("viewer").get("/nodes", params={"kind": "Planet"}).status_code == 422


def test_pages_follow_next_links_without_gaps_or_repeats(api):
    editor = api.client("editor")
    tag = unique("page")
    editor.post(
        "/nodes/batch", json={"nodes": [city(f"{tag}-{i}", name=f"{tag} town {i}", country="NZ") for i in range(7)]}
    )
    seen, url = [], api.url + f"/api/v1/nodes?q={tag}&limit=3"
    while url:
        page = httpx.get(url, headers={"X-API-Key": api.keys["viewer"]}).json()
        seen += [n["id"] for n in page["items"]]
        url = api.url + page["next"] if page["next"] else None
    assert sorted(seen) == sorted(f"{tag}-{i}" for i in range(7))


def test_next_links_never_come_from_the_host_header(api):
    page = httpx.get(api.url + "/api/v1/nodes?limit=1&kind=City", headers={
        "X-API-Key": api.keys["viewer"], "Host": "evil.example:666"}).json()
    assert page["next"] == "/api/v1/nodes?kind=City&limit=1&offset=1"


def test_batch_upsert_counts(api):
    editor = api.client("editor")
    nodes = [city(unique("b")) for _ in range(3)]
    assert editor.post("/nodes/batch", json={"nodes": nodes}).json() | {"revision": 0} == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "revision": 0,
    }
    nodes[0]["population"] = 10
    assert editor.post("/nodes/batch", json={"nodes": nodes}).json()["updated"] == 1
