"""The core bad-input list, sent over HTTP: each gets the right 4xx, a readable message in the error
shape, and writes nothing."""

from __future__ import annotations

import json

import pytest

from .conftest import api_on_both_stores
from .support import UPLOAD_LIMIT, assert_error, city, revision, unique


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def api(request):
    """Every test here runs on SQLite and on the live Neo4j."""
    return api_on_both_stores(request)


INJECTIONS = [
    "'; DROP TABLE nodes; --",
    "\" OR 1=1 --",
    "MATCH (n) DETACH DELETE n",
    "}) RETURN n //",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "../../etc/passwd",
]


BAD_NODES = [
    ("unknown kind", city("ok-1") | {"kind": "Planet"}, "kind"),
    ("lat 91", city("ok-2") | {"lat": 91, "lon": 0}, "lat"),
    ("lon without lat", city("ok-3") | {"lon": 10}, "lat and lon"),
    ("country XX1", city("ok-4") | {"country": "XX1"}, "country"),
    ("lower-case country", city("ok-5") | {"country": "fr"}, "country"),
    ("empty id", city("") , "id"),
    ("id with spaces", city("a b"), "id"),
    ("empty name", city("ok-6", name=""), "name"),
    ("NUL in name", city("ok-7", name="Nan\x00ning"), "control characters"),
    ("control char in notes", city("ok-8") | {"notes": "bell\x07"}, "control characters"),
    ("unknown field", city("ok-9") | {"mayor": "x"}, "mayor"),
    ("negative population", city("ok-10") | {"population": -1}, "population"),
    ("country id not ISO", {"id": "China", "kind": "Country", "name": "China"}, "country code"),
    ("lone surrogate in notes", city("ok-11") | {"notes": "half \ud83d of an emoji"}, "lone surrogate"),
    ("population past int64", city("ok-12") | {"population": 10**20}, "population"),
    ("population of 20 digits", city("ok-13") | {"population": 99999999999999999999}, "population"),
    ("NaN in attrs", city("ok-14") | {"attrs": {"a": float("nan")}}, "attrs.a: Value error, NaN"),
    ("Infinity in attrs", city("ok-15") | {"attrs": {"a": float("-inf")}}, "NaN and infinite numbers"),
    ("NaN latitude", city("ok-16") | {"lat": float("nan"), "lon": 1.0}, "lat"),
    ("attrs integer past 2^53", city("ok-17") | {"attrs": {"a": 2**60}}, "integers must lie within"),
]


@pytest.mark.parametrize("case, body, says", BAD_NODES, ids=[b[0] for b in BAD_NODES])
def test_bad_node_is_a_422_and_writes_nothing(api, case, body, says):
    before = revision(api)
    raw = json.dumps(body)  # ASCII with \u escapes, so a lone surrogate travels as a client could send it
    response = api.client("editor").post("/nodes", content=raw, headers={"Content-Type": "application/json"})
    error = assert_error(response, 422, "invalid", says)
    assert error["details"] and all({"loc", "msg", "type"} <= set(d) for d in error["details"])
    assert revision(api) == before


NUMBERS = [
    ("POST", "/nodes", city("num-1") | {"attrs": {"rank": float("nan")}},
     "附加属性 rank 不能为 NaN 或无穷大", "body.attrs.rank: Value error, NaN and infinite numbers are not allowed"),
    ("POST", "/nodes", city("num-2") | {"population": 99999999999999999999}, "人口数值过大", "body.population"),
    ("PATCH", "/nodes/geonames:1799869", {"population": 2**63}, "人口数值过大", "population"),
    ("PATCH", "/nodes/geonames:1799869", {"attrs": {"rank": float("inf")}}, "附加属性 rank 不能为 NaN",
     "attrs.rank"),
    ("POST", "/nodes/batch", {"nodes": [city("num-3") | {"attrs": {"big": 10**30}}]}, "附加属性 big 整数超出允许范围",
     "integers must lie within"),
    ("POST", "/edges", {"src": "geonames:1799869", "dst": "CN", "type": "EXCHANGE", "field": "culture",
                        "attrs": {"x": float("nan")}}, "附加属性 x 不能为 NaN", "attrs.x"),
]


@pytest.mark.parametrize(("method", "path", "body", "zh", "en"), NUMBERS,
                         ids=[f"{n[0]} {n[1]} {n[4]}" for n in NUMBERS])
def test_non_finite_and_huge_numbers_are_a_422_naming_the_field_in_both_languages(api, method, path, body, zh, en):
    """NaN, infinities and integers past what a store holds are refused on every write, with the field
    and the problem named in English and in Chinese, and nothing is written."""
    before = revision(api)
    raw = json.dumps(body)  # NaN and Infinity as the literals Python's json writes
    for lang, says in (("en", en), ("zh", zh)):
        response = api.client("editor").request(method, f"{path}?lang={lang}", content=raw,
                                                 headers={"Content-Type": "application/json"})
        assert_error(response, 422, "invalid", says)
    assert revision(api) == before


