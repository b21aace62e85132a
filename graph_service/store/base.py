"""The storage ports: what the rest of partner-graph may ask of a store.

Five small protocols, each typed where it is needed:

- ``GraphStore``: nodes and edges (writes, lookups, search, neighbourhoods, snapshots);
- ``AuditLog``: the record of every write;
- ``KeyStore``: API key records (hashes only);
- ``SessionStore``: the web UI's sign-in sessions (hashed ids), shared by every server worker;
- ``MappingStore``: the spreadsheet import's remembered column mappings.

Two adapters implement all five: ``SQLiteStore`` (embedded default) and ``Neo4jStore``
(production). Both pass the same contract tests in ``tests/store_contract``. Callers validate
records with the pydantic models in ``graph_service.model`` before they reach a store; stores
re-check the rules that need the stored graph (edge endpoints exist and have the right kinds).

Every write is atomic, bumps ``revision()`` and appends one audit entry in the same transaction;
the entry lists the before and after values of the fields it changed (``ChangeLog``, for the
first ``MAX_AUDITED_RECORDS`` records). ``upsert_graph`` writes nodes and edges (and deletes the edges
and nodes it is told to) in one transaction, so a multi-part write (an import, an upgrade of a tie)
that fails anywhere writes nothing. A write that changes nothing (the same node posted twice, a delete
of ids that do not exist) bumps no revision and writes no audit entry. Session records and column
mappings are the exception: they are not part of the graph, so saving or ending one bumps no revision
and writes no audit entry.

A fifth, optional port, ``ChangeFeed``, tells what changed after a revision, so the analysis
projection of any process (another API worker, the CLI) can apply a write instead of rebuilding.
``SQLiteStore`` has it; a store without it gets its projection rebuilt in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from graph_service.errors import InvalidInput, MissingNodes, OutsideClosedSet, WrongEndpointKind
from graph_service.model import (
    AuditEntry,
    Edge,
    EdgeRef,
    EdgeType,
    GraphWriteResult,
    Node,
    NodeKind,
    Subgraph,
    WriteResult,
    parse_edge_id,
)


class ApiKeyRecord(BaseModel):
    """A stored API key: only its SHA-256 hash, never the key itself."""

    id: str
    hash: str
    role: str
    created: str
    label: str = ""
    revoked: bool = False


class SessionRecord(BaseModel):
    """A web UI sign-in: which key it speaks for and its form token, stored under the hash of the
    session id (the id itself lives only in the visitor's cookie)."""

    id_hash: str
    key_id: str
    csrf: str
    created: str
    expires: str


NodeRow = tuple[str, str, str]
"""``(id, kind, data)``: a node as stored, ``data`` the JSON of ``Node.props()``."""
EdgeRow = tuple[str, str, str, str, str]
"""``(id, src, dst, type, data)``: an edge as stored, ``data`` the JSON of ``Edge.props()``."""


@dataclass
class SnapshotRows:
    """Every node and edge as stored (ordered by id), read together with the revision they belong to."""

    revision: int
    nodes: list[NodeRow]
    edges: list[EdgeRow]


@dataclass
class ChangeSet:
    """What changed after a revision, up to ``revision``: each touched id with its row now, None when it
    is gone. ``reset`` means the graph was emptied first (``delete_all``) and only these rows remain."""

    revision: int
    reset: bool = False
    nodes: dict[str, NodeRow | None] = field(default_factory=dict)
    edges: dict[str, EdgeRow | None] = field(default_factory=dict)


ANY = frozenset(NodeKind)
PLACE = frozenset({NodeKind.CITY, NodeKind.COUNTRY})
ENDPOINT_KINDS: Mapping[EdgeType, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    EdgeType.SISTER_CITY: (frozenset({NodeKind.CITY}), frozenset({NodeKind.CITY})),
    EdgeType.FRIENDLY_EXCHANGE: (frozenset({NodeKind.CITY}), frozenset({NodeKind.CITY})),
    EdgeType.EXCHANGE: (ANY, ANY),
    EdgeType.LOCATED_IN: (ANY - {NodeKind.REGION, NodeKind.COUNTRY}, PLACE),
    EdgeType.IN_REGION: (frozenset({NodeKind.COUNTRY}), frozenset({NodeKind.REGION})),
    EdgeType.PARTNER_SCHOOL: (frozenset({NodeKind.SCHOOL}), frozenset({NodeKind.SCHOOL})),
    EdgeType.INVESTS_IN: (frozenset({NodeKind.ENTERPRISE}), PLACE),
    EdgeType.OPERATES_IN: (frozenset({NodeKind.ENTERPRISE}), PLACE),
    EdgeType.HONORARY_CITIZEN_OF: (frozenset({NodeKind.HONORARY_CITIZEN}), frozenset({NodeKind.CITY})),
    EdgeType.REPRESENTS: (frozenset({NodeKind.CONSULATE}), frozenset({NodeKind.COUNTRY})),
    EdgeType.JURISDICTION_OVER: (frozenset({NodeKind.CONSULATE}), PLACE),
}
"""Which node kinds each edge type may join (source kinds, target kinds)."""


def require_closed_sets(nodes: Sequence[Node] = (), edges: Sequence[Edge] = ()) -> None:
    """Refuse records whose kind or type is not a member of ``NodeKind`` / ``EdgeType``.

    Models validated normally always pass; this guards stores against records built with
    ``model_construct`` or mutated after validation, since kinds become Neo4j labels.
    """
    for node in nodes:
        if not isinstance(node.kind, NodeKind):
            raise OutsideClosedSet(f"unknown node kind {str(node.kind)[:40]!r}; allowed: {', '.join(NodeKind)}")
    for edge in edges:
        if not isinstance(edge.type, EdgeType):
            raise OutsideClosedSet(f"unknown edge type {str(edge.type)[:40]!r}; allowed: {', '.join(EdgeType)}")


def check_endpoints(edges: Sequence[Edge], kinds: Mapping[str, NodeKind]) -> None:
    """Raise if an edge's endpoint is missing from ``kinds`` or has a kind its type forbids.

    ``kinds`` maps every existing endpoint id to its node kind.
    """
    missing = [end for edge in edges for end in (edge.src, edge.dst) if end not in kinds]
    if missing:
        raise MissingNodes(missing)
    for edge in edges:
        allowed_src, allowed_dst = ENDPOINT_KINDS[edge.type]
        src_kind, dst_kind = kinds[edge.src], kinds[edge.dst]
        if src_kind not in allowed_src or dst_kind not in allowed_dst:
            raise WrongEndpointKind(
                f"{edge.type.value} cannot join {src_kind.value} {edge.src!r} to {dst_kind.value} {edge.dst!r}"
            )


def write_summary(result: WriteResult, ids: Sequence[str], limit: int = 20) -> dict[str, Any]:
    """The audit summary of a bulk write: counts and the first ``limit`` ids touched."""
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "count": len(ids),
        "ids": list(ids[:limit]),
    }


