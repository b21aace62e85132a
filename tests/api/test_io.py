"""Import and export over HTTP: an uploaded graph JSON lands whole, and the export re-imports."""

from __future__ import annotations

import json

import pytest

from .conftest import api_on_both_stores
from .support import assert_error, city, unique


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request):
    """Every test here runs on SQLite and on the live Neo4j."""
    return api_on_both_stores(request)


def test_graph_json_upload_then_export_round_trip(api):
    admin = api.client("admin")
    a, b = unique("io"), unique("io")
    doc = {"format": "partner-graph", "version": 1, "nodes": [city(a), city(b, name="Lauenburg", country="DE")],
           "edges": [{"src": a, "dst": b, "type": "FRIENDLY_EXCHANGE", "status": "signed"}]}
    first = admin.post("/import", files={"file": ("scenario.json", json.dumps(doc))}).json()
    assert (
        first["format"] == "graph" and first["report"]["nodes_created"] == 2 and first["report"]["edges_created"] == 1
    )
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
    error = assert_error(api.client("viewer").get("/export", params={"format": "pdf"}), 422, "invalid", "format")
    assert "'json', 'graphml', 'gexf' or 'xlsx'" in error["message"]  # the message names the formats there are


def test_pairs_csv_upload_reports_rows_and_graphml_export_loads(api):
    import io

    import networkx as nx

    admin = api.client("admin")
    a, b = unique("Pairs City"), unique("Pairs Town")
    text = (
        "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b\n"
        f"{a},FR,45.0,3.0,{b},DE,50.0,8.0\n"
        f"{a},FR,200,3.0,{b},DE,50.0,8.0\n"
    )
    report = admin.post("/import", files={"file": ("pairs.csv", text)}).json()["report"]
    assert (report["rows_read"], report["rows_imported"], report["rows_rejected"]) == (2, 1, 1)
    assert report["rejected"][0]["row"] == 3 and "out of range" in report["rejected"][0]["reason"]
    garbage = admin.post("/import", files={"file": ("pairs.csv", b"\x00\x01\x02")}, data={"format": "pairs"})
    assert garbage.status_code == 422
    exported = admin.get("/export", params={"format": "graphml"})
    stats = admin.get("/stats").json()
    graph = nx.read_graphml(io.BytesIO(exported.content))
    assert graph.number_of_nodes() == stats["total_nodes"]


def test_gexf_export_loads_with_networkx(api):
    import io

    import networkx as nx

    admin = api.client("admin")
    exported = admin.get("/export", params={"format": "gexf"})
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    graph = nx.read_gexf(io.BytesIO(exported.content))
    assert graph.number_of_nodes() == admin.get("/stats").json()["total_nodes"]


def test_tags_csv_upload_then_matching_cities_over_http(api):

    admin = api.client("admin")
    a, b = unique("tagged"), unique("tagged")
    doc = {"format": "partner-graph", "version": 1,
           "nodes": [city(a, name="Kilnham", population=200_000), city(b, name="Potterby", country="DE",
                                                                      population=250_000)], "edges": []}
    admin.post("/import", files={"file": ("cities.json", json.dumps(doc))})
    upload = admin.post("/import", files={"file": ("tags.csv", f"city,country,tags\n{a},,ceramics\n{b},,ceramics\n")})
    body = upload.json()
    assert body["format"] == "tags" and body["report"]["cities_updated"] == 2
    matches = admin.get(f"/cities/{a}/suggestions", params={"match": "true", "limit": 200}).json()
    assert matches["strategy"] == "match"
    potterby = next(s for s in matches["suggestions"] if s["id"] == b)
    assert {r["kind"] for r in potterby["reasons"]} == {"shared_tags", "similar_size"}
    chinese = admin.get(f"/cities/{a}/suggestions", params={"match": "true", "lang": "zh", "limit": 200}).json()
    shared = next(r for s in chinese["suggestions"] if s["id"] == b for r in s["reasons"] if r["kind"] == "shared_tags")
    assert shared["text"] == "与Kilnham同有陶瓷特色"
    refused = admin.get(f"/cities/{a}/suggestions", params={"match": "true", "strategy": "default"})
    assert_error(refused, 422, "invalid", "match ranks by similarity alone")


def test_bad_tags_uploads_change_nothing(api):
    from .support import revision

    admin = api.client("admin")
    before = revision(api)
    for content in ("city,tags\nno-such-city,port\n", "city,tags\nx,Bad Tag!\n", "city,labels\nx,y\n"):
        response = admin.post("/import", files={"file": ("tags.csv", content)}, data={"format": "tags"})
        assert_error(response, 422, "invalid_file", "tags")
    assert revision(api) == before
    chinese = admin.post("/import", files={"file": ("tags.csv", "city,tags\nno-such-city,port\n")},
                         data={"format": "tags"}, headers={"Accept-Language": "zh-CN"})
    assert chinese.json()["message"].startswith("标签文件未导入")
    assert api.client("editor").post("/import", files={"file": ("tags.csv", "city,tags\nx,port\n")}).status_code == 403
