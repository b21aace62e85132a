"""Unknown query parameters are a 422 naming them, on every route; declared ones stay allowed."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.testclient import TestClient

from graph_service.api.strict import reject_unknown_query

from .support import assert_error


def test_edges_with_src_is_a_422_naming_src_and_lists_nothing(api):
    response = api.client("viewer").get("/edges", params={"src": "geonames:1799869"})
    body = assert_error(response, 422, "invalid", "src")
    assert body["details"] == [{"loc": ["query", "src"], "msg": "unknown query parameter 'src'",
                                "type": "extra_forbidden"}]
    assert "items" not in body


def test_the_refusal_speaks_the_callers_language(api):
    response = api.client("viewer").get("/edges", params={"src": "x", "lang": "zh"})
    body = assert_error(response, 422, "invalid", "src")
    assert body["message"] == "请求无效:未知的参数「src」"


def test_every_unknown_name_is_listed_once(api):
    response = api.client("viewer").get("/edges?src=a&dst=b&src=c&limit=5")
    body = assert_error(response, 422, "invalid", "src")
    assert [d["loc"] for d in body["details"]] == [["query", "src"], ["query", "dst"]]


def test_declared_parameters_still_work(api):
    response = api.client("viewer").get("/edges", params={"node": "geonames:1799869", "type": "SISTER_CITY",
                                                          "limit": 3})
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert items and all("geonames:1799869" in (e["src"], e["dst"]) for e in items)


@pytest.mark.parametrize("path", [
    "/nodes", "/nodes/geonames:1799869", "/cities/geonames:1799869/partners", "/cities/geonames:1799869/gaps",
    "/cities/geonames:1799869/suggestions", "/stats", "/strategies", "/health",
])
def test_every_read_route_refuses_an_unknown_parameter(api, path):
    response = api.client("admin").get(path, params={"bogus": "1"})
    assert_error(response, 422, "invalid", "bogus")


def test_writes_refuse_unknown_parameters_and_change_nothing(api):
    before = api.client("admin").get("/stats").json()["revision"]
    response = api.client("editor").post("/nodes?dry_run=1", json={"id": "strict-1", "kind": "City", "name": "X"})
    assert_error(response, 422, "invalid", "dry_run")
    assert api.client("admin").get("/stats").json()["revision"] == before
    assert api.client("admin").get("/nodes/strict-1").status_code == 404


def test_top_level_health_refuses_unknown_parameters(api):
    assert httpx.get(api.url + "/health").status_code == 200
    assert_error(httpx.get(api.url + "/health", params={"x": "1"}), 422, "invalid", "x")


def test_parameters_declared_by_a_router_dependency_are_accepted():
    """A parameter a router-level dependency declares (as a ``lang`` would be) counts as declared."""
    app = FastAPI(dependencies=[Depends(reject_unknown_query)])
    router = APIRouter(prefix="/api", dependencies=[Depends(page_language)])

    @router.get("/nodes/batch")
    def batch() -> dict:
        return {"route": "batch"}

    @router.get("/nodes/{node_id}")
    def node(node_id: str, depth: int = 1) -> dict:
        return {"route": node_id}

    app.include_router(router)
    client = TestClient(app)
    assert client.get("/api/nodes/x", params={"lang": "zh", "depth": 2}).json() == {"route": "x"}
    assert client.get("/api/nodes/batch", params={"lang": "zh"}).json() == {"route": "batch"}
    refused = client.get("/api/nodes/batch", params={"depth": 2})
    assert refused.status_code == 422, "depth belongs to /nodes/{node_id}, not to the literal /nodes/batch"
    assert refused.json()["detail"][0]["loc"] == ["query", "depth"]


def page_language(lang: str | None = Query(None, max_length=10)) -> str:
    return lang or "en"
