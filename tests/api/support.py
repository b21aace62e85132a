"""Helpers for the API tests: a live server over a seeded SQLite store, with one key per role."""

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
from graph_service.store.sqlite import SQLiteStore

UPLOAD_LIMIT = 12 * 1024 * 1024


@dataclass
class Api:
    """A running server, its log file and a key per role."""

    server: LiveServer
    db: Path
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


def seeded_store(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Seed a store at ``path``; the admin key comes from the CLI, as an operator would make it."""
    store = SQLiteStore(path)
    load_seed(store)
    keys, ids = {}, {}
    for role in ("viewer", "editor"):
        keys[role], record = create_key(store, role, f"test {role}")
        ids[role] = record.id
    store.close()
    result = CliRunner().invoke(cli, ["--store", f"sqlite:///{path}", "keys", "create", "--role", "admin", "--json"])
    assert result.exit_code == 0, result.output
    made = json.loads(result.output)
    keys["admin"], ids["admin"] = made["key"], made["id"]
    return keys, ids


def start_api(tmp: Path, workers: int = 1, **env: str) -> Api:
    """Seed a store under ``tmp`` and serve it; ``env`` overrides settings (``PARTNER_GRAPH_...``)."""
    db = tmp / "api.db"
    keys, ids = seeded_store(db)
    settings_env = {"PARTNER_GRAPH_PUBLIC_READS": "false", "PARTNER_GRAPH_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT), **env}
    server = LiveServer(f"sqlite:///{db}", env=settings_env, workers=workers, log_path=tmp / "server.log").start()
    return Api(server=server, db=db, keys=keys, key_ids=ids)


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
