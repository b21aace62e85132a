"""Edges: list by node and type, create or replace, read, patch and delete.

An edge's id is ``src|TYPE|dst`` (plus ``|key``); in a path its ``|`` is sent URL-encoded as ``%7C``,
e.g. ``GET /api/v1/edges/geonames:1609776%7CSISTER_CITY%7Cgeonames:1799869``. Symmetric edges
(sister cities, for instance) are found with their ends in either order.
"""

from __future__ import annotations

import threading
import weakref
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from graph_service.api.deps import Editor, Reader, StoreDep
from graph_service.api.errors import ApiError, responses
from graph_service.api.pagination import Limit, Offset, next_link
from graph_service.api.schemas import BatchWritten, Deleted, EdgeBatch, EdgeOut, EdgePage, EdgePatch, EdgeWritten
from graph_service.model import SYMMETRIC_TYPES, Edge, EdgeType, check_id
from graph_service.store.base import GraphStore

router = APIRouter(prefix="/edges", tags=["edges"])

EdgeId = Annotated[str, Path(min_length=5, max_length=500, description="src|TYPE|dst[|key], URL-encoded")]
WRITE_ERRORS = responses(401, 403, 404, 409, 413, 422)


def canonical_edge_id(edge_id: str) -> tuple[str, EdgeType, str]:
    """The canonical form of an edge id (ends of a symmetric type in sorted order), its source and
    type. A malformed id is a 422."""
    parts = edge_id.split("|")
    try:
        if len(parts) not in (3, 4):
            raise ValueError("expected src|TYPE|dst or src|TYPE|dst|key")
        src, edge_type, dst = check_id(parts[0]), EdgeType(parts[1]), check_id(parts[2])
    except ValueError as exc:
        raise ApiError(422, f"malformed edge id {edge_id[:120]!r}: {str(exc)[:200]}", code="invalid") from None
    if edge_type in SYMMETRIC_TYPES and dst < src:
        src, dst = dst, src
    return "|".join([src, edge_type.value, dst, *parts[3:]]), edge_type, src


def edges_at(store: GraphStore, node_id: str, types: list[EdgeType] | None = None) -> list[Edge]:
    """Edges with ``node_id`` at one end (the neighbourhood also holds edges among the neighbours)."""
    sub = store.neighbourhood(node_id, depth=1, types=types)
    return [edge for edge in sub.edges if node_id in (edge.src, edge.dst)]


_sorted_edges: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_sorted_lock = threading.Lock()


def all_edges(store: GraphStore) -> list[Edge]:
    """Every edge sorted by id, from a snapshot kept until the store's revision changes."""
    revision = store.revision()
    with _sorted_lock:
        held = _sorted_edges.get(store)
        if held is None or held[0] != revision:
            held = _sorted_edges[store] = (revision, sorted(store.snapshot().edges, key=lambda e: e.id))
    return held[1]


def existing_edge(store: GraphStore, edge_id: str) -> Edge:
    """The edge with this id; for symmetric types either order of the ends finds it."""
    canonical, edge_type, src = canonical_edge_id(edge_id)
    for edge in edges_at(store, src, [edge_type]):
        if edge.id == canonical:
            return edge
    raise ApiError(404, f"no edge with id {edge_id[:200]!r}", code="not_found")


@router.get("", response_model=EdgePage, responses=responses(401, 403, 422))
def list_edges(
    request: Request,
    store: StoreDep,
    _: Reader,
    limit: Limit = 50,
    offset: Offset = 0,
    node: Annotated[str | None, Query(min_length=1, max_length=200, description="only edges touching this node")] = None,
    type: Annotated[EdgeType | None, Query(description="only edges of this type")] = None,
) -> EdgePage:
    """Edges touching ``node`` (or all edges), optionally of one type, ordered by id."""
    types = [type] if type else None
    if node is not None:
        edges = sorted(edges_at(store, node, types), key=lambda e: e.id)
    else:
        edges = [e for e in all_edges(store) if types is None or e.type in types]
    page = edges[offset : offset + limit + 1]
    return EdgePage(
        items=[EdgeOut.of(e) for e in page[:limit]],
        limit=limit,
        offset=offset,
        next=next_link(request, limit, offset, len(page)),
    )


@router.post("", response_model=EdgeWritten, status_code=201, responses={200: {"model": EdgeWritten, "description": "replaced or unchanged"}, **WRITE_ERRORS})
def upsert_edge(edge: Edge, store: StoreDep, who: Editor, response: Response) -> EdgeWritten:
    """Create an edge, or replace the edge with the same id (201 when created, 200 otherwise).
    Both ends must exist (422 ``missing_nodes`` lists those that do not)."""
    result = store.upsert_edges([edge], actor=who.actor, action="api_upsert_edge")
    if not result.created:
        response.status_code = 200
    return EdgeWritten(edge=EdgeOut.of(edge), created=bool(result.created), revision=result.revision)


@router.post("/batch", response_model=BatchWritten, responses=WRITE_ERRORS)
def upsert_edges(batch: EdgeBatch, store: StoreDep, who: Editor) -> BatchWritten:
    """Create or replace up to 5,000 edges in one transaction; all ends must exist."""
    result = store.upsert_edges(batch.edges, actor=who.actor, action="api_upsert_edges")
    return BatchWritten(**result.model_dump())


@router.get("/{edge_id}", response_model=EdgeOut, responses=responses(401, 403, 404, 422))
def get_edge(edge_id: EdgeId, store: StoreDep, _: Reader) -> EdgeOut:
    return EdgeOut.of(existing_edge(store, edge_id))


@router.patch("/{edge_id}", response_model=EdgeWritten, responses=WRITE_ERRORS)
def patch_edge(edge_id: EdgeId, patch: EdgePatch, store: StoreDep, who: Editor) -> EdgeWritten:
    """Change some properties of an edge; the result is validated like a new edge."""
    edge = existing_edge(store, edge_id)
    merged = Edge.model_validate(edge.model_dump() | patch.model_dump(exclude_unset=True))
    result = store.upsert_edges([merged], actor=who.actor, action="api_patch_edge")
    return EdgeWritten(edge=EdgeOut.of(merged), created=False, revision=result.revision)


@router.delete("/{edge_id}", response_model=Deleted, responses=WRITE_ERRORS)
def delete_edge(edge_id: EdgeId, store: StoreDep, who: Editor) -> Deleted:
    edge = existing_edge(store, edge_id)
    deleted = store.delete_edges([edge.id], actor=who.actor)
    return Deleted(deleted=deleted, revision=store.revision())
