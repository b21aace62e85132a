"""Key management over HTTP (admin): create shows the key once, list never shows keys or hashes."""

from __future__ import annotations

import httpx


def test_create_list_revoke(api):
    admin = api.client("admin")
    made = admin.post("/keys", json={"role": "viewer", "label": "partner office"})
    assert made.status_code == 201
    key = made.json()["key"]
    listed = admin.get("/keys").json()
    mine = next(k for k in listed if k["id"] == made.json()["id"])
    assert mine == {"id": mine["id"], "role": "viewer", "label": "partner office", "created": mine["created"], "revoked": False}
    assert key not in str(listed) and "hash" not in str(listed)
    assert httpx.get(api.url + "/api/v1/stats", headers={"X-API-Key": key}).status_code == 200
    assert admin.delete(f"/keys/{mine['id']}").json()["revoked"] is True
    assert admin.delete(f"/keys/{mine['id']}").status_code == 200, "revoking twice is fine"
    assert admin.delete("/keys/nope").status_code == 404


def test_bad_role_is_a_422(api):
    assert api.client("admin").post("/keys", json={"role": "root"}).status_code == 422
