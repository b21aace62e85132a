"""Key management over HTTP (admin): create shows the key once, list never shows keys or hashes."""

from __future__ import annotations

import httpx

from .support import assert_error


def test_create_list_revoke(api):
    admin = api.client("admin")
    made = admin.post("/keys", json={"role": "viewer", "label": "partner office"})
    assert made.status_code == 201
    key = made.json()["key"]
    listed = admin.get("/keys").json()
    mine = next(k for k in listed if k["id"] == made.json()["id"])
    assert mine == {
        "id": mine["id"],
        "role": "viewer",
        "label": "partner office",
        "created": mine["created"],
        "revoked": False,
    }
    assert key not in str(listed) and "hash" not in str(listed)
    assert httpx.get(api.url + "/api/v1/stats", headers={"X-API-Key": key}).status_code == 200
    assert admin.delete(f"/keys/{mine['id']}").json()["revoked"] is True
    assert admin.delete(f"/keys/{mine['id']}").status_code == 200, "revoking twice is fine"
    assert admin.delete("/keys/nope").status_code == 404


def test_bad_role_is_a_422(api):
    admin = api.client("admin")
    keys = admin.get("/keys").json()
    error = assert_error(admin.post("/keys", json={"role": "root"}), 422, "invalid", "role")
    assert error["details"][0]["loc"] == ["body", "role"]
    assert admin.get("/keys").json() == keys, "a refused key was stored"


def test_a_key_revoked_by_another_process_stops_working_within_the_cache_ttl(api):
    import time

    from typer.testing import CliRunner

    from graph_service.cli import app as cli

    made = api.client("admin").post("/keys", json={"role": "viewer", "label": "cli revoke"}).json()
    headers = {"X-API-Key": made["key"]}
    assert httpx.get(api.url + "/api/v1/stats", headers=headers).status_code == 200
    result = CliRunner().invoke(cli, ["--store", f"sqlite:///{api.db}", "keys", "revoke", made["id"]])
    assert result.exit_code == 0 and "revoked" in result.output
    deadline = time.monotonic() + 5
    while httpx.get(api.url + "/api/v1/stats", headers=headers).status_code == 200:
        assert time.monotonic() < deadline, "still accepted 5 s after revocation"
        time.sleep(0.2)
