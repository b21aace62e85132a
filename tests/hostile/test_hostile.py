"""Hostile input against every route and upload of the real server: no case may get a 5xx.

A fixed, seeded budget (``derandomize=True``) of generated cases, over real HTTP to uvicorn:

- JSON bodies of every write route with one field (or the whole body) replaced by a hostile value;
- raw bodies no encoder writes: JSON nested 10,000 deep, 5,000-digit integers, 1e400, NaN literals,
  invalid UTF-8, lone surrogates, duplicate keys;
- hostile path segments and query values on every route (pages, API, docs, static files);
- uploads to ``/api/v1/import``: graph JSON and pairs CSV carrying the same values, hostile file
  names and form fields;
- every UI form post (with a valid form token, so the values reach the route), and names of 1 MB.

Every test runs on each store (``hostile`` is parametrised: SQLite, then the live Neo4j). The last
test checks each store's budget: at least 1,000 cases, every route of the app among them.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Hostile, Route
from .values import MEGABYTE_NAME, RAW, dumps, json_value, text_hostile

pytestmark = pytest.mark.slow

BUDGET = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                  suppress_health_check=list(HealthCheck))
"""Seeded and fixed: the same cases every run; each test sets its share with ``max_examples``."""
MIN_CASES = 1_000

NODE = {"id": "h-node", "kind": "City", "name": "Hostile", "country": "FR", "lat": 1.0, "lon": 2.0,
        "population": 10, "alt_names": ["H"], "attrs": {"rank": 1}}
EDGE = {"src": "geonames:1799869", "dst": "geonames:1609776", "type": "FRIENDLY_EXCHANGE", "status": "active",
        "since": "2012", "attrs": {"rank": 1}}
TEMPLATES: dict[str, Any] = {
    "POST /api/v1/nodes": NODE,
    "POST /api/v1/nodes/batch": {"nodes": [NODE]},
    "PATCH /api/v1/nodes/{node_id}": {"population": 5, "name": "Renamed", "attrs": {"rank": 2}},
    "POST /api/v1/edges": EDGE,
    "POST /api/v1/edges/batch": {"edges": [EDGE]},
    "PATCH /api/v1/edges/{edge_id}": {"status": "signed", "since": "2013", "participants": 4},
    "POST /api/v1/keys": {"role": "viewer", "label": "hostile"},
    "POST /api/v1/cities/{city}/partnerships": {"partner": "Osaka", "tier": "friendly", "status": "signed",
                                                "since": "2019-05-12", "notes": "MoU"},
    "PUT /api/v1/cities/{city}/partnerships/{partner}": {"status": "active", "since": "2010", "approved_on": "2011"},
    "POST /api/v1/cities/{city}/partnerships/{partner}/upgrade": {"since": "2024-09-20", "notes": "upgraded"},
    "POST /api/v1/cities/{city}/exchanges": {"counterpart": "Khon Kaen", "field": "education", "date": "2023-05-10",
                                             "title": "Teachers", "direction": "outbound", "participants": "12"},
    "POST /api/v1/cities/{city}/institutions": {
        "kind": "School", "name": "No. 2 Middle School", "partner_school": "Khon Kaen Wittayayon",
        "partner_school_city": "Khon Kaen",
    },
}
PAIRS_HEADER = "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,source_id_a,source_id_b,sources"


def is_api(route: Route) -> bool:
    return route.path.startswith("/api/")


def json_routes(hostile: Hostile) -> list[Route]:
    return [r for r in hostile.routes if is_api(r) and r.method in ("POST", "PATCH", "PUT") and "import" not in r.path]


def form_routes(hostile: Hostile) -> list[Route]:
    return [r for r in hostile.routes if not is_api(r) and r.method == "POST"]


def fill_path(hostile: Hostile, route: Route, values: dict[str, str] | None = None) -> str:
    known = hostile.known()
    path = route.path
    for name in route.params:
        value = (values or {}).get(name, known.get(name, "x"))
        segment = quote(value.encode("utf-8", "surrogatepass"), safe="")
        path = path.replace(f"{{{name}:path}}", segment).replace(f"{{{name}}}", segment)
    return path


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` percent-encoded as UTF-8 bytes (lone surrogates too, as a browser cannot)."""
    if not params:
        return url
    return url + "?" + urlencode({k.encode("utf-8", "surrogatepass"): v.encode("utf-8", "surrogatepass")
                                  for k, v in params.items()})


def client_for(hostile: Hostile, route: Route):
    return hostile.api.client("admin") if is_api(route) else hostile.ui


