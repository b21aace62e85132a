"""The embedded store: one SQLite file in WAL mode, stdlib ``sqlite3`` only.

Each bulk write runs in one ``BEGIN IMMEDIATE`` transaction that also bumps the revision, appends
the audit entry and records which nodes and edges it touched (the ``changes`` table, read by
``changes_since``), so a killed process leaves either all of a batch or none of it. A write that
changes nothing rolls back: no revision, no audit entry. The schema carries a version
(``PRAGMA user_version``) and ``MIGRATIONS`` brings an older file up to date on open.

Text search runs on FTS5: a trigram index over the ``search`` keys (queries of three characters or
more) and a unicode61 index over the CJK characters of the keys, one token each (one- and
two-character Chinese, Japanese and Korean queries). Triggers keep both current.

>>> store = SQLiteStore(":memory:")
>>> store.revision()
0
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from graph_service.errors import KindConflict, StoreError
from graph_service.model import (
    AuditEntry,
    Edge,
    EdgeType,
    GraphWriteResult,
    Node,
    NodeKind,
    Subgraph,
    WriteResult,
    parse_edge_id,
)
from graph_service.store.base import (
    CHANGES_KEPT,
    MAX_AUDITED_RECORDS,
    PAGE,
    ApiKeyRecord,
    ChangeLog,
    ChangeSet,
    SessionRecord,
    SnapshotRows,
    check_endpoints,
    edge_refs,
    graph_summary,
    graph_target,
    require_closed_sets,
    unique_ids,
    write_summary,
)
from graph_service.store.sqlite_errors import sqlite_errors
from graph_service.text import CHINESE_FIRST, cjk_tokens, has_han, is_cjk, normalise, search_text

Step = str | Callable[[sqlite3.Connection], None]


def _fill_search(conn: sqlite3.Connection) -> None:
    """Migration 2: every stored node's search text as ``text.search_text`` writes it now (own names,
    then alternates), and the CJK tokens of its keys."""
    rows = []
    for node_id, data in conn.execute("SELECT id, data FROM nodes").fetchall():
        fields = json.loads(data)
        search = search_text(fields["name"], fields.get("name_zh"), fields.get("alt_names", []))
        rows.append((search, cjk_tokens(search.split("\n")), node_id))
    conn.executemany("UPDATE nodes SET search = ?, cjk = ? WHERE id = ?", rows)


def _fts_triggers(table: str, column: str) -> list[str]:
    """Triggers that keep the external-content FTS5 ``table`` in step with ``nodes.column``."""
    delete = f"INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.rowid, old.{column})"
    insert = f"INSERT INTO {table}(rowid, {column}) VALUES (new.rowid, new.{column})"
    return [
        f"CREATE TRIGGER {table}_insert AFTER INSERT ON nodes BEGIN {insert}; END",
        f"CREATE TRIGGER {table}_delete AFTER DELETE ON nodes BEGIN {delete}; END",
        f"CREATE TRIGGER {table}_update AFTER UPDATE OF {column} ON nodes BEGIN {delete}; {insert}; END",
    ]


MIGRATIONS: list[list[Step]] = [
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
    [  # version 3: the change feed, FTS5 search
        """CREATE TABLE changes (
            revision INTEGER PRIMARY KEY, nodes TEXT NOT NULL, edges TEXT NOT NULL, reset INTEGER NOT NULL)""",
        "ALTER TABLE nodes ADD COLUMN cjk TEXT NOT NULL DEFAULT ''",
        _fill_search,
        "CREATE VIRTUAL TABLE nodes_fts USING fts5(search, content='nodes', content_rowid='rowid', tokenize='trigram')",
        "CREATE VIRTUAL TABLE nodes_cjk USING fts5(cjk, content='nodes', content_rowid='rowid', tokenize='unicode61')",
        *_fts_triggers("nodes_fts", "search"),
        *_fts_triggers("nodes_cjk", "cjk"),
        "INSERT INTO nodes_fts(nodes_fts) VALUES ('rebuild')",
        "INSERT INTO nodes_cjk(nodes_cjk) VALUES ('rebuild')",
    ],
    [  # version 4: the column mappings of the spreadsheet import, remembered per header
        """CREATE TABLE column_mappings (
            header TEXT PRIMARY KEY, mapping TEXT NOT NULL, saved TEXT NOT NULL)""",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
DEFAULT_BUSY_SECONDS = 60.0
"""How long a write waits for another program's lock before ``StoreLocked``."""
_CHUNK = 500


