"""The production store: Neo4j through the official ``neo4j`` driver, one driver per process.

Every statement comes from ``cypher/*.cypher`` (see ``graph_service.store.cypher``); labels and
relationship types are filled in only from ``NodeKind`` / ``EdgeType``, and every value travels as a
parameter. Reads go through ``driver.execute_query(..., database_=..., routing_=READ)``. Each write
is one managed write transaction (``session.execute_write``) that bumps the revision first, checks
the input against the stored graph, writes in UNWIND batches of ``batch_size`` rows and appends the
audit entry and the change feed's record (a ``:Change`` node naming the ids it touched), so the data,
the revision, the audit entry and the change record commit together or not at all. The analysis
projection reads that feed (``changes_since``) to apply each write instead of rebuilding, as on SQLite.

Nodes carry ``:Node`` plus their kind's label; their properties are ``Node.props()`` with ``attrs``
as a JSON string, plus ``search_keys`` and ``search_alt_keys`` (see ``SEARCH_PROPERTIES``). Relationships carry
``Edge.props()`` plus ``id``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from neo4j import READ_ACCESS, GraphDatabase, RoutingControl
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph_service.errors import KindConflict, StoreError, StoreUnavailable
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
    EdgeRow,
    NodeRow,
    SessionRecord,
    SnapshotRows,
    check_endpoints,
    edge_refs,
    graph_summary,
    graph_target,
    require_closed_sets,
    write_summary,
)
from graph_service.store.cypher import STATEMENTS
from graph_service.text import CHINESE_FIRST, has_han, normalise, search_key_parts

T = TypeVar("T")

BATCH_SIZE = 1000
"""Rows per UNWIND statement in bulk writes and bulk lookups."""

SCHEMA_STEPS: list[list[str]] = [
    [  # version 1
        "node_id_unique", "kind_id_unique", "edge_id_unique", "node_kind_index", "node_country_index",
        "meta_key_unique", "audit_seq_unique", "api_key_id_unique", "api_key_hash_unique",
    ],
    ["session_id_unique"],  # version 2: web UI sessions
    [],  # version 3: own and alternate names' search keys apart (``_split_search_keys``)
    ["change_revision_unique"],  # version 4: the change feed (older revisions have no record: a rebuild)
    ["column_mapping_header_unique"],  # version 5: the spreadsheet import's remembered mappings
]
SCHEMA_VERSION = len(SCHEMA_STEPS)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _to_neo4j(props: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Neo4j properties cannot hold maps, so ``attrs`` is stored as a JSON string."""
    stored = props | extra
    if "attrs" in stored:
        stored["attrs"] = _json(stored["attrs"])
    return stored


def _from_neo4j(props: dict[str, Any], *internal: str) -> dict[str, Any]:
    data = {key: value for key, value in props.items() if key not in internal}
    if "attrs" in data:
        data["attrs"] = json.loads(data["attrs"])
    return data


@dataclass
class _Touched:
    """The ids one write transaction changed, for its change-feed record; ``reset``: it emptied the graph."""

    nodes: set[str] = field(default_factory=set)
    edges: set[str] = field(default_factory=set)
    reset: bool = False


SEARCH_PROPERTIES = ("search_keys", "search_alt_keys")
"""The stored keys ``find_nodes`` matches: of a node's own names, and of its alternate names apart."""


def search_properties(node: Node) -> dict[str, list[str]]:
    own, alternates = search_key_parts(node.name, node.name_zh, node.alt_names)
    return dict(zip(SEARCH_PROPERTIES, (own, alternates), strict=True))


def node_properties(node: Node) -> dict[str, Any]:
    """The property map a node is stored with: its props plus the search keys ``find_nodes`` matches."""
    return _to_neo4j(node.props(), search_properties(node))


def node_from_properties(props: dict[str, Any]) -> Node:
    return Node.model_validate(_from_neo4j(props, *SEARCH_PROPERTIES))


def edge_properties(edge: Edge) -> dict[str, Any]:
    """The property map an edge's relationship is stored with: its props plus its ``id``."""
    return _to_neo4j(edge.props(), {"id": edge.id})


