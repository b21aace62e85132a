"""The auth matrix: every write route × {no key, viewer, editor, admin}, exact statuses; reads with
public reads on and off; unknown and revoked keys."""

from __future__ import annotations

import json

import httpx
import pytest

from .support import city, start_api, unique

ROLES = [None, "viewer", "editor", "admin"]
RANK = {None: -1, "viewer": 0, "editor": 1, "admin": 2}


@pytest.fixture(scope="module")
def private_api(tmp_path_factory):
    live = start_api(tmp_path_factory.mktemp("auth"))
    yield live
    live.server.stop()


@pytest.fixture(scope="module")
def public_api(tmp_path_factory):
    live = start_api(tmp_path_factory.mktemp("auth-public"), PARTNER_GRAPH_PUBLIC_READS="true")
    yield live
    live.server.stop()


def two_cities(admin: httpx.Client) -> tuple[str, str]:
    a, b = unique("a"), unique("b")
    assert admin.post("/nodes/batch", json={"nodes": [city(a), city(b)]}).status_code == 200
    return a, b


def ends(admin: httpx.Client) -> dict[str, str]:
    """Two fresh cities as the ``src`` and ``dst`` of an edge body."""
    src, dst = two_cities(admin)
    return {"src": src, "dst": dst}


def sister_edge(admin: httpx.Client) -> str:
    a, b = two_cities(admin)
    response = admin.post("/edges", json={"src": a, "dst": b, "type": "SISTER_CITY"})
    assert response.status_code == 201
    return response.json()["edge"]["id"]


def graph_upload() -> dict:
    doc = {"format": "partner-graph", "version": 1, "nodes": [city(unique("imp"))], "edges": []}
    return {"files": {"file": ("g.json", json.dumps(doc).encode(), "application/json")}}


# Each write route: (name, needed role, success status, request builder given an admin client).
WRITES = [
    ("POST /nodes", "editor", 201, lambda a: ("POST", "/nodes", {"json": city(unique())})),
    ("POST /nodes/batch", "editor", 200, lambda a: ("POST", "/nodes/batch", {"json": {"nodes": [city(unique())]}})),
    (
        "PATCH /nodes/{id}",
        "editor",
        200,
        lambda a: ("PATCH", f"/nodes/{two_cities(a)[0]}", {"json": {"population": 5}}),
    ),
    ("DELETE /nodes/{id}", "editor", 200, lambda a: ("DELETE", f"/nodes/{two_cities(a)[0]}", {})),
    (
        "POST /edges",
        "editor",
        201,
        lambda a: ("POST", "/edges", {"json": ends(a) | {"type": "SISTER_CITY"}}),
    ),
    (
        "POST /edges/batch",
        "editor",
        200,
        lambda a: (
            "POST",
            "/edges/batch",
            {"json": {"edges": [ends(a) | {"type": "FRIENDLY_EXCHANGE"}]}},
        ),
    ),
    (
        "PATCH /edges/{id}",
        "editor",
        200,
        lambda a: ("PATCH", f"/edges/{sister_edge(a)}", {"json": {"status": "dormant"}}),
    ),
    ("DELETE /edges/{id}", "editor", 200, lambda a: ("DELETE", f"/edges/{sister_edge(a)}", {})),
    ("POST /import", "admin", 200, lambda a: ("POST", "/import", graph_upload())),
    ("POST /keys", "admin", 201, lambda a: ("POST", "/keys", {"json": {"role": "viewer", "label": "matrix"}})),
    (
        "DELETE /keys/{id}",
        "admin",
        200,
        lambda a: ("DELETE", f"/keys/{a.post('/keys', json={'role': 'viewer'}).json()['id']}", {}),
    ),
    ("DELETE /nodes?confirm=all", "admin", 200, lambda a: ("DELETE", "/nodes", {"params": {"confirm": "all"}})),
]


def revision(live) -> int:
    """The store's revision, from ``/health`` (it moves with every write)."""
    return httpx.get(live.url + "/health").json()["revision"]


