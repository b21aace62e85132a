"""Health, stats and the audit log: every write through the API is audited with its key id, and no
key ever reaches the server's logs or the audit log."""

from __future__ import annotations

import json
import logging

import httpx

from .support import city, unique


def test_health_and_stats(api):
    health = httpx.get(api.url + "/health").json()
    assert health["status"] == "ok" and health["revision"] > 0
    stats = api.client("viewer").get("/stats").json()
    assert stats["total_nodes"] == sum(stats["nodes"].values()) > 0
    assert stats["nodes"]["City"] >= 1


def audit_entries(api, limit=500) -> list[dict]:
    return api.client("admin").get("/audit", params={"limit": limit}).json()["items"]


def test_every_write_is_audited_with_the_key_id(api):
    editor, admin = api.client("editor"), api.client("admin")
    a, b = unique("aud"), unique("aud")
    doc = {"nodes": [city(unique("imp"))], "edges": []}
    writes = [
        ("editor", "api_upsert_node", lambda: editor.post("/nodes", json=city(a))),
        ("editor", "api_upsert_nodes", lambda: editor.post("/nodes/batch", json={"nodes": [city(b)]})),
        ("editor", "api_patch_node", lambda: editor.patch(f"/nodes/{a}", json={"population": 7})),
        ("editor", "api_upsert_edge", lambda: editor.post("/edges", json={"src": a, "dst": b, "type": "SISTER_CITY"})),
        ("editor", "api_patch_edge", lambda: editor.patch(f"/edges/{a}|SISTER_CITY|{b}", json={"status": "active"})),
        (
            "editor",
            "api_upsert_edges",
            lambda: editor.post("/edges/batch", json={"edges": [{"src": a, "dst": b, "type": "FRIENDLY_EXCHANGE"}]}),
        ),
        ("editor", "delete_edges", lambda: editor.delete(f"/edges/{a}|FRIENDLY_EXCHANGE|{b}")),
        ("editor", "delete_nodes", lambda: editor.delete(f"/nodes/{b}")),
        ("admin", "import_graph", lambda: admin.post("/import", files={"file": ("g.json", json.dumps(doc))})),
        ("admin", "save_api_key", lambda: admin.post("/keys", json={"role": "viewer", "label": "audited"})),
    ]
    for role, action, send in writes:
        before = audit_entries(api, 1)[0]["seq"]
        response = send()
        assert response.status_code < 300, (action, response.text)
        new = [e for e in audit_entries(api, 20) if e["seq"] > before]
        assert [e["action"] for e in new if e["action"] == action], (action, new)
        assert {e["actor"] for e in new} == {f"key:{api.key_ids[role]}"}, (action, new)
        assert all(e["at"] and e["target"] and isinstance(e["summary"], dict) for e in new)
    patch = next(e for e in audit_entries(api) if e["action"] == "api_patch_node")
    assert a in patch["summary"]["ids"] and patch["summary"]["updated"] == 1
    assert patch["summary"]["changes"] == {a: {"population": {"before": None, "after": 7}}}, "before and after"
    edge = next(e for e in audit_entries(api) if e["action"] == "api_patch_edge")
    (changed,) = edge["summary"]["changes"].values()
    assert changed == {"status": {"before": None, "after": "active"}}


def test_audit_pages_newest_first(api):
    page = api.client("admin").get("/audit", params={"limit": 2}).json()
    assert len(page["items"]) == 2 and page["items"][0]["seq"] > page["items"][1]["seq"]
    assert page["next"] and "offset=2" in page["next"]


def test_keys_never_reach_logs_or_audit(api, caplog):
    caplog.set_level(logging.DEBUG)
    made = api.client("admin").post("/keys", json={"role": "editor", "label": "log check"}).json()
    keys = [*api.keys.values(), made["key"]]
    for key in keys:
        headers = {"X-API-Key": key}
        httpx.get(api.url + "/api/v1/stats", headers=headers)
        httpx.post(api.url + "/api/v1/nodes", headers=headers, json={"id": "", "kind": "Nope"})
        httpx.get(api.url + "/api/v1/audit", headers=headers)
        httpx.get(api.url + "/api/v1/nodes/does-not-exist", headers=headers)
        httpx.get(api.url + "/api/v1/stats", headers={"X-API-Key": key + "-wrong"})
    api.client("admin").delete(f"/keys/{made['id']}")
    logs = api.log_text() + caplog.text
    audit = json.dumps(audit_entries(api))
    assert "GET /api/v1/stats" in logs, "the access log is on, so the check means something"
    for key in keys:
        assert key not in logs and key[3:] not in logs
        assert key not in audit


def test_failed_authentications_are_counted_without_the_key(api):
    admin = api.client("admin")
    before = admin.get("/keys/failures").json()["failed"]
    wrong = ["pg_" + "x" * 43, "pg_not-a-key", "z" * 500]
    for key in wrong:
        assert httpx.get(api.url + "/api/v1/stats", headers={"X-API-Key": key}).status_code == 401
    assert httpx.get(api.url + "/api/v1/stats").status_code == 401, "no key at all is not a failed authentication"
    counted = admin.get("/keys/failures").json()
    assert counted["failed"] == before + len(wrong) and counted["since"]
    assert api.client("viewer").get("/keys/failures").status_code == 403
    logs = api.log_text()
    assert logs.count("failed authentication") >= len(wrong)
    assert not any(key in logs or key[3:] in logs for key in wrong), "keys are never logged"


def test_strategies_are_listed(api):
    names = api.client("viewer").get("/strategies").json()
    assert "default" in names
    assert api.client(None).get("/strategies").status_code == 401