def edge_from_properties(props: dict[str, Any]) -> Edge:
    return Edge.model_validate(_from_neo4j(props, "id"))


def node_row(props: dict[str, Any]) -> NodeRow:
    """A stored node as the projection reads it: ``(id, kind, JSON of Node.props())``, as SQLite stores it."""
    return props["id"], props["kind"], _json(_from_neo4j(props, *SEARCH_PROPERTIES))


def edge_row(props: dict[str, Any]) -> EdgeRow:
    """A stored relationship as the projection reads it: ``(id, src, dst, type, JSON of Edge.props())``."""
    return props["id"], props["src"], props["dst"], props["type"], _json(_from_neo4j(props, "id"))


@contextmanager
def driver_errors(where: str = "") -> Iterator[None]:
    """Turn driver and server failures into ``StoreError`` messages a user can act on."""
    try:
        yield
    except DriverError as exc:
        raise StoreUnavailable(f"Neo4j{' ' + where if where else ''} is unavailable: {exc}") from exc
    except ClientError as exc:
        raise StoreError(f"Neo4j refused the request: {exc}") from exc
    except Neo4jError as exc:
        raise StoreUnavailable(f"Neo4j failed: {exc}") from exc


def _wrote(result: WriteResult) -> bool:
    return bool(result.created or result.updated)