def expected(needed: str, role: str | None, success: int) -> int:
    if role is None:
        return 401
    return success if RANK[role] >= RANK[needed] else 403


@pytest.mark.parametrize("name, needed, success, build", WRITES, ids=[w[0] for w in WRITES])
def test_write_route_statuses_by_role(private_api, name, needed, success, build):
    admin = private_api.client("admin")
    got = {}
    for role in ROLES:
        method, url, kwargs = build(admin)
        before = revision(private_api)
        response = private_api.client(role).request(method, url, **kwargs)
        got[role] = response.status_code
        if expected(needed, role, success) == success:
            assert revision(private_api) > before, (role, response.text[:300])
        else:
            assert response.json()["error"] == ("unauthorized" if role is None else "forbidden"), response.text[:300]
            assert revision(private_api) == before, (role, "a refused write changed the store")
    assert got == {role: expected(needed, role, success) for role in ROLES}


def read_routes(live) -> list[str]:
    admin = live.client("admin")
    edge_id = sister_edge(admin)
    node_id = edge_id.split("|")[0]
    return [
        "/nodes?q=nanning",
        f"/nodes/{node_id}",
        "/edges",
        f"/edges/{edge_id}",
        f"/cities/{node_id}/partners",
        f"/cities/{node_id}/ego?depth=2",
        "/export?format=json",
        "/stats",
    ]


def test_reads_need_a_key_when_reads_are_private(private_api):
    for url in read_routes(private_api):
        refused = private_api.client(None).get(url)
        assert refused.status_code == 401, url
        assert refused.json()["error"] == "unauthorized" and "X-API-Key" in refused.json()["message"], url
        answers = {role: private_api.client(role).get(url) for role in ("viewer", "editor", "admin")}
        assert {role: r.status_code for role, r in answers.items()} == dict.fromkeys(answers, 200), url
        assert answers["viewer"].content == answers["admin"].content, url  # the same answer for every role


def test_reads_are_open_when_reads_are_public(public_api):
    for url in read_routes(public_api):
        anonymous, viewer = public_api.client(None).get(url), public_api.client("viewer").get(url)
        assert (anonymous.status_code, viewer.status_code) == (200, 200), url
        assert anonymous.content == viewer.content, url  # no key sees what a viewer sees


@pytest.mark.parametrize("url", ["/audit", "/keys"])
def test_audit_and_keys_are_admin_only_even_with_public_reads(public_api, url):
    got = {role: public_api.client(role).get(url).status_code for role in ROLES}
    assert got == {None: 401, "viewer": 403, "editor": 403, "admin": 200}


def test_health_needs_no_key(private_api):
    for path in ("/health", "/api/v1/health"):
        response = httpx.get(private_api.url + path)
        assert response.status_code == 200, path
        body = response.json()
        assert (body["status"], body["revision"]) == ("ok", revision(private_api)), path
        assert isinstance(body["worker"], int) and body["analysis_revision"] is None, path  # no analysis asked yet


def test_unknown_and_revoked_keys_get_401(private_api):
    admin = private_api.client("admin")
    for bad in ("nonsense", "pg_" + "x" * 43, private_api.keys["admin"] + "x"):
        response = httpx.get(private_api.url + "/api/v1/stats", headers={"X-API-Key": bad})
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    made = admin.post("/keys", json={"role": "editor", "label": "to revoke"}).json()
    headers = {"X-API-Key": made["key"]}
    assert httpx.get(private_api.url + "/api/v1/stats", headers=headers).status_code == 200
    assert admin.delete(f"/keys/{made['id']}").json()["revoked"] is True
    assert httpx.get(private_api.url + "/api/v1/stats", headers=headers).status_code == 401


def test_a_bad_key_is_refused_even_where_reads_are_public(public_api):
    response = httpx.get(public_api.url + "/api/v1/stats", headers={"X-API-Key": "wrong"})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized" and "unknown or revoked" in response.json()["message"]
    assert "total_nodes" not in response.text  # no statistics leak with the refusal