PAGE = 2_000
"""Records per page of ``iter_nodes`` and ``iter_edges``."""

MAX_AUDITED_RECORDS = 20
"""Records per write whose changed fields the audit entry lists, before and after."""
CHANGES_KEPT = 1_000
"""How many revisions each adapter's change feed keeps; a reader further behind rebuilds its projection."""


def edge_refs(edge_ids: Iterable[str]) -> list[EdgeRef]:
    """The parts of each well-formed edge id, its ends in canonical order, without repeats; a malformed
    id names no edge that can exist and is left out.

    >>> [ref.id for ref in edge_refs(["b|SISTER_CITY|a", "a|SISTER_CITY|b", "nonsense"])]
    ['a|SISTER_CITY|b']
    """
    refs: dict[str, EdgeRef] = {}
    for edge_id in edge_ids:
        try:
            ref = parse_edge_id(edge_id)
        except InvalidInput:
            continue
        refs.setdefault(ref.id, ref)
    return sorted(refs.values(), key=lambda ref: ref.id)


def unique_ids(ids: Iterable[str]) -> list[str]:
    """Ids in first-seen order without repeats (a batch naming one id twice writes it once)."""
    return list(dict.fromkeys(ids))


def field_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The fields whose value differs, each as ``{"before": ..., "after": ...}`` (None when absent).

    >>> field_changes({"name": "A", "status": "active"}, {"name": "A", "status": "ended"})
    {'status': {'before': 'active', 'after': 'ended'}}
    """
    before, after = before or {}, after or {}
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


class ChangeLog:
    """The before and after values of the fields a write changes, for its audit entry.

    Only the first ``limit`` records are kept, so an import of 30,000 rows writes a bounded entry; its
    counts and ids say the rest. ``before`` may be a callable, evaluated only for a kept record.
    """

    def __init__(self, limit: int = MAX_AUDITED_RECORDS):
        self.limit = limit
        self.changes: dict[str, dict[str, dict[str, Any]]] = {}

    def record(self, record_id: str, before: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None,
               after: Mapping[str, Any] | None) -> None:
        if len(self.changes) >= self.limit:
            return
        changed = field_changes(before() if callable(before) else before, after)
        if changed:
            self.changes[record_id] = changed

    def summary(self) -> dict[str, Any]:
        """``{"changes": {id: {field: {"before", "after"}}}}``, or nothing when no field changed."""
        return {"changes": self.changes} if self.changes else {}


def graph_target(edge_ids: Iterable[str], node_ids: Iterable[str], delete_edges: Iterable[str] = (),
                 delete_nodes: Iterable[str] = ()) -> str:
    """The audit target of a write of nodes and edges: the one edge it writes (an upgrade: the new
    sister-city tie), else the one edge it deletes, else the one node it writes or deletes, else ``graph``.

    >>> graph_target(["a|SISTER_CITY|b", "a|SISTER_CITY|b"], ["b"], delete_edges=["a|FRIENDLY_EXCHANGE|b"])
    'a|SISTER_CITY|b'
    """
    for candidates in (unique_ids(edge_ids), unique_ids(delete_edges)):
        if candidates:
            return candidates[0] if len(candidates) == 1 else "graph"
    nodes = unique_ids([*node_ids, *delete_nodes])
    return nodes[0] if len(nodes) == 1 else "graph"


def graph_summary(node_result: WriteResult, edge_result: WriteResult, nodes: Sequence[Node],
                  edges: Sequence[Edge], delete_edges: Sequence[str] = (),
                  delete_nodes: Sequence[str] = ()) -> dict[str, Any]:
    """The audit summary of a write of nodes and edges together, and of the deletes made with it."""
    summary = {
        "nodes": write_summary(node_result, unique_ids(n.id for n in nodes)),
        "edges": write_summary(edge_result, unique_ids(e.id for e in edges)),
    }
    if delete_edges:
        summary["deleted_edges"] = {"deleted": edge_result.deleted, "ids": list(delete_edges[:20])}
    if delete_nodes:
        summary["deleted_nodes"] = {"deleted": node_result.deleted, "ids": list(delete_nodes[:20])}
    return summary


@runtime_checkable
class GraphStore(Protocol):
    """Nodes and edges. Ids are stable strings; see DESIGN.md §3."""

    def upsert_nodes(self, nodes: Sequence[Node], *, actor: str = "local", action: str = "upsert_nodes") -> WriteResult:
        """Create or replace nodes by id, all in one transaction. Identical records count as unchanged."""
        ...

    def upsert_edges(self, edges: Sequence[Edge], *, actor: str = "local", action: str = "upsert_edges") -> WriteResult:
        """Create or replace edges by ``Edge.id``, in one transaction; raise ``MissingNodes`` first."""
        ...

    def upsert_graph(
        self, nodes: Sequence[Node], edges: Sequence[Edge], *, delete_edges: Sequence[str] = (),
        delete_nodes: Sequence[str] = (), actor: str = "local", action: str = "upsert_graph",
    ) -> GraphWriteResult:
        """Create or replace nodes, then edges, then delete ``delete_edges`` and ``delete_nodes`` (with
        their edges), in one transaction with one audit entry: all of it or, on any error
        (``MissingNodes``, ``WrongEndpointKind``, ``KindConflict``, an edge id that does not parse),
        none of it. Edges may join the nodes written in the same call. ``nodes.deleted`` and
        ``edges.deleted`` count the deletes asked for (an upgrade of a tie is one call: the sister-city
        tie in, the friendly-exchange tie out)."""
        ...

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """The nodes among ``node_ids`` that exist, by id."""
        ...

    def get_edge(self, edge_id: str) -> Edge | None:
        """The edge with this id, or None. A symmetric edge is found with its ends in either order;
        a malformed id raises ``InvalidInput``."""
        ...

    def list_edges(
        self, *, node: str | None = None, type: EdgeType | None = None, limit: int = 50, offset: int = 0
    ) -> list[Edge]:
        """Edges touching ``node`` (every edge when None), optionally of one ``type``, ordered by id."""
        ...

    def find_nodes(
        self,
        text: str | None = None,
        *,
        kind: NodeKind | None = None,
        country: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Node]:
        """Nodes matching all given filters. ``text`` matches any name, alternate name or pinyin;
        exact matches rank first, then prefixes, then larger population."""
        ...

    def delete_nodes(self, node_ids: Sequence[str], *, actor: str = "local") -> int:
        """Delete nodes and every edge touching them; return how many nodes were deleted."""
        ...

    def delete_edges(self, edge_ids: Sequence[str], *, actor: str = "local") -> int:
        """Delete edges by ``Edge.id``; return how many were deleted."""
        ...

    def delete_all(self, *, actor: str = "local") -> int:
        """Delete every node and edge in one transaction (API keys and the audit log stay); return the
        number of nodes deleted."""
        ...

    def neighbourhood(self, node_id: str, depth: int = 1, types: Iterable[EdgeType] | None = None) -> Subgraph:
        """The node, every node within ``depth`` hops (either direction) and the edges among them."""
        ...

    def snapshot(self) -> Subgraph:
        """Every node and edge, for the analysis projection and for exports."""
        ...

    def iter_nodes(self, page: int = PAGE) -> Iterator[list[Node]]:
        """Every node, ``page`` at a time in id order: what a whole-graph export reads, in bounded memory.

        Pages are read one by one, so a write between two pages may show; callers that need one
        state compare ``revision()`` before and after."""
        ...

    def iter_edges(self, page: int = PAGE) -> Iterator[list[Edge]]:
        """Every edge, ``page`` at a time in id order (see ``iter_nodes``)."""
        ...

    def counts(self) -> dict[str, dict[str, int]]:
        """Node counts by kind and edge counts by type."""
        ...

    def revision(self) -> int:
        """A number that grows with every write and never changes on a read."""
        ...

    def close(self) -> None:
        """Release connections and drivers."""
        ...


@runtime_checkable
class AuditLog(Protocol):
    """The record of every write: who (a key id, never a key), when, what and a summary."""

    def append_audit(self, actor: str, action: str, target: str, summary: dict[str, Any]) -> AuditEntry:
        """Record a write done outside the graph writes (key management, for instance)."""
        ...

    def read_audit(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        """Audit entries, newest first."""
        ...


@runtime_checkable
class KeyStore(Protocol):
    """API key records: hashes, roles and labels. Saving one is an audited write."""

    def save_api_key(self, record: ApiKeyRecord, *, actor: str = "local") -> None:
        """Store a key record (hash only) or update its ``revoked`` flag."""
        ...

    def api_keys(self) -> list[ApiKeyRecord]:
        """Every key record, revoked ones included."""
        ...

    def revision(self) -> int:
        """The store revision, which grows with key writes too (the key ring reloads on a change)."""
        ...


@runtime_checkable
class SessionStore(Protocol):
    """Web UI sessions, keyed by the SHA-256 of the session id. Not audited, no revision bump."""

    def save_session(self, record: SessionRecord) -> None:
        """Store a session (replacing one with the same ``id_hash``)."""
        ...

    def get_session(self, id_hash: str) -> SessionRecord | None:
        """The session stored under ``id_hash``, expired or not, or None."""
        ...

    def delete_session(self, id_hash: str) -> int:
        """End a session; return how many were deleted (0 or 1)."""
        ...

    def purge_sessions(self, now: str) -> int:
        """Delete the sessions that expired at or before ``now`` (ISO time); return how many."""
        ...


@runtime_checkable
class ChangeFeed(Protocol):
    """Raw rows for the analysis projection: a whole snapshot, or only what changed since a revision."""

    def snapshot_rows(self) -> SnapshotRows:
        """Every node and edge row and the revision, in one read."""
        ...

    def changes_since(self, revision: int) -> ChangeSet | None:
        """The rows touched after ``revision``, or None when the feed does not reach back that far."""
        ...



@runtime_checkable
class MappingStore(Protocol):
    """The column mappings of the spreadsheet import, remembered per header (a planner's preference,
    not graph data: saving one neither bumps the revision nor writes an audit entry)."""

    def save_column_mapping(self, header: str, mapping: Mapping[str, str]) -> None:
        """Remember ``mapping`` (column name → field) for files whose header is ``header``."""
        ...

    def column_mapping(self, header: str) -> dict[str, str] | None:
        """The mapping remembered for ``header``, or None."""
        ...


class Store(GraphStore, AuditLog, KeyStore, SessionStore, MappingStore, Protocol):
    """What an adapter is: all five ports over one database (the SQLite adapter also feeds changes)."""