def url_for(route: Route, path: str) -> str:
    return path.removeprefix("/api/v1") if route.path.startswith("/api/v1") else path


def mutate(template: Any, draw, value: Any) -> Any:
    """The template with one field (maybe nested, maybe new) set to ``value``, or ``value`` itself."""
    where = draw(st.sampled_from(["field", "field", "new", "nested", "whole"]))
    if where == "whole" or not isinstance(template, dict):
        return value
    body = json.loads(json.dumps(template))
    target = body
    if where == "nested":
        lists = [v for v in body.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        target = lists[0][0] if lists else body
    if where == "new":
        target[draw(st.text(max_size=12))] = value
    else:
        target[draw(st.sampled_from(sorted(target)))] = value
    return body


@settings(BUDGET, max_examples=150)
@given(data=st.data())
def test_json_bodies_with_hostile_values(hostile, data):
    route = data.draw(st.sampled_from(json_routes(hostile)), label="route")
    value = data.draw(json_value, label="value")
    body = mutate(TEMPLATES.get(route.label, {}), data.draw, value)
    hostile.send(route, client_for(hostile, route), route.method, url_for(route, fill_path(hostile, route)),
                 content=dumps(body), headers={"Content-Type": "application/json"})



@settings(BUDGET, max_examples=100)
@given(data=st.data())
def test_raw_bodies_no_encoder_writes(hostile, data):
    route = data.draw(st.sampled_from([*json_routes(hostile), *form_routes(hostile)]), label="route")
    raw = data.draw(st.sampled_from(RAW), label="raw")
    kind = data.draw(st.sampled_from(["application/json", "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=x", "text/plain"]), label="content type")
    hostile.send(route, client_for(hostile, route), route.method, url_for(route, fill_path(hostile, route)),
                 content=raw, headers={"Content-Type": kind})



@settings(BUDGET, max_examples=250)
@given(data=st.data())
def test_hostile_paths_and_queries_on_every_route(hostile, data):
    route = data.draw(st.sampled_from(hostile.routes), label="route")
    values = {name: data.draw(st.one_of(text_hostile, st.sampled_from(list(hostile.known().values()))), label=name)
              for name in route.params}
    names = [*route.query, "lang", "limit", "offset", "depth", data.draw(st.text(max_size=10), label="extra")]
    params = {name: data.draw(text_hostile, label=name) for name in data.draw(
        st.lists(st.sampled_from(names), max_size=4, unique=True), label="names")}
    path = fill_path(hostile, route, values)
    if not path.startswith("/"):
        path = "/" + path
    hostile.send(route, client_for(hostile, route), route.method, with_query(url_for(route, path), params))



def test_every_route_once_with_each_hostile_query(hostile):
    """Every route, in turn, with numbers past 2^63, 5,000 digits, 1e400, NaN, controls and wrong kinds."""
    for route in hostile.routes:
        for value in ["9" * 5_000, str(2**64), "1e400", "NaN", "\x00\x1b", "\ud800"]:
            params = {name: value for name in (*route.query, "lang", "limit")}
            hostile.send(route, client_for(hostile, route), route.method,
                         with_query(url_for(route, fill_path(hostile, route)), params))


CORE_VALUES: list[Any] = [2**63, -(2**63) - 1, 10**30, float("nan"), float("inf"), float("-inf"), 1e308, "\x00",
                          "\ud800", "x" * 10_000, [], {}, None, True]
"""The values every field of every write gets in turn (beside the generated ones)."""


def fields_of(template: Any) -> list[tuple[str, ...]]:
    """Every field of a body, as a path: top-level names, and the fields of its first list item."""
    found: list[tuple[str, ...]] = []
    for name, value in (template or {}).items():
        found.append((name,))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            found += [(name, "0", inner) for inner in value[0]]
    return found


def with_value(template: Any, path: tuple[str, ...], value: Any) -> Any:
    body = json.loads(json.dumps(template))
    target = body
    for step in path[:-1]:
        target = target[int(step)] if step.isdigit() else target[step]
    target[path[-1]] = value
    return body


def test_every_field_of_every_write_with_each_core_value(hostile):
    """Numbers past 2^63, NaN, infinities, NUL, lone surrogates, 10,000 characters and wrong kinds, in
    every field of every JSON write, one at a time."""
    for route in json_routes(hostile):
        template = TEMPLATES.get(route.label, {})
        for path in fields_of(template) or [("value",)]:
            for value in CORE_VALUES:
                body = dumps(with_value(template, path, value))
                hostile.send(route, client_for(hostile, route), route.method,
                             url_for(route, fill_path(hostile, route)), content=body,
                             headers={"Content-Type": "application/json"})


def test_names_of_a_megabyte_on_every_write(hostile):
    for route in json_routes(hostile):
        for field in ("name", "label", "notes", "id"):
            body = dict(TEMPLATES.get(route.label, {})) | {field: MEGABYTE_NAME}
            hostile.send(route, client_for(hostile, route), route.method, url_for(route, fill_path(hostile, route)),
                         content=dumps(body), headers={"Content-Type": "application/json"})
    for route in form_routes(hostile):
        hostile.send(route, hostile.ui, route.method, fill_path(hostile, route),
                     data={"csrf_token": hostile.ui_token(), "key": MEGABYTE_NAME, "edge_id": MEGABYTE_NAME,
                           "since": MEGABYTE_NAME, "name": MEGABYTE_NAME})
        hostile.sign_in()


def graph_file(draw) -> bytes:
    value = draw(json_value, label="value")
    node = mutate(NODE, draw, value)
    edge = mutate(EDGE | {"src": "h-node"}, draw, value)
    return dumps({"format": "partner-graph", "version": 1, "nodes": [node], "edges": [edge]})


def pairs_file(draw) -> bytes:
    cells = [draw(text_hostile, label=f"cell {i}").replace("\n", " ") for i in range(4)]
    row = f"{cells[0]},FR,{cells[1]},2.3,{cells[2]},DE,48.1,{cells[3]},,,test"
    raw = (PAIRS_HEADER + "\n" + row + "\n").encode("utf-8", "surrogatepass")
    return draw(st.sampled_from([raw, raw.replace(b"FR", b"\xff\xfe"), b"\xef\xbb\xbf" + raw]), label="encoding")


@settings(BUDGET, max_examples=100)
@given(data=st.data())
def test_uploads_with_hostile_files_and_fields(hostile, data):
    route = next(r for r in hostile.routes if r.path == "/api/v1/import")
    kind = data.draw(st.sampled_from(["graph", "pairs", "raw"]), label="kind")
    content = {"graph": graph_file, "pairs": pairs_file}[kind](data.draw) if kind != "raw" else data.draw(
        st.sampled_from(RAW), label="raw")
    name = data.draw(st.one_of(st.sampled_from(["g.json", "p.csv", "x", "../../etc/passwd", "a\x00.json"]),
                               text_hostile), label="file name")
    fields = {key: data.draw(st.one_of(text_hostile, st.sampled_from(["auto", "graph", "pairs", "sister"]))) for key in
              data.draw(st.lists(st.sampled_from(["format", "tier", "file", "extra"]), max_size=3, unique=True))}
    files = {"file": (name.encode("utf-8", "surrogatepass").decode("latin-1"), io.BytesIO(content))}
    hostile.send(route, hostile.api.client("admin"), "POST", "/import", files=files, data=fields)



@settings(BUDGET, max_examples=80)
@given(data=st.data())
def test_ui_forms_with_hostile_fields(hostile, data):
    route = data.draw(st.sampled_from(form_routes(hostile)), label="route")
    names = ["key", "edge_id", "status", "since", "lang", "name", "country", "file",
             data.draw(st.text(max_size=10), label="extra")]
    form = {name: data.draw(text_hostile, label=name) for name in data.draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True), label="fields")}
    if route.label == "POST /city/{city_id}/partnership" and data.draw(st.booleans(), label="real edge"):
        form["edge_id"] = hostile.known()["edge_id"]
    form = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in form.items()}
    form["csrf_token"] = hostile.ui_token()
    path = fill_path(hostile, route, {name: data.draw(text_hostile) for name in route.params}
                     if data.draw(st.booleans(), label="hostile path") else None)
    hostile.send(route, hostile.ui, "POST", path, data=form)
    if route.path.startswith("/key"):
        hostile.sign_in()  # a sign-in or sign-out case changed the session: the next form needs the admin


def test_the_budget_reached_every_route(hostile):
    """Runs last in this module: at least 1,000 cases were sent, and every route of the app got some."""
    total = sum(hostile.tally.values())
    missing = [r.label for r in hostile.routes if not hostile.tally[r.label]]
    statuses = dict(sorted(hostile.statuses.items()))
    print(f"hostile input: {total} cases over {len(hostile.routes)} routes; statuses {statuses}")
    assert total >= MIN_CASES, total
    assert missing == [], missing
    assert not [s for s in hostile.statuses if s >= 500]
