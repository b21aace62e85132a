"""Edges over HTTP: ids with ``|`` in paths (URL-encoded), either order for symmetric ties, CRUD."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import api_on_both_stores
from .support import assert_error, city, unique


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request):
    """Every test here runs on SQLite and on the live Neo4j."""
    return api_on_both_stores(request)


def two_cities(api) -> tuple[str, str]:
    a, b = sorted([unique("e"), unique("e")])
    api.client("editor").post("/nodes/batch", json={"nodes": [city(a), city(b)]})
    return a, b


def test_create_read_patch_delete_by_encoded_id(api):
    editor = api.client("editor")
    a, b = two_cities(api)
    made = editor.post("/edges", json={"src": b, "dst": a, "type": "SISTER_CITY", "status": "signed", "since": "2019"})
    assert made.status_code == 201
    edge_id = made.json()["edge"]["id"]
    assert edge_id == f"{a}|SISTER_CITY|{b}", "symmetric ties are stored with sorted ends"
    path = "/edges/" + quote(edge_id, safe=":")
    assert "%7C" in path
    assert editor.get(path).json()["status"] == "signed"
    assert editor.get(f"/edges/{b}|SISTER_CITY|{a}").json()["id"] == edge_id, "either order finds it"
    assert editor.patch(path, json={"status": "active", "notes": "renewed"}).json()["edge"]["status"] == "active"
    assert editor.patch(path, json={"status": "married"}).status_code == 422
    assert editor.delete(path).json()["deleted"] == 1
    assert editor.get(path).status_code == 404


def test_exchange_edges_with_keys(api):
    editor = api.client("editor")
    a, b = two_cities(api)
    body = {"src": a, "dst": b, "type": "EXCHANGE", "field": "education", "date": "2024-05", "title": "Student visit"}
    edge_id = editor.post("/edges", json=body).json()["edge"]["id"]
    assert edge_id.count("|") == 3
    assert editor.get("/edges/" + quote(edge_id, safe="")).json()["title"] == "Student visit"


def test_list_edges_of_a_node_by_type(api):
    editor = api.client("editor")
    a, b = two_cities(api)
    c = unique("e")
    editor.post("/nodes", json=city(c))
    editor.post("/edges/batch", json={"edges": [
        {"src": a, "dst": b, "type": "SISTER_CITY"}, {"src": a, "dst": c, "type": "FRIENDLY_EXCHANGE"}]})
    both = editor.get("/edges", params={"node": a}).json()["items"]
    assert len(both) == 2
    only = editor.get("/edges", params={"node": a, "type": "FRIENDLY_EXCHANGE"}).json()["items"]
    assert [e["type"] for e in only] == ["FRIENDLY_EXCHANGE"]
    assert editor.get("/edges", params={"limit": 1}).json()["next"]


def test_deleting_a_node_deletes_its_edges(api):
    editor = api.client("editor")
    a, b = two_cities(api)
    edge_id = editor.post("/edges", json={"src": a, "dst": b, "type": "SISTER_CITY"}).json()["edge"]["id"]
    assert editor.get("/edges", params={"node": b}).json()["items"][0]["id"] == edge_id
    assert editor.delete(f"/nodes/{a}").status_code == 200
    assert_error(editor.get(f"/edges/{quote(edge_id)}"), 404, "not_found", "no edge with id")
    assert editor.get("/edges", params={"node": b}).json()["items"] == []
    assert editor.get(f"/nodes/{b}").json()["id"] == b  # the other end stays