class _Tx:
    """One write transaction's connection, audit summary and the ids it touched (the change feed)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.audit: dict[str, Any] = {}
        self.nodes: set[str] = set()
        self.edges: set[str] = set()
        self.reset = False
        self.changed = False

    def touched(self, nodes: Iterable[str] = (), edges: Iterable[str] = ()) -> None:
        self.nodes.update(nodes)
        self.edges.update(edges)
        self.changed = self.changed or bool(self.nodes or self.edges)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


_OWN = "substr(nodes.search, 1, instr(nodes.search, char(10, 31)) - 1)"
_ALTERNATE = "substr(nodes.search, instr(nodes.search, char(10, 31)) + 2)"


def _rank_sql(query: str, forms: list[str]) -> tuple[str, list[Any]]:
    """``text.search_rank`` as an ORDER BY clause, so SQLite sorts the matches and reads only one page.

    Exact own name, exact alternate, prefix of own, substring of own, prefix of alternate, substring
    of alternate; then, for a query in Han characters, places in China first; then population (none
    or 0 last), then id. ``tests/store_sqlite`` checks it against ``search_rank``.
    """
    tests, params = [], []
    levels = [("exact", _OWN), ("exact", _ALTERNATE), ("prefix", _OWN), ("substring", _OWN),
              ("prefix", _ALTERNATE), ("substring", _ALTERNATE)]
    for kind, part in levels:
        if kind == "exact":
            clause = f"instr(char(10) || {part} || char(10), char(10) || ? || char(10)) > 0"
        elif kind == "prefix":
            clause = f"instr(char(10) || {part}, char(10) || ?) > 0"
        else:
            clause = f"instr({part}, ?) > 0"
        tests.append("(" + " OR ".join([clause] * len(forms)) + ")")
        params.extend(forms)
    rank = "CASE " + " ".join(f"WHEN {test} THEN {i}" for i, test in enumerate(tests)) + f" ELSE {len(tests)} END"
    terms = [rank]
    if has_han(query):
        terms.append(f"(nodes.country IS NULL OR nodes.country NOT IN ({','.join('?' * len(CHINESE_FIRST))}))")
        params.extend(sorted(CHINESE_FIRST))
    terms += ["CASE WHEN nodes.population IS NULL OR nodes.population = 0 THEN -1 ELSE nodes.population END DESC",
              "nodes.id"]
    return ", ".join(terms), params


def _phrase(text: str) -> str:
    """An FTS5 phrase: the text in double quotes, inner quotes doubled, so it is never read as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create_private(path: Path) -> None:
    """Create an empty database file readable and writable by its owner only, unless it exists."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _roll_back(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already (it does on a full disk), without
    hiding the error that caused it."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


@sqlite_errors
class SQLiteStore:
    """``GraphStore`` over one SQLite file (or ``":memory:"`` for throwaway use).

    A new file is created readable by its owner only (0600). A full disk, a read-only file or a lock
    held longer than ``busy_seconds`` by another program are ``StoreFull``, ``StoreReadOnly`` and
    ``StoreLocked`` errors naming the file (``store.sqlite_errors``); nothing is written then.
    """

    def __init__(self, path: str | Path, *, busy_seconds: float = DEFAULT_BUSY_SECONDS):
        self.path = str(path)
        self.busy_seconds = busy_seconds
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            _create_private(Path(self.path))
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._shared: sqlite3.Connection | None = None
        if self.path == ":memory:":
            self._shared = self._connect()
        self._migrate()

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=self.busy_seconds)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_seconds * 1000)}")
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
    def _write(self, actor: str, action: str, target: str) -> Iterator[_Tx]:
        """A write transaction that bumps the revision, audits the change and records it in the change
        feed on commit; one that changed nothing (``tx.changed`` still False) rolls back instead."""
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                tx = _Tx(conn)
                yield tx
                if not tx.changed:
                    conn.execute("ROLLBACK")
                    return
                revision = self._bump(conn)
                self._insert_audit(conn, actor, action, tx.audit.pop("target", target), tx.audit, revision)
                self._record_change(conn, revision, tx)
                conn.execute("COMMIT")
            except BaseException:
                _roll_back(conn)
                raise

    @contextmanager
    def _plain_write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction outside the graph: no revision bump, no audit entry (sessions, column mappings)."""
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                _roll_back(conn)
                raise

    @staticmethod
    def _record_change(conn: sqlite3.Connection, revision: int, tx: _Tx) -> None:
        conn.execute(
            "INSERT INTO changes (revision, nodes, edges, reset) VALUES (?, ?, ?, ?)",
            (revision, _dumps_list(sorted(tx.nodes)), _dumps_list(sorted(tx.edges)), int(tx.reset)),
        )
        conn.execute("DELETE FROM changes WHERE revision <= ?", (revision - CHANGES_KEPT,))

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
                        if callable(statement):
                            statement(conn)
                        else:
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {step + 1}")
                conn.execute("COMMIT")
            except BaseException:
                _roll_back(conn)
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
    def _put_nodes(self, tx: _Tx, nodes: Sequence[Node], log: ChangeLog) -> WriteResult:
        """Create or replace ``nodes`` inside the open transaction (deduplicated by id, last wins)."""
        nodes = list({node.id: node for node in nodes}.values())
        result = WriteResult()
        existing = self._rows(tx.conn, "SELECT id, kind, data FROM nodes WHERE id IN ({})", [n.id for n in nodes])
        stored = {row[0]: (row[1], row[2]) for row in existing}
        rows = []
        for node in nodes:
            props = node.props()
            data = _dumps(props)
            if node.id in stored:
                kind, old = stored[node.id]
                if kind != node.kind.value:
                    raise KindConflict(f"node {node.id!r} is a {kind}; it cannot become a {node.kind.value}")
                if old == data:
                    result.unchanged += 1
                    continue
                result.updated += 1
                log.record(node.id, partial(json.loads, old), props)
            else:
                result.created += 1
                log.record(node.id, None, props)
            keys = search_text(node.name, node.name_zh, node.alt_names)
            rows.append((node.id, node.kind.value, node.name, node.country, node.population, keys,
                         cjk_tokens(keys.split("\n")), data))
        tx.conn.executemany(
            "INSERT INTO nodes (id, kind, name, country, population, search, cjk, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, country = excluded.country, "
            "population = excluded.population, search = excluded.search, cjk = excluded.cjk, data = excluded.data",
            rows,
        )
        tx.touched(nodes=(row[0] for row in rows))
        return result

    def _put_edges(self, tx: _Tx, edges: Sequence[Edge], log: ChangeLog) -> WriteResult:
        """Create or replace ``edges`` inside the open transaction, after checking their endpoints."""
        edges = list({edge.id: edge for edge in edges}.values())
        result = WriteResult()
        ends = sorted({end for edge in edges for end in (edge.src, edge.dst)})
        kinds = {row[0]: NodeKind(row[1]) for row in self._rows(tx.conn, "SELECT id, kind FROM nodes WHERE id IN ({})",
                                                                 ends)}
        check_endpoints(edges, kinds)
        stored = dict(self._rows(tx.conn, "SELECT id, data FROM edges WHERE id IN ({})", [e.id for e in edges]))
        rows = []
        for edge in edges:
            props = edge.props()
            data = _dumps(props)
            if edge.id in stored:
                old = stored[edge.id]
                if old == data:
                    result.unchanged += 1
                    continue
                result.updated += 1
                log.record(edge.id, partial(json.loads, old), props)
            else:
                result.created += 1
                log.record(edge.id, None, props)
            rows.append((edge.id, edge.src, edge.dst, edge.type.value, data))
        tx.conn.executemany(
            "INSERT INTO edges (id, src, dst, type, data) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            rows,
        )
        tx.touched(edges=(row[0] for row in rows))
        return result

    def upsert_nodes(self, nodes: Sequence[Node], *, actor: str = "local", action: str = "upsert_nodes") -> WriteResult:
        require_closed_sets(nodes=nodes)
        with self._write(actor, action, "nodes") as tx:
            log = ChangeLog()
            result = self._put_nodes(tx, nodes, log)
            tx.audit.update(write_summary(result, unique_ids(n.id for n in nodes)) | log.summary())
        result.revision = self.revision()
        return result

    def upsert_edges(self, edges: Sequence[Edge], *, actor: str = "local", action: str = "upsert_edges") -> WriteResult:
        require_closed_sets(edges=edges)
        with self._write(actor, action, "edges") as tx:
            log = ChangeLog()
            result = self._put_edges(tx, edges, log)
            tx.audit.update(write_summary(result, unique_ids(e.id for e in edges)) | log.summary())
        result.revision = self.revision()
        return result

    def upsert_graph(
        self, nodes: Sequence[Node], edges: Sequence[Edge], *, delete_edges: Sequence[str] = (),
        delete_nodes: Sequence[str] = (), actor: str = "local", action: str = "upsert_graph",
    ) -> GraphWriteResult:
        require_closed_sets(nodes=nodes, edges=edges)
        doomed_edges = sorted({parse_edge_id(edge_id).id for edge_id in delete_edges})
        doomed_nodes = sorted(set(delete_nodes))
        with self._write(actor, action, "graph") as tx:
            log = ChangeLog()
            node_result = self._put_nodes(tx, nodes, log)
            edge_result = self._put_edges(tx, edges, log)
            edge_result.deleted = self._delete_edges_in(tx, doomed_edges, log)
            node_result.deleted = self._delete_nodes_in(tx, doomed_nodes, log)[0]
            tx.audit.update(graph_summary(node_result, edge_result, nodes, edges, doomed_edges, doomed_nodes)
                            | log.summary())
            tx.audit["target"] = graph_target((e.id for e in edges), (n.id for n in nodes), doomed_edges,
                                              doomed_nodes)
        revision = self.revision()
        node_result.revision = edge_result.revision = revision
        return GraphWriteResult(nodes=node_result, edges=edge_result, revision=revision)

    def _deleted_records(self, tx: _Tx, table: str, ids: Sequence[str], log: ChangeLog) -> None:
        """Log the stored values of the first deleted records, as their "before"."""
        rows = self._rows(tx.conn, f"SELECT id, data FROM {table} WHERE id IN ({{}})", ids[:MAX_AUDITED_RECORDS])
        for record_id, data in sorted(rows):
            log.record(record_id, json.loads(data), None)

    def _delete_edges_in(self, tx: _Tx, edge_ids: Sequence[str], log: ChangeLog) -> int:
        """Delete edges by id (a symmetric edge by either end first) inside the open transaction; how many
        there were."""
        ids = [ref.id for ref in edge_refs(edge_ids)]
        gone = self._rows(tx.conn, "SELECT id FROM edges WHERE id IN ({})", ids)
        self._deleted_records(tx, "edges", ids, log)
        deleted = sum(
            tx.conn.execute(f"DELETE FROM edges WHERE id IN ({self._marks(chunk)})", chunk).rowcount
            for chunk in _chunks(ids)
        )
        tx.touched(edges=(row[0] for row in gone))
        return deleted

    def _delete_nodes_in(self, tx: _Tx, ids: Sequence[str], log: ChangeLog) -> tuple[int, int]:
        """Delete nodes (and, by cascade, their edges) inside the open transaction; how many nodes and
        edges went."""
        edge_ids = [
            row[0]
            for chunk in _chunks(ids, _CHUNK // 2)
            for row in tx.conn.execute(
                f"SELECT id FROM edges WHERE src IN ({self._marks(chunk)}) OR dst IN ({self._marks(chunk)})",
                [*chunk, *chunk],
            )
        ]
        gone = self._rows(tx.conn, "SELECT id FROM nodes WHERE id IN ({})", ids)
        self._deleted_records(tx, "nodes", ids, log)
        deleted = sum(
            tx.conn.execute(f"DELETE FROM nodes WHERE id IN ({self._marks(chunk)})", chunk).rowcount
            for chunk in _chunks(ids)
        )
        tx.touched(nodes=(row[0] for row in gone), edges=edge_ids)
        return deleted, len(set(edge_ids))

    def delete_nodes(self, node_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(node_ids))
        deleted = 0
        with self._write(actor, "delete_nodes", "nodes") as tx:
            log = ChangeLog()
            deleted, edges = self._delete_nodes_in(tx, ids, log)
            tx.audit.update({"deleted": deleted, "edges_deleted": edges, "ids": ids[:20]} | log.summary())
        return deleted

    def delete_edges(self, edge_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(edge_ids))
        with self._write(actor, "delete_edges", "edges") as tx:
            log = ChangeLog()
            deleted = self._delete_edges_in(tx, ids, log)
            tx.audit.update({"deleted": deleted, "ids": ids[:20]} | log.summary())
        return deleted

    def delete_all(self, *, actor: str = "local") -> int:
        """Remove every node and edge (API keys and the audit log stay)."""
        deleted = 0
        with self._write(actor, "delete_all", "graph") as tx:
            tx.conn.execute("DELETE FROM edges")
            deleted = tx.conn.execute("DELETE FROM nodes").rowcount
            tx.reset = tx.changed = deleted > 0
            tx.audit.update({"deleted": deleted})
        return deleted

    def append_audit(self, actor: str, action: str, target: str, summary: dict[str, Any]) -> AuditEntry:
        """Record a write done elsewhere; it always counts as a change (of no node or edge)."""
        with self._write_lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                revision = self._bump(conn)
                entry = self._insert_audit(conn, actor, action, target, summary, revision)
                self._record_change(conn, revision, _Tx(conn))
                conn.execute("COMMIT")
            except BaseException:
                _roll_back(conn)
                raise
        return entry

    def save_api_key(self, record: ApiKeyRecord, *, actor: str = "local") -> None:
        with self._write(actor, "save_api_key", f"key:{record.id}") as tx:
            row = (record.id, record.hash, record.role, record.created, record.label, int(record.revoked))
            stored = tx.conn.execute(
                "SELECT id, hash, role, created, label, revoked FROM api_keys WHERE id = ?", (record.id,)
            ).fetchone()
            if stored == row:
                return
            tx.conn.execute(
                "INSERT INTO api_keys (id, hash, role, created, label, revoked) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET role = excluded.role, label = excluded.label, "
                "revoked = excluded.revoked",
                row,
            )
            tx.changed = True
            tx.audit.update({"role": record.role, "revoked": record.revoked})

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

    def save_column_mapping(self, header: str, mapping: Mapping[str, str]) -> None:
        with self._plain_write() as conn:
            conn.execute(
                "INSERT INTO column_mappings (header, mapping, saved) VALUES (?, ?, ?) "
                "ON CONFLICT(header) DO UPDATE SET mapping = excluded.mapping, saved = excluded.saved",
                (header, _dumps(dict(mapping)), _now()),
            )

    def column_mapping(self, header: str) -> dict[str, str] | None:
        row = self._conn.execute("SELECT mapping FROM column_mappings WHERE header = ?", (header,)).fetchone()
        return dict(json.loads(row[0])) if row else None

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
            where.append("nodes.kind = ?")
            params.append(NodeKind(kind).value)
        if country is not None:
            where.append("nodes.country = ?")
            params.append(country)
        query = normalise(text) if text else ""
        if not query:
            sql = "SELECT data FROM nodes" + (" WHERE " + " AND ".join(where) if where else "")
            sql += " ORDER BY COALESCE(population, -1) DESC, id LIMIT ? OFFSET ?"
            rows = self._conn.execute(sql, [*params, limit, offset]).fetchall()
            return [Node.model_validate_json(row[0]) for row in rows]
        forms = list(dict.fromkeys((query, query.replace(" ", ""))))
        source, match = self._text_match(forms)
        order, order_params = _rank_sql(query, forms)
        sql = f"SELECT nodes.data FROM {source} WHERE {' AND '.join([*where, match[0]])} ORDER BY {order} "
        found = self._conn.execute(sql + "LIMIT ? OFFSET ?", [*params, *match[1], *order_params, limit, offset])
        return [Node.model_validate_json(row[0]) for row in found.fetchall()]

    @staticmethod
    def _text_match(forms: list[str]) -> tuple[str, tuple[str, list[str]]]:
        """The rows to read and the WHERE clause (with its parameters) that find nodes with a key
        containing any of ``forms``.

        Three characters or more: the trigram index. One or two CJK characters: the index of CJK
        characters, as a phrase. Anything else (one or two Latin letters): a scan with ``instr``.
        """
        if all(len(form) >= 3 for form in forms):
            match = " OR ".join(_phrase(form) for form in forms)
            return "nodes_fts JOIN nodes ON nodes.rowid = nodes_fts.rowid", ("nodes_fts MATCH ?", [match])
        if all(is_cjk(form) for form in forms):
            match = " OR ".join(_phrase(" ".join(form)) for form in forms)
            return "nodes_cjk JOIN nodes ON nodes.rowid = nodes_cjk.rowid", ("nodes_cjk MATCH ?", [match])
        return "nodes", ("(" + " OR ".join("instr(nodes.search, ?) > 0" for _ in forms) + ")", list(forms))

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
        rows = self.snapshot_rows()
        return Subgraph(nodes=[Node.model_validate_json(r[2]) for r in rows.nodes],
                        edges=[Edge.model_validate_json(r[4]) for r in rows.edges])

    def snapshot_rows(self) -> SnapshotRows:
        """Every node and edge as stored (JSON text, validated on write), and the revision, in one read."""
        conn = self._conn
        conn.execute("BEGIN")
        try:
            revision = self.revision()
            nodes = conn.execute("SELECT id, kind, data FROM nodes ORDER BY id").fetchall()
            edges = conn.execute("SELECT id, src, dst, type, data FROM edges ORDER BY id").fetchall()
        finally:
            conn.execute("COMMIT")
        return SnapshotRows(revision=revision, nodes=nodes, edges=edges)

    def changes_since(self, revision: int) -> ChangeSet | None:
        """What changed after ``revision``: the touched ids with their rows now (None where gone), in one
        read. None when the feed no longer reaches back that far."""
        conn = self._conn
        conn.execute("BEGIN")
        try:
            current = self.revision()
            rows = conn.execute("SELECT nodes, edges, reset FROM changes WHERE revision > ? ORDER BY revision",
                                (revision,)).fetchall()
            if len(rows) != current - revision:
                return None
            change = ChangeSet(revision=current)
            for nodes, edges, reset in rows:
                if reset:
                    change = ChangeSet(revision=current, reset=True)
                    continue
                change.nodes.update(dict.fromkeys(json.loads(nodes)))
                change.edges.update(dict.fromkeys(json.loads(edges)))
            node_ids, edge_ids = sorted(change.nodes), sorted(change.edges)
            change.nodes.update((r[0], r) for r in self._rows(conn, "SELECT id, kind, data FROM nodes WHERE id IN ({})",
                                                               node_ids))
            change.edges.update((r[0], r) for r in self._rows(
                conn, "SELECT id, src, dst, type, data FROM edges WHERE id IN ({})", edge_ids))
        finally:
            conn.execute("COMMIT")
        return change

    def iter_nodes(self, page: int = PAGE) -> Iterator[list[Node]]:
        after = ""
        while rows := self._conn.execute("SELECT id, data FROM nodes WHERE id > ? ORDER BY id LIMIT ?",
                                         (after, page)).fetchall():
            yield [Node.model_validate_json(row[1]) for row in rows]
            after = rows[-1][0]

    def iter_edges(self, page: int = PAGE) -> Iterator[list[Edge]]:
        after = ""
        while rows := self._conn.execute("SELECT id, data FROM edges WHERE id > ? ORDER BY id LIMIT ?",
                                         (after, page)).fetchall():
            yield [Edge.model_validate_json(row[1]) for row in rows]
            after = rows[-1][0]

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
