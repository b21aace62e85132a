"""The embedded store: one SQLite file in WAL mode, stdlib ``sqlite3`` only.

Each bulk write runs in one ``BEGIN IMMEDIATE`` transaction that also bumps the revision and appends
the audit entry, so a killed process leaves either all of a batch or none of it. The schema carries a
version (``PRAGMA user_version``) and ``MIGRATIONS`` brings an older file up to date on open.

>>> store = SQLiteStore(":memory:")
>>> store.revision()
0
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph_service.errors import KindConflict, StoreError
from graph_service.model import AuditEntry, Edge, EdgeType, Node, NodeKind, Subgraph, WriteResult, parse_edge_id
from graph_service.store.base import (
    ApiKeyRecord,
    SessionRecord,
    check_endpoints,
    require_closed_sets,
    write_summary,
)
from graph_service.text import normalise, search_rank, search_text

MIGRATIONS: list[list[str]] = [
    [  # version 1
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "INSERT INTO meta VALUES ('revision', '0')",
        """CREATE TABLE nodes (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, country TEXT,
            population INTEGER, search TEXT NOT NULL, data TEXT NOT NULL)""",
        "CREATE INDEX nodes_kind_country ON nodes(kind, country)",
        """CREATE TABLE edges (
            id TEXT PRIMARY KEY,
            src TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
            dst TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
            type TEXT NOT NULL, data TEXT NOT NULL)""",
        "CREATE INDEX edges_src ON edges(src, type)",
        "CREATE INDEX edges_dst ON edges(dst, type)",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL, summary TEXT NOT NULL, revision INTEGER NOT NULL)""",
        """CREATE TABLE api_keys (
            id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, created TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '', revoked INTEGER NOT NULL DEFAULT 0)""",
    ],
    [  # version 2: web UI sessions (hashed ids), shared by every server worker
        """CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, csrf TEXT NOT NULL, created TEXT NOT NULL,
            expires TEXT NOT NULL)""",
        "CREATE INDEX sessions_expires ON sessions(expires)",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
_CHUNK = 500


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SQLiteStore:
    """``GraphStore`` over one SQLite file (or ``":memory:"`` for throwaway use)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        if self.path == ":memory:":
            self._shared = self._connect()
        self._migrate()

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 60000")
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        """One connection per thread, so the API's worker threads never share a cursor."""
        if self._shared is not None:
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def _write(self, actor: str, action: str, target: str) -> Iterator[tuple[sqlite3.Connection, dict]]:
        """A write transaction that bumps the revision and audits the change on commit."""
        audit: dict[str, Any] = {}
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn, audit
                revision = self._bump(conn)
                self._insert_audit(conn, actor, action, audit.pop("target", target), audit, revision)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _plain_write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction outside the graph: no revision bump, no audit entry (sessions)."""
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _migrate(self) -> None:
        conn = self._conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}; this partner-graph knows up to {SCHEMA_VERSION}. "
                "Upgrade partner-graph."
            )
        for step in range(version, SCHEMA_VERSION):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] == step:
                    for statement in MIGRATIONS[step]:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> int:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
        return int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    @staticmethod
    def _insert_audit(conn, actor, action, target, summary, revision) -> AuditEntry:
        at = _now()
        cur = conn.execute(
            "INSERT INTO audit (at, actor, action, target, summary, revision) VALUES (?, ?, ?, ?, ?, ?)",
            (at, actor, action, target, _dumps(summary), revision),
        )
        return AuditEntry(
            seq=cur.lastrowid, at=at, actor=actor, action=action, target=target, summary=summary, revision=revision
        )

    # -- writes ------------------------------------------------------------------------------
    def upsert_nodes(self, nodes: Sequence[Node], *, actor: str = "local", action: str = "upsert_nodes") -> WriteResult:
        require_closed_sets(nodes=nodes)
        nodes = list({node.id: node for node in nodes}.values())
        result = WriteResult()
        with self._write(actor, action, "nodes") as (conn, audit):
            existing = self._rows(conn, "SELECT id, kind, data FROM nodes WHERE id IN ({})", [n.id for n in nodes])
            stored = {row[0]: (row[1], row[2]) for row in existing}
            rows = []
            for node in nodes:
                data = _dumps(node.props())
                if node.id in stored:
                    kind, old = stored[node.id]
                    if kind != node.kind.value:
                        raise KindConflict(f"node {node.id!r} is a {kind}; it cannot become a {node.kind.value}")
                    if old == data:
                        result.unchanged += 1
                        continue
                    result.updated += 1
                else:
                    result.created += 1
                keys = search_text(node.name, node.name_zh, node.alt_names)
                rows.append((node.id, node.kind.value, node.name, node.country, node.population, keys, data))
            conn.executemany(
                "INSERT INTO nodes (id, kind, name, country, population, search, data) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, country = excluded.country, "
                "population = excluded.population, search = excluded.search, data = excluded.data",
                rows,
            )
            audit.update(write_summary(result, [n.id for n in nodes]))
        result.revision = self.revision()
        return result

    def upsert_edges(self, edges: Sequence[Edge], *, actor: str = "local", action: str = "upsert_edges") -> WriteResult:
        require_closed_sets(edges=edges)
        edges = list({edge.id: edge for edge in edges}.values())
        result = WriteResult()
        with self._write(actor, action, "edges") as (conn, audit):
            ends = sorted({end for edge in edges for end in (edge.src, edge.dst)})
            rows = self._rows(conn, "SELECT id, kind FROM nodes WHERE id IN ({})", ends)
            kinds = {row[0]: NodeKind(row[1]) for row in rows}
            check_endpoints(edges, kinds)
            stored = dict(self._rows(conn, "SELECT id, data FROM edges WHERE id IN ({})", [e.id for e in edges]))
            rows = []
            for edge in edges:
                data = _dumps(edge.props())
                if edge.id in stored:
                    if stored[edge.id] == data:
                        result.unchanged += 1
                        continue
                    result.updated += 1
                else:
                    result.created += 1
                rows.append((edge.id, edge.src, edge.dst, edge.type.value, data))
            conn.executemany(
                "INSERT INTO edges (id, src, dst, type, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                rows,
            )
            audit.update(write_summary(result, [e.id for e in edges]))
        result.revision = self.revision()
        return result

    def delete_nodes(self, node_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(node_ids))
        with self._write(actor, "delete_nodes", "nodes") as (conn, audit):
            edge_count = sum(
                conn.execute(
                    f"SELECT COUNT(*) FROM edges WHERE src IN ({self._marks(chunk)}) OR dst IN ({self._marks(chunk)})",
                    [*chunk, *chunk],
                ).fetchone()[0]
                for chunk in _chunks(ids, _CHUNK // 2)
            )
            deleted = sum(
                conn.execute(f"DELETE FROM nodes WHERE id IN ({self._marks(chunk)})", chunk).rowcount
                for chunk in _chunks(ids)
            )
            audit.update({"deleted": deleted, "edges_deleted": edge_count, "ids": ids[:20]})
        return deleted

    def delete_edges(self, edge_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(edge_ids))
        with self._write(actor, "delete_edges", "edges") as (conn, audit):
            deleted = sum(
                conn.execute(f"DELETE FROM edges WHERE id IN ({self._marks(chunk)})", chunk).rowcount
                for chunk in _chunks(ids)
            )
            audit.update({"deleted": deleted, "ids": ids[:20]})
        return deleted

    def delete_all(self, *, actor: str = "local") -> int:
        """Remove every node and edge (API keys and the audit log stay)."""
        with self._write(actor, "delete_all", "graph") as (conn, audit):
            conn.execute("DELETE FROM edges")
            deleted = conn.execute("DELETE FROM nodes").rowcount
            audit.update({"deleted": deleted})
        return deleted

    def append_audit(self, actor: str, action: str, target: str, summary: dict[str, Any]) -> AuditEntry:
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                entry = self._insert_audit(conn, actor, action, target, summary, self._bump(conn))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return entry

    def save_api_key(self, record: ApiKeyRecord, *, actor: str = "local") -> None:
        with self._write(actor, "save_api_key", f"key:{record.id}") as (conn, audit):
            conn.execute(
                "INSERT INTO api_keys (id, hash, role, created, label, revoked) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET role = excluded.role, label = excluded.label, "
                "revoked = excluded.revoked",
                (record.id, record.hash, record.role, record.created, record.label, int(record.revoked)),
            )
            audit.update({"role": record.role, "revoked": record.revoked})

    def save_session(self, record: SessionRecord) -> None:
        with self._plain_write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sessions (id_hash, key_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
                (record.id_hash, record.key_id, record.csrf, record.created, record.expires),
            )

    def delete_session(self, id_hash: str) -> int:
        with self._plain_write() as conn:
            return conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,)).rowcount

    def purge_sessions(self, now: str) -> int:
        with self._plain_write() as conn:
            return conn.execute("DELETE FROM sessions WHERE expires <= ?", (now,)).rowcount

    # -- reads -------------------------------------------------------------------------------
    @staticmethod
    def _marks(items: Sequence[Any]) -> str:
        return ",".join("?" * len(items))

    def _rows(self, conn: sqlite3.Connection, template: str, ids: Sequence[str]) -> list[tuple]:
        rows: list[tuple] = []
        for chunk in _chunks(list(ids)):
            rows.extend(conn.execute(template.format(self._marks(chunk)), chunk).fetchall())
        return rows

    def get_node(self, node_id: str) -> Node | None:
        row = self._conn.execute("SELECT data FROM nodes WHERE id = ?", (node_id,)).fetchone()
        return Node.model_validate_json(row[0]) if row else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        rows = self._rows(self._conn, "SELECT data FROM nodes WHERE id IN ({})", sorted(set(node_ids)))
        nodes = (Node.model_validate_json(row[0]) for row in rows)
        return {node.id: node for node in nodes}

    def get_edge(self, edge_id: str) -> Edge | None:
        row = self._conn.execute("SELECT data FROM edges WHERE id = ?", (parse_edge_id(edge_id).id,)).fetchone()
        return Edge.model_validate_json(row[0]) if row else None

    def list_edges(
        self, *, node: str | None = None, type: EdgeType | None = None, limit: int = 50, offset: int = 0
    ) -> list[Edge]:
        where, params = [], []
        if node is not None:
            where.append("(src = ? OR dst = ?)")
            params.extend([node, node])
        if type is not None:
            where.append("type = ?")
            params.append(EdgeType(type).value)
        sql = "SELECT data FROM edges" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self._conn.execute(sql + " ORDER BY id LIMIT ? OFFSET ?", [*params, limit, offset])
        return [Edge.model_validate_json(row[0]) for row in rows]

    def find_nodes(
        self,
        text: str | None = None,
        *,
        kind: NodeKind | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Node]:
        where, params = [], []
        if kind is not None:
            where.append("kind = ?")
            params.append(NodeKind(kind).value)
        if country is not None:
            where.append("country = ?")
            params.append(country)
        query = normalise(text) if text else ""
        if query:
            where.append("(instr(search, ?) > 0 OR instr(search, ?) > 0)")
            params.extend([query, query.replace(" ", "")])
        sql = "SELECT search, population, data, country FROM nodes"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if not query:
            sql += " ORDER BY COALESCE(population, -1) DESC, id LIMIT ? OFFSET ?"
            rows = self._conn.execute(sql, [*params, limit, offset]).fetchall()
            return [Node.model_validate_json(row[2]) for row in rows]
        ranked = [(search_rank(query, search, country, population), data)
                  for search, population, data, country in self._conn.execute(sql, params)]
        ranked.sort(key=lambda item: item[0])
        return [Node.model_validate_json(item[1]) for item in ranked[offset : offset + limit]]

    def neighbourhood(self, node_id: str, depth: int = 1, types: Iterable[EdgeType] | None = None) -> Subgraph:
        conn = self._conn
        if conn.execute("SELECT 1 FROM nodes WHERE id = ?", (node_id,)).fetchone() is None:
            return Subgraph()
        type_values = sorted(EdgeType(t).value for t in types) if types is not None else None
        type_clause = f" AND type IN ({self._marks(type_values)})" if type_values is not None else ""
        seen, frontier = {node_id}, [node_id]
        for _ in range(max(depth, 0)):
            found: set[str] = set()
            for chunk in _chunks(frontier, _CHUNK // 2):
                marks = self._marks(chunk)
                sql = f"SELECT src, dst FROM edges WHERE (src IN ({marks}) OR dst IN ({marks})){type_clause}"
                for src, dst in conn.execute(sql, [*chunk, *chunk, *(type_values or [])]):
                    found.update((src, dst))
            frontier = sorted(found - seen)
            seen |= found
            if not frontier:
                break
        ids = sorted(seen)
        rows = self._rows(conn, "SELECT data FROM nodes WHERE id IN ({})", ids)
        nodes = [Node.model_validate_json(row[0]) for row in rows]
        edges = self._edges_among(conn, ids, seen, type_values)
        return Subgraph(nodes=nodes, edges=edges)

    def _edges_among(self, conn, ids: list[str], seen: set[str], type_values: list[str] | None) -> list[Edge]:
        """Edges whose both ends are in ``seen``, optionally only of the given types."""
        type_clause = f" AND type IN ({self._marks(type_values)})" if type_values is not None else ""
        edges: list[Edge] = []
        for chunk in _chunks(ids):
            sql = f"SELECT dst, data FROM edges WHERE src IN ({self._marks(chunk)}){type_clause}"
            rows = conn.execute(sql, [*chunk, *(type_values or [])])
            edges.extend(Edge.model_validate_json(data) for dst, data in rows if dst in seen)
        return edges

    def snapshot(self) -> Subgraph:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            nodes = [Node.model_validate_json(row[0]) for row in conn.execute("SELECT data FROM nodes ORDER BY id")]
            edges = [Edge.model_validate_json(row[0]) for row in conn.execute("SELECT data FROM edges ORDER BY id")]
        finally:
            conn.execute("COMMIT")
        return Subgraph(nodes=nodes, edges=edges)

    def counts(self) -> dict[str, dict[str, int]]:
        conn = self._conn
        return {
            "nodes": dict(conn.execute("SELECT kind, COUNT(*) FROM nodes GROUP BY kind ORDER BY kind").fetchall()),
            "edges": dict(conn.execute("SELECT type, COUNT(*) FROM edges GROUP BY type ORDER BY type").fetchall()),
        }

    def revision(self) -> int:
        return int(self._conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])

    def read_audit(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        rows = self._conn.execute(
            "SELECT seq, at, actor, action, target, summary, revision FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [
            AuditEntry(seq=r[0], at=r[1], actor=r[2], action=r[3], target=r[4], summary=json.loads(r[5]), revision=r[6])
            for r in rows
        ]

    def api_keys(self) -> list[ApiKeyRecord]:
        rows = self._conn.execute("SELECT id, hash, role, created, label, revoked FROM api_keys ORDER BY created, id")
        return [
            ApiKeyRecord(id=r[0], hash=r[1], role=r[2], created=r[3], label=r[4], revoked=bool(r[5])) for r in rows
        ]

    def get_session(self, id_hash: str) -> SessionRecord | None:
        row = self._conn.execute(
            "SELECT id_hash, key_id, csrf, created, expires FROM sessions WHERE id_hash = ?", (id_hash,)
        ).fetchone()
        fields = ("id_hash", "key_id", "csrf", "created", "expires")
        return SessionRecord(**dict(zip(fields, row, strict=True))) if row else None

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._shared is not None:
            self._shared.close()
            self._shared = None
