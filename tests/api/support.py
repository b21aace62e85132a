"""Helpers for the API tests: a live server over a seeded store (a SQLite file, or the session's live
Neo4j), with one key per role."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from typer.testing import CliRunner

from graph_service.api.live import LiveServer
from graph_service.cli import app as cli
from graph_service.ingest.seed import load_seed
from graph_service.services.keys import create_key
from graph_service.store import Store
from graph_service.store.sqlite import SQLiteStore
from tests.neo4j_live import LiveNeo4j

UPLOAD_LIMIT = 12 * 1024 * 1024


@dataclass
class Api:
    """A running server, its log file and a key per role."""

    server: LiveServer
    db: Path | None
    keys: dict[str, str]
    key_ids: dict[str, str]
    clients: dict[str | None, httpx.Client] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, role: str | None = "admin") -> httpx.Client:
        """A client sending the key of ``role`` (None: no key)."""
        if role not in self.clients:
            headers = {"X-API-Key": self.keys[role]} if role else {}
            self.clients[role] = httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=60)
        return self.clients[role]

    def log_text(self) -> str:
        return self.server.log_path.read_text(encoding="utf-8", errors="replace")


def seeded_store(store: Store, store_url: str, env: dict[str, str] | None = None) -> tuple[dict, dict]:
    """Seed ``store`` (then close it); the admin key comes from the CLI, as an operator would make it.
    ``store_url`` and ``env`` point the CLI at the same database."""
    load_seed(store)
    keys, ids = {}, {}
    for role in ("viewer", "editor"):
        keys[role], record = create_key(store, role, f"test {role}")
        ids[role] = record.id
    store.close()
    result = CliRunner().invoke(
        cli, ["--store", store_url, "keys", "create", "--role", "admin", "--json"], env=env or {}
    )
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    keys["admin"], ids["admin"] = made["key"], made["id"]
    return keys, ids


SETTINGS_ENV = {"PARTNER_GRAPH_PUBLIC_READS": "false", "PARTNER_GRAPH_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT)}


def start_api(tmp: Path, workers: int = 1, **env: str) -> Api:
    """Seed a SQLite store under ``tmp`` and serve it; ``env`` overrides settings (``PARTNER_GRAPH_...``)."""
    db = tmp / "api.db"
    keys, ids = seeded_store(SQLiteStore(db), f"sqlite:///{db}")
    server = LiveServer(f"sqlite:///{db}", env=SETTINGS_ENV | env, workers=workers, log_path=tmp / "server.log")
    return Api(server=server.start(), db=db, keys=keys, key_ids=ids)


def start_neo4j_api(tmp: Path, neo4j: LiveNeo4j, workers: int = 1, **env: str) -> Api:
    """Empty the live Neo4j database, seed it and serve it, like ``start_api``."""
    store = neo4j.connect()
    store.wipe_for_tests()
    keys, ids = seeded_store(store, neo4j.uri, neo4j.env())
    server = LiveServer(neo4j.uri, env=SETTINGS_ENV | neo4j.env() | env, workers=workers, log_path=tmp / "server.log")
    return Api(server=server.start(), db=None, keys=keys, key_ids=ids)


def stop_api(live: Api) -> None:
    for client in live.clients.values():
        client.close()
    live.server.stop()


def unique(prefix: str = "t") -> str:
    """A fresh node id, so tests sharing the server never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def city(node_id: str, name: str = "Testville", country: str = "FR", **extra) -> dict:
    return {"id": node_id, "kind": "City", "name": name, "country": country, **extra}


def revision(api: Api) -> int:
    """The store's revision from ``/health``: it moves with every write, so a refusal must leave it."""
    return httpx.get(api.url + "/health").json()["revision"]


def assert_error(response: httpx.Response, status: int, code: str, says: str = "") -> dict:
    """``response`` is the error ``status`` in the error shape, with ``code`` and a message containing
    ``says`` (case-insensitive) and no traceback; returns the body."""
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == code, body
    assert says.lower() in body["message"].lower(), body["message"]
    assert "Traceback" not in response.text
    return body