def _batches(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


class _NothingChanged(Exception):
    """Raised inside a write transaction that changed nothing, so the driver rolls it back."""

    def __init__(self, result: Any):
        super().__init__("nothing changed")
        self.result = result


class Neo4jStore:
    """``GraphStore`` over a Neo4j database. Build it with ``connect``; tests pass a recording driver."""

    def __init__(self, driver: Any, database: str = "neo4j", *, batch_size: int = BATCH_SIZE):
        self._driver = driver
        self.database = database
        self.batch_size = batch_size

    @classmethod
    def connect(cls, uri: str, user: str, password: str, *, database: str = "neo4j") -> Neo4jStore:
        """Open the process's one driver, check it reaches the server, and bring the schema up to date."""
        # The server's notifications (e.g. "label Meta does not exist" on an empty database) are
        # hints for people writing Cypher by hand; left on, the driver logs each as a warning.
        driver = GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")
        try:
            with driver_errors(f"at {uri} (database {database!r})"):
                driver.verify_connectivity()
            store = cls(driver, database)
            store.migrate()
        except StoreError:
            driver.close()
            raise
        return store

    # -- running statements ------------------------------------------------------------------
    @staticmethod
    def _statement(name: str, member: NodeKind | EdgeType | None, params: dict[str, Any]) -> str:
        statement = STATEMENTS[name]
        if set(params) != set(statement.params):
            raise TypeError(f"statement {name} takes {statement.params}, got {sorted(params)}")
        return statement.render(member)

    def _read(self, name: str, member: NodeKind | EdgeType | None = None, /, **params: Any) -> list[Any]:
        query = self._statement(name, member, params)
        with driver_errors():
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database, routing_=RoutingControl.READ
            )
        return records

    def _write_plain(self, name: str, /, **params: Any) -> list[Any]:
        """One auto-committed write outside the graph (sessions, column mappings): no revision bump, no audit
        entry."""
        query = self._statement(name, None, params)
        with driver_errors():
            records, _, _ = self._driver.execute_query(
                query, params, database_=self.database, routing_=RoutingControl.WRITE
            )
        return records

    def _run(self, tx: Any, name: str, member: NodeKind | EdgeType | None = None, /, **params: Any) -> list[Any]:
        return list(tx.run(self._statement(name, member, params), params))

    def _run_batched(self, tx: Any, name: str, key: str, items: Sequence[Any], member=None, **params) -> list[Any]:
        """Run ``name`` once per batch of ``items``, passed as the parameter ``key``."""
        records: list[Any] = []
        for batch in _batches(items, self.batch_size):
            records.extend(self._run(tx, name, member, **{key: batch}, **params))
        return records

    def _write(
        self, actor: str, action: str, target: str,
        work: Callable[[Any, _Touched], tuple[Any, dict[str, Any] | None]],
    ) -> tuple[Any, AuditEntry | None]:
        """Run ``work(tx, touched)`` in one write transaction with the revision bump, the audit entry and
        the change-feed record of the ids ``work`` adds to ``touched``.

        ``work`` returns what the caller gets back and the audit summary, or None for the summary when
        it changed nothing: the transaction then rolls back, revision bump included, and no entry is
        written (the entry returned is None).
        """

        def unit(tx: Any) -> tuple[Any, AuditEntry]:
            revision = self._run(tx, "bump_revision")[0]["revision"]
            touched = _Touched()
            result, summary = work(tx, touched)
            if summary is None:
                raise _NothingChanged(result)
            entry = AuditEntry(
                seq=revision, revision=revision, at=datetime.now(UTC).isoformat(timespec="seconds"),
                actor=actor, action=action, target=target, summary=summary,
            )
            fields = entry.model_dump(exclude={"seq"}) | {"summary": _json(summary)}
            self._run(tx, "append_audit", **fields, nodes=sorted(touched.nodes), edges=sorted(touched.edges),
                      reset=touched.reset, kept=CHANGES_KEPT)
            return result, entry

        try:
            with driver_errors(), self._driver.session(database=self.database) as session:
                return session.execute_write(unit)
        except _NothingChanged as unchanged:
            return unchanged.result, None

    def migrate(self) -> None:
        """Apply the constraints and indexes of ``cypher/schema.cypher`` the database lacks."""
        version = self._read("schema_version")[0]["version"]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the Neo4j database has partner-graph schema version {version}; this partner-graph knows up "
                f"to {SCHEMA_VERSION}. Upgrade partner-graph."
            )
        with driver_errors():
            for step in range(version, SCHEMA_VERSION):
                for name in SCHEMA_STEPS[step]:
                    for query in STATEMENTS[name].variants().values():
                        self._driver.execute_query(query, database_=self.database)
                if step + 1 == 3:
                    self._split_search_keys()
                self._driver.execute_query(
                    STATEMENTS["set_schema_version"].render(), {"version": step + 1}, database_=self.database
                )

    def _split_search_keys(self) -> None:
        """Schema version 3: every node's search keys rewritten as ``search_properties`` gives them (before
        it, own and alternate names' keys were one list). A graph revision is not a schema change: the
        nodes themselves stay as they are, so no revision bump and no audit entry."""
        for batch in _batches([r["props"] for r in self._read("all_nodes")], self.batch_size):
            rows = [{"id": props["id"], **search_properties(node_from_properties(props))} for props in batch]
            self._driver.execute_query(STATEMENTS["set_search_keys"].render(), {"rows": rows},
                                       database_=self.database)

    # -- writes ------------------------------------------------------------------------------
    def _put(
        self, tx: Any, prepared: tuple[str, dict, list], log: ChangeLog, internal: tuple[str, ...], touched: set[str]
    ) -> WriteResult:
        """Write the rows ``prepare`` gave, skipping those stored unchanged; log what changed and add
        its ids to ``touched``.

        ``prepared`` is the statement name, the stored property maps by id and ``(id, label or type,
        props)`` rows; ``internal`` are the stored-only properties left out of the audit's values.
        """
        statement, stored, items = prepared
        result, rows = WriteResult(), defaultdict(list)
        for key, member, props in items:
            old = stored.get(key)
            if old == props:
                result.unchanged += 1
                continue
            result.updated += old is not None
            result.created += old is None
            log.record(key, None if old is None else partial(_from_neo4j, old, *internal),
                       _from_neo4j(props, *internal))
            touched.add(key)
            rows[member].append(props)
        for member, member_rows in rows.items():
            self._run_batched(tx, statement, "rows", member_rows, member)
        return result

    def _prepare_nodes(self, tx: Any, nodes: Sequence[Node]) -> tuple[str, dict, list]:
        """Check ``nodes`` against the stored kinds; give the upsert's statement, stored maps and rows."""
        records = self._run_batched(tx, "stored_nodes", "ids", [n.id for n in nodes])
        stored = {record["props"]["id"]: record["props"] for record in records}
        for node in nodes:
            kind = stored.get(node.id, {}).get("kind", node.kind.value)
            if kind != node.kind.value:
                raise KindConflict(f"node {node.id!r} is a {kind}; it cannot become a {node.kind.value}")
        return "upsert_nodes", stored, [(node.id, node.kind, node_properties(node)) for node in nodes]

    def _prepare_edges(self, tx: Any, edges: Sequence[Edge]) -> tuple[str, dict, list]:
        """Check the endpoints of ``edges`` in the transaction; give the statement, stored maps and rows."""
        ends = sorted({end for edge in edges for end in (edge.src, edge.dst)})
        kinds = {r["id"]: NodeKind(r["kind"]) for r in self._run_batched(tx, "node_kinds", "ids", ends)}
        check_endpoints(edges, kinds)
        keys = [{"src": edge.src, "id": edge.id} for edge in edges]
        stored = {r["props"]["id"]: r["props"] for r in self._run_batched(tx, "stored_edges", "rows", keys)}
        return "upsert_edges", stored, [(edge.id, edge.type, edge_properties(edge)) for edge in edges]

    def upsert_nodes(self, nodes: Sequence[Node], *, actor: str = "local", action: str = "upsert_nodes") -> WriteResult:
        require_closed_sets(nodes=nodes)
        nodes = list({node.id: node for node in nodes}.values())

        def work(tx: Any, touched: _Touched) -> tuple[WriteResult, dict[str, Any] | None]:
            log = ChangeLog()
            result = self._put(tx, self._prepare_nodes(tx, nodes), log, SEARCH_PROPERTIES, touched.nodes)
            return result, write_summary(result, [n.id for n in nodes]) | log.summary() if _wrote(result) else None

        result, entry = self._write(actor, action, "nodes", work)
        result.revision = entry.revision if entry is not None else self.revision()
        return result

    def upsert_edges(self, edges: Sequence[Edge], *, actor: str = "local", action: str = "upsert_edges") -> WriteResult:
        require_closed_sets(edges=edges)
        edges = list({edge.id: edge for edge in edges}.values())

        def work(tx: Any, touched: _Touched) -> tuple[WriteResult, dict[str, Any] | None]:
            log = ChangeLog()
            result = self._put(tx, self._prepare_edges(tx, edges), log, ("id",), touched.edges)
            return result, write_summary(result, [e.id for e in edges]) | log.summary() if _wrote(result) else None

        result, entry = self._write(actor, action, "edges", work)
        result.revision = entry.revision if entry is not None else self.revision()
        return result

    def upsert_graph(
        self, nodes: Sequence[Node], edges: Sequence[Edge], *, delete_edges: Sequence[str] = (),
        delete_nodes: Sequence[str] = (), actor: str = "local", action: str = "upsert_graph",
    ) -> GraphWriteResult:
        require_closed_sets(nodes=nodes, edges=edges)
        nodes = list({node.id: node for node in nodes}.values())
        edges = list({edge.id: edge for edge in edges}.values())
        doomed_edges = sorted({parse_edge_id(edge_id).id for edge_id in delete_edges})
        doomed_nodes = sorted(set(delete_nodes))
        target = graph_target((e.id for e in edges), (n.id for n in nodes), doomed_edges, doomed_nodes)

        def work(tx: Any, touched: _Touched) -> tuple[tuple[WriteResult, WriteResult], dict[str, Any] | None]:
            log = ChangeLog()
            node_result = self._put(tx, self._prepare_nodes(tx, nodes), log, SEARCH_PROPERTIES, touched.nodes)
            edge_result = self._put(tx, self._prepare_edges(tx, edges), log, ("id",), touched.edges)
            edge_result.deleted = self._delete_edges_in(tx, doomed_edges, log, touched)
            node_result.deleted = self._delete_nodes_in(tx, doomed_nodes, log, touched)[0]
            results = (node_result, edge_result)
            if not any(_wrote(result) or result.deleted for result in results):
                return results, None
            summary = graph_summary(node_result, edge_result, nodes, edges, doomed_edges, doomed_nodes)
            return results, summary | log.summary()

        (node_result, edge_result), entry = self._write(actor, action, target, work)
        revision = entry.revision if entry is not None else self.revision()
        node_result.revision = edge_result.revision = revision
        return GraphWriteResult(nodes=node_result, edges=edge_result, revision=revision)

    def _delete_edges_in(self, tx: Any, ids: Sequence[str], log: ChangeLog, touched: _Touched) -> int:
        """Delete edges by id (a symmetric edge by either end first) inside the open transaction, logging
        the first ones' values and noting every deleted id for the change feed; how many went."""
        keys = [{"src": ref.src, "id": ref.id} for ref in edge_refs(ids)]
        if not keys:
            return 0
        for record in self._run(tx, "stored_edges", rows=keys[:MAX_AUDITED_RECORDS]):
            log.record(record["props"]["id"], _from_neo4j(record["props"], "id"), None)
        gone = {i for r in self._run_batched(tx, "delete_edges", "rows", keys) for i in r["ids"]}
        touched.edges.update(gone)
        return len(gone)

    def _delete_nodes_in(self, tx: Any, ids: Sequence[str], log: ChangeLog, touched: _Touched) -> tuple[int, int]:
        """Delete nodes and their edges inside the open transaction, noting every deleted id for the change
        feed; how many nodes and edges went."""
        if not ids:
            return 0, 0
        for record in self._run(tx, "stored_nodes", ids=list(ids[:MAX_AUDITED_RECORDS])):
            log.record(record["props"]["id"], _from_neo4j(record["props"], *SEARCH_PROPERTIES), None)
        edges = {i for r in self._run_batched(tx, "node_edge_ids", "ids", ids) for i in r["ids"]}
        nodes = {i for r in self._run_batched(tx, "delete_nodes", "ids", ids) for i in r["ids"]}
        touched.edges.update(edges)
        touched.nodes.update(nodes)
        return len(nodes), len(edges)

    def delete_nodes(self, node_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(node_ids))

        def work(tx: Any, touched: _Touched) -> tuple[Any, dict[str, Any] | None]:
            log = ChangeLog()
            deleted, edges = self._delete_nodes_in(tx, ids, log, touched)
            summary = {"deleted": deleted, "edges_deleted": edges, "ids": ids[:20]} | log.summary()
            return deleted, summary if deleted else None

        return self._write(actor, "delete_nodes", "nodes", work)[0]

    def delete_edges(self, edge_ids: Sequence[str], *, actor: str = "local") -> int:
        ids = sorted(set(edge_ids))

        def work(tx: Any, touched: _Touched) -> tuple[Any, dict[str, Any] | None]:
            log = ChangeLog()
            deleted = self._delete_edges_in(tx, ids, log, touched)
            return deleted, {"deleted": deleted, "ids": ids[:20]} | log.summary() if deleted else None

        return self._write(actor, "delete_edges", "edges", work)[0]

    def delete_all(self, *, actor: str = "local") -> int:
        """Remove every node and edge (API keys and the audit log stay)."""

        def work(tx: Any, touched: _Touched) -> tuple[Any, dict[str, Any] | None]:
            deleted = self._run(tx, "delete_all_nodes")[0]["deleted"]
            touched.reset = True
            return deleted, {"deleted": deleted} if deleted else None

        return self._write(actor, "delete_all", "graph", work)[0]

    def append_audit(self, actor: str, action: str, target: str, summary: dict[str, Any]) -> AuditEntry:
        entry = self._write(actor, action, target, lambda tx, touched: (None, dict(summary)))[1]
        assert entry is not None  # an explicit audit entry always counts as a change
        return entry

    def save_api_key(self, record: ApiKeyRecord, *, actor: str = "local") -> None:
        def work(tx: Any, touched: _Touched) -> tuple[None, dict[str, Any] | None]:
            fields = record.model_dump()
            stored = [r for r in self._run(tx, "api_keys") if r["id"] == record.id]
            if stored and all(stored[0][name] == value for name, value in fields.items()):
                return None, None
            self._run(tx, "save_api_key", **fields)
            return None, {"role": record.role, "revoked": record.revoked}

        self._write(actor, "save_api_key", f"key:{record.id}", work)

    def save_session(self, record: SessionRecord) -> None:
        self._write_plain("save_session", **record.model_dump())

    def delete_session(self, id_hash: str) -> int:
        return int(self._write_plain("delete_session", id_hash=id_hash)[0]["deleted"])

    def purge_sessions(self, now: str) -> int:
        return int(self._write_plain("purge_sessions", now=now)[0]["deleted"])

    def save_column_mapping(self, header: str, mapping: Mapping[str, str]) -> None:
        saved = datetime.now(UTC).isoformat(timespec="seconds")
        self._write_plain("save_column_mapping", header=header, mapping=_json(dict(mapping)), saved=saved)

    def column_mapping(self, header: str) -> dict[str, str] | None:
        records = self._read("column_mapping", header=header)
        return dict(json.loads(records[0]["mapping"])) if records else None

    def wipe_for_tests(self) -> None:
        """Empty the whole database, revision, audit log and change feed included, but not its schema.
        Scratch databases only."""
        with driver_errors():
            self._driver.execute_query(STATEMENTS["wipe_for_tests"].render(), database_=self.database)

    # -- reads -------------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        nodes: dict[str, Node] = {}
        for batch in _batches(sorted(set(node_ids)), self.batch_size):
            for record in self._read("stored_nodes", ids=batch):
                node = node_from_properties(record["props"])
                nodes[node.id] = node
        return nodes

    def get_edge(self, edge_id: str) -> Edge | None:
        ref = parse_edge_id(edge_id)
        records = self._read("stored_edges", rows=[{"src": ref.src, "id": ref.id}])
        return edge_from_properties(records[0]["props"]) if records else None

    def list_edges(
        self, *, node: str | None = None, type: EdgeType | None = None, limit: int = 50, offset: int = 0
    ) -> list[Edge]:
        page = {"type": EdgeType(type).value if type is not None else None, "limit": limit, "offset": offset}
        records = self._read("list_edges", **page) if node is None else self._read("list_node_edges", node=node, **page)
        return [edge_from_properties(record["props"]) for record in records]

    def find_nodes(
        self,
        text: str | None = None,
        *,
        kind: NodeKind | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Node]:
        filters = {
            "kind": NodeKind(kind).value if kind is not None else None,
            "country": country,
            "limit": limit,
            "offset": offset,
        }
        query = normalise(text) if text else ""
        if query:
            han = sorted(CHINESE_FIRST) if has_han(query) else None
            records = self._read("search_nodes", text=query, compact=query.replace(" ", ""), han_first=han, **filters)
        else:
            records = self._read("list_nodes", **filters)
        return [node_from_properties(record["props"]) for record in records]

    def neighbourhood(self, node_id: str, depth: int = 1, types: Iterable[EdgeType] | None = None) -> Subgraph:
        type_values = sorted(EdgeType(t).value for t in types) if types is not None else None
        if not self._read("node_kinds", ids=[node_id]):
            return Subgraph()
        seen, frontier = {node_id}, [node_id]
        for _ in range(max(depth, 0)):
            found = {
                record["id"]
                for batch in _batches(frontier, self.batch_size)
                for record in self._read("neighbour_ids", ids=batch, types=type_values)
            }
            frontier = sorted(found - seen)
            seen |= found
            if not frontier:
                break
        ids = sorted(seen)
        nodes = list(self.get_nodes(ids).values())
        edges = [edge_from_properties(r["props"]) for r in self._read("edges_among", ids=ids, types=type_values)]
        return Subgraph(nodes=nodes, edges=edges)

    def snapshot(self) -> Subgraph:
        """Every node and edge, read in one read transaction so both come from the same state."""

        def read(tx: Any) -> Subgraph:
            nodes = [node_from_properties(r["props"]) for r in self._run(tx, "all_nodes")]
            edges = [edge_from_properties(r["props"]) for r in self._run(tx, "all_edges")]
            return Subgraph(nodes=nodes, edges=edges)

        return self._read_at_one_revision(read)[1]

    def snapshot_rows(self) -> SnapshotRows:
        """Every node and edge as the projection reads them (``node_row``, ``edge_row``), ordered by id,
        and the revision they belong to."""

        def read(tx: Any) -> tuple[list[NodeRow], list[EdgeRow]]:
            return ([node_row(r["props"]) for r in self._run(tx, "all_nodes")],
                    [edge_row(r["props"]) for r in self._run(tx, "all_edges")])

        revision, (nodes, edges) = self._read_at_one_revision(read)
        return SnapshotRows(revision=revision, nodes=nodes, edges=edges)

    def changes_since(self, revision: int) -> ChangeSet | None:
        """What changed after ``revision`` (the ``:Change`` records of each later write): the touched ids
        with their rows now (None where gone). None when the feed no longer reaches back that far (more
        than ``CHANGES_KEPT`` writes, or writes made before schema version 4)."""

        def read(tx: Any) -> ChangeSet | None:
            records = self._run(tx, "changes_after", revision=revision)
            current = records[-1]["revision"] if records else revision
            if [r["revision"] for r in records] != list(range(revision + 1, current + 1)):
                return None
            change = ChangeSet(revision=current)
            for record in records:
                if record["reset"]:
                    change = ChangeSet(revision=current, reset=True)
                    continue
                change.nodes.update(dict.fromkeys(record["nodes"]))
                change.edges.update(dict.fromkeys(record["edges"]))
            nodes = self._run_batched(tx, "stored_nodes", "ids", sorted(change.nodes))
            change.nodes.update((row[0], row) for row in (node_row(r["props"]) for r in nodes))
            keys = [{"src": ref.src, "id": ref.id} for ref in edge_refs(change.edges)]
            edges = self._run_batched(tx, "stored_edges", "rows", keys)
            change.edges.update((row[0], row) for row in (edge_row(r["props"]) for r in edges))
            return change

        current, change = self._read_at_one_revision(read)
        if change is not None and change.revision != current:
            return None  # a revision without its record: written before the feed existed
        return change

    def _read_at_one_revision(self, read: Callable[[Any], T]) -> tuple[int, T]:
        """``read(tx)`` in a read transaction, with the revision it saw. Neo4j reads at read-committed
        isolation, so a write may commit between two statements of one transaction: the revision is
        read before and after, and the read repeated until no write came between."""

        def unit(tx: Any) -> tuple[int, int, T]:
            before = self._run(tx, "revision")[0]["revision"]
            value = read(tx)
            return before, self._run(tx, "revision")[0]["revision"], value

        with driver_errors(), self._driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            while True:
                before, after, value = session.execute_read(unit)
                if before == after:
                    return after, value

    def iter_nodes(self, page: int = PAGE) -> Iterator[list[Node]]:
        after = ""
        while records := self._read("node_page", after=after, limit=page):
            nodes = [node_from_properties(record["props"]) for record in records]
            yield nodes
            after = nodes[-1].id

    def iter_edges(self, page: int = PAGE) -> Iterator[list[Edge]]:
        after = ""
        while records := self._read("edge_page", after=after, limit=page):
            yield [edge_from_properties(record["props"]) for record in records]
            after = records[-1]["props"]["id"]

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            "nodes": {r["kind"]: r["count"] for r in self._read("count_nodes")},
            "edges": {r["type"]: r["count"] for r in self._read("count_edges")},
        }

    def revision(self) -> int:
        return self._read("revision")[0]["revision"]

    def read_audit(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        return [
            AuditEntry(
                seq=r["seq"], at=r["at"], actor=r["actor"], action=r["action"], target=r["target"],
                summary=json.loads(r["summary"]), revision=r["revision"],
            )
            for r in self._read("read_audit", limit=limit, offset=offset)
        ]

    def api_keys(self) -> list[ApiKeyRecord]:
        fields = ("id", "hash", "role", "created", "label", "revoked")
        return [ApiKeyRecord(**{name: r[name] for name in fields}) for r in self._read("api_keys")]

    def get_session(self, id_hash: str) -> SessionRecord | None:
        records = self._read("get_session", id_hash=id_hash)
        fields = ("id_hash", "key_id", "csrf", "created", "expires")
        return SessionRecord(**{name: records[0][name] for name in fields}) if records else None

    def server_agent(self) -> str:
        """The server's name and version, as it announces itself (``Neo4j/5.26.30``)."""
        with driver_errors():
            return self._driver.get_server_info().agent

    def close(self) -> None:
        self._driver.close()
