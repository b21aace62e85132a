"""Import and export over HTTP: an uploaded graph JSON lands whole, and the export re-imports."""

from __future__ import annotations

import json

from .support import city, unique


def test_graph_json_upload_then_export_round_trip(api):
    admin = api.client("admin")
    a, b = unique("io"), unique("io")
    doc = {"format": "partner-graph", "version": 1, "nodes": [city(a), city(b, name="Lauenburg", country="DE")],
           "edges": [{"src": a, "dst": b, "type": "FRIENDLY_EXCHANGE", "status": "signed"}]}
    first = admin.post("/import", files={"file": ("scenario.json", json.dumps(doc))}).json()
    assert first["format"] == "graph" and first["report"]["nodes_created"] == 2 and first["report"]["edges_created"] == 1
    again = admin.post("/import", files={"file": ("scenario.json", json.dumps(doc))}).json()
    assert again["report"]["nodes_unchanged"] == 2 and again["report"]["edges_unchanged"] == 1
    exported = admin.get("/export", params={"format": "json"})
    assert exported.headers["content-type"].startswith("application/json")
    assert "attachment" in exported.headers["content-disposition"]
    graph = exported.json()
    stats = admin.get("/stats").json()
    assert (len(graph["nodes"]), len(graph["edges"])) == (stats["total_nodes"], stats["total_edges"])
    back = admin.post("/import", files={"file": ("export.json", exported.content)}).json()["report"]
    assert back["nodes_created"] == back["edges_created"] == 0


def test_unknown_export_format_is_a_422(api):
    assert api.client("viewer").get("/export", params={"format": "xlsx"}).status_code == 422