def test_ten_megabyte_property_is_refused_readably(api):
    body = city(unique()) | {"notes": "x" * (10 * 1024 * 1024)}
    error = assert_error(api.client("editor").post("/nodes", json=body), 422, "invalid", "limit is 20000")
    assert len(json.dumps(error)) < 5000, "the error does not echo the input"


BAD_EDGES = [
    ("unknown type", {"type": "ENEMY_CITY"}, 422, "invalid", "type"),
    ("self loop", {"dst": "same"}, 422, "invalid", "itself"),
    ("bad status", {"status": "married"}, 422, "invalid", "status"),
    ("bad date", {"since": "2012-13-45"}, 422, "invalid", "since"),
    ("field on a sister tie", {"field": "culture"}, 422, "invalid", "field"),
]


@pytest.mark.parametrize("case, change, status, code, says", BAD_EDGES, ids=[b[0] for b in BAD_EDGES])
def test_bad_edge_is_refused(api, case, change, status, code, says):
    editor = api.client("editor")
    a, b = unique("e"), unique("e")
    editor.post("/nodes/batch", json={"nodes": [city(a), city(b)]})
    body = {"src": a, "dst": b, "type": "SISTER_CITY"} | change
    if change.get("dst") == "same":
        body["dst"] = a
    before = revision(api)
    assert_error(editor.post("/edges", json=body), status, code, says)
    assert revision(api) == before


def test_edge_to_a_missing_node_lists_it(api):
    a = unique("e")
    api.client("editor").post("/nodes", json=city(a))
    before = revision(api)
    error = assert_error(
        api.client("editor").post("/edges", json={"src": a, "dst": "nowhere-1", "type": "SISTER_CITY"}),
        422, "missing_nodes", "not found",
    )
    assert error["details"] == {"missing": ["nowhere-1"]}
    assert revision(api) == before


def test_edge_between_wrong_kinds_is_refused(api):
    a = unique("e")
    editor = api.client("editor")
    editor.post("/nodes", json=city(a))
    before = revision(api)
    response = editor.post("/edges", json={"src": a, "dst": "CN", "type": "SISTER_CITY"})
    assert_error(response, 422, "wrong_endpoint_kind", "SISTER_CITY cannot join Country 'CN'")
    assert revision(api) == before
    assert editor.get("/edges", params={"node": a}).json()["items"] == []


def test_changing_a_node_kind_is_a_conflict(api):
    a = unique("k")
    api.client("editor").post("/nodes", json=city(a))
    assert_error(
        api.client("editor").post("/nodes", json=city(a) | {"kind": "School"}), 409, "kind_conflict", "cannot become"
    )


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_stored_verbatim(api, text):
    node_id = unique("inj")
    editor = api.client("editor")
    assert (
        editor.post("/nodes", json=city(node_id, name=text) | {"notes": text, "alt_names": [text]}).status_code == 201
    )
    node = editor.get(f"/nodes/{node_id}").json()
    assert node["name"] == node["notes"] == node["alt_names"][0] == text
    assert editor.get("/nodes", params={"q": text}).status_code == 200
    assert editor.get("/stats").json()["total_nodes"] > 1


ODD_PATHS = [
    ("/nodes/%00", 404, "not_found", "no node with id"),
    ("/nodes/a%0Ab", 404, "not_found", "no node with id"),
    ("/cities/%27%3B%20DROP%20TABLE%20nodes/partners", 404, "not_found", "no City named"),
    ("/edges/a%7CNOPE%7Cb", 422, "invalid", "'NOPE' is not a valid EdgeType"),
    ("/edges/nothing", 422, "invalid", "expected src|TYPE|dst"),
]


@pytest.mark.parametrize("path, status, code, says", ODD_PATHS, ids=[p[0] for p in ODD_PATHS])
def test_odd_ids_in_paths_are_4xx(api, path, status, code, says):
    assert_error(api.client("viewer").get(path), status, code, says)


def test_malformed_json_is_a_422(api):
    response = api.client("editor").post("/nodes", content=b'{"id": "x",', headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid", "json")


def test_non_utf8_body_is_a_400_and_writes_nothing(api):
    before = revision(api)
    response = api.client("editor").post(
        "/nodes", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "bad_request", "parsing the body")
    assert revision(api) == before


def test_out_of_range_paging_is_a_422(api):
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"limit": "many"}):
        assert_error(
            api.client("viewer").get("/nodes", params=params),
            422,
            "invalid",
            "limit" if "limit" in params else "offset",
        )


