"""Whole-graph exports: built once per revision and served from a file, a few at a time (429 beyond),
and behind a key when reads are private."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from graph_service.api.app import create_app
from graph_service.config import Settings
from graph_service.ingest.seed import load_seed
from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "exports.db"
    store = SQLiteStore(path)
    load_seed(store)
    store.close()
    return path


def app_client(db, tmp_path, **settings) -> TestClient:
    return TestClient(create_app(Settings(store=f"sqlite:///{db}", export_cache_dir=tmp_path / "cache", **settings)))


def test_the_export_is_built_once_per_revision(db, tmp_path):
    store = SQLiteStore(db)
    editor = create_key(store, "editor")[0]
    store.close()
    with app_client(db, tmp_path) as client:
        cache = client.app.state.exports
        first = client.get("/api/v1/export")
        second = client.get("/api/v1/export")
        assert first.status_code == second.status_code == 200
        assert first.content == second.content and cache.builds == 1, "the second export reads the first's file"
        assert int(first.headers["content-length"]) == len(first.content)
        graph = json.loads(first.content)
        stats = client.get("/api/v1/stats").json()
        assert (len(graph["nodes"]), len(graph["edges"])) == (stats["total_nodes"], stats["total_edges"])
        made = client.post("/api/v1/nodes", headers={"X-API-Key": editor},
                           json={"id": "new-town", "kind": "City", "name": "New Town", "country": "FR"})
        assert made.status_code == 201
        third = client.get("/api/v1/export")
        assert cache.builds == 2 and "new-town" in {n["id"] for n in json.loads(third.content)["nodes"]}
        assert client.get("/api/v1/export", params={"format": "graphml"}).status_code == 200
        files = sorted(p.name for p in (tmp_path / "cache").iterdir())
        revision = stats["revision"] + 1
        assert files == [f"partner-graph-r{revision}.graphml", f"partner-graph-r{revision}.json"], "old files go"


def test_the_export_as_an_excel_workbook(db, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    with app_client(db, tmp_path) as client:
        response = client.get("/api/v1/export", params={"format": "xlsx"})
        stats = client.get("/api/v1/stats").json()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="partner-graph.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(BytesIO(response.content), read_only=True)
    rows = {name: sum(1 for _ in book[name].iter_rows(min_row=2)) for name in ("nodes", "edges")}
    assert rows == {"nodes": stats["total_nodes"], "edges": stats["total_edges"]}


def test_exports_beyond_the_limit_get_429(db, tmp_path):
    with app_client(db, tmp_path, max_concurrent_exports=2) as client:
        cache = client.app.state.exports
        held = [cache.take_slot(), cache.take_slot()]
        busy = client.get("/api/v1/export")
        assert busy.status_code == 429 and busy.json()["error"] == "too_many_requests"
        assert busy.headers["retry-after"] == "5" and "exports are already running" in busy.json()["message"]
        assert "导出过多" in client.get("/api/v1/export", params={"lang": "zh"}).json()["message"]
        held.pop()()
        assert client.get("/api/v1/export").status_code == 200, "a freed slot serves again"
        assert client.get("/api/v1/export").status_code == 200, "the slot came back after the file was sent"
        held.pop()()


def test_export_needs_a_key_when_reads_are_private(db, tmp_path):
    store = SQLiteStore(db)
    viewer = create_key(store, "viewer")[0]
    store.close()
    with app_client(db, tmp_path, public_reads=False) as client:
        assert client.get("/api/v1/export").status_code == 401
        assert client.get("/api/v1/export", headers={"X-API-Key": "pg_wrong"}).status_code == 401
        assert client.get("/api/v1/export", headers={"X-API-Key": viewer}).status_code == 200
        assert client.app.state.exports.builds == 1, "refused requests build nothing"