def test_oversized_upload_is_a_413_by_content_length(api):
    big = b"x" * (UPLOAD_LIMIT + 1)
    before = revision(api)
    response = api.client("admin").post("/import", files={"file": ("big.json", big)})
    assert_error(response, 413, "payload_too_large", "limit")
    assert revision(api) == before


def test_oversized_upload_is_a_413_when_streamed_without_length(api):
    def chunks():
        boundary = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        yield boundary
        for _ in range(UPLOAD_LIMIT // (1024 * 1024) + 2):
            yield b"y" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    response = api.client("admin").post(
        "/import", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert_error(response, 413, "payload_too_large", "limit")


def test_upload_without_multipart_is_a_415(api):
    response = api.client("admin").post("/import", json={"nodes": []})
    assert_error(response, 415, "unsupported_media_type", "multipart")


def test_garbage_graph_upload_is_a_422_and_writes_nothing(api):
    before = revision(api)
    for raw in (b"\x89PNG\x00\x01garbage", b'{"nodes": [{"id": "x"}]}', b"[1, 2, 3]"):
        response = api.client("admin").post("/import", files={"file": ("g.json", raw)}, data={"format": "graph"})
        assert response.status_code == 422, response.text
        assert response.json()["message"]
    assert revision(api) == before


@pytest.mark.parametrize(
    ("edge", "code"),
    [
        ({"dst": "CN", "type": "SISTER_CITY"}, "wrong_endpoint_kind"),
        ({"dst": "no-such-node-anywhere", "type": "SISTER_CITY"}, "missing_nodes"),
    ],
    ids=["wrong-kind-endpoint", "missing-endpoint"],
)
def test_graph_upload_whose_edge_fails_writes_none_of_its_nodes(api, edge, code):
    """A valid node plus an edge the store refuses: the whole file is refused, the node included."""
    admin = api.client("admin")
    if admin.get("/nodes/CN").status_code == 404:
        admin.post("/nodes", json={"id": "CN", "kind": "Country", "name": "China"})
    node = unique("atomic")
    doc = {"nodes": [city(node)], "edges": [{"src": node} | edge]}
    before = revision(api)
    assert_error(admin.post("/import", files={"file": ("g.json", json.dumps(doc))}), 422, code)
    assert revision(api) == before
    assert admin.get(f"/nodes/{node}").status_code == 404, "the valid node of the refused file is not stored"


def test_graph_upload_with_a_bad_record_reports_it(api):
    doc = {"nodes": [city(unique()), city("bad id"), city(unique()) | {"lat": 200, "lon": 0}], "edges": []}
    error = assert_error(
        api.client("admin").post("/import", files={"file": ("g.json", json.dumps(doc))}), 422, "invalid_file"
    )
    problems = error["details"]["problems"]
    assert len(problems) == 2 and problems[0].startswith("node #1") and problems[1].startswith("node #2")


def test_pairs_csv_with_bad_rows_imports_the_good_ones_and_reports_each_bad_row(api):
    a, b = unique("Goodtown"), unique("Fineville")
    header = "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,tier"
    rows = [
        f"{a},FR,45.1,3.2,{b},DE,50.1,8.2,sister",  # line 2: good
        f"{a},FR,45.1,3.2,{b},,50.1,8.2,sister",  # line 3: missing country
        f"{a},FR,200,3.2,{b},DE,50.1,8.2,sister",  # line 4: lat 200
        f"{a},FR,45.1,3.2,{b},DE,50.1,8.2,cousin",  # line 5: unknown tier
        f",FR,45.1,3.2,{b},DE,50.1,8.2,sister",  # line 6: empty name
        f"{a},FR,45.1,3.2,{b},DE,50.1,8.2,sister,extra",  # line 7: extra column
    ]
    csv = "\n".join([header, *rows]) + "\n"
    response = api.client("admin").post("/import", files={"file": ("pairs.csv", csv.encode())})
    assert response.status_code == 200, response.text
    report = response.json()["report"]
    assert (report["rows_read"], report["rows_imported"], report["rows_rejected"]) == (6, 1, 5)
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "country_b" in reasons[3] and "out of range" in reasons[4] and "tier" in reasons[5]
    assert "city_a" in reasons[6] and reasons[7]
    partners = api.client("viewer").get(f"/cities/{a}/partners").json()["partners"]
    assert [p["name"] for p in partners] == [b]


def test_garbage_pairs_upload_is_a_422_and_writes_nothing(api):
    before = revision(api)
    for raw in (b"\x89PNG\x00\xff\xfe", b'{"nodes": []}', b"name,country\nx,FR\n"):
        response = api.client("admin").post("/import", files={"file": ("p.csv", raw)}, data={"format": "pairs"})
        assert response.status_code == 422, response.text
        assert response.json()["message"]
    assert (
        api.client("admin").post("/import", files={"file": ("p.csv", b"x")}, data={"tier": "cousin"}).status_code == 422
    )
    assert revision(api) == before
