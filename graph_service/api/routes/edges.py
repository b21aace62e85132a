"""Edges: list by node and type, create or replace, read, patch and delete.

An edge's id is ``src|TYPE|dst`` (plus ``|key``); in a path its ``|`` is sent URL-encoded as ``%7C``,
e.g. ``GET /api/v1/edges/geonames:1609776%7CSISTER_CITY%7Cgeonames:1799869``. Symmetric edges
(sister cities, for instance) are found with their ends in either order.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from graph_service.api.deps import Editor, Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.pagination import Limit, Offset, next_link
from graph_service.api.schemas import BatchWritten, Deleted, EdgeBatch, EdgeOut, EdgePage, EdgePatch, EdgeWritten
from graph_service.model import Edge, EdgeType
from graph_service.services import graph

router = APIRouter(prefix="/edges", tags=["edges"])

EdgeId = Annotated[str, Path(min_length=5, max_length=500, description="src|TYPE|dst[|key], URL-encoded")]
WRITE_ERRORS = responses(401, 403, 404, 409, 413, 422)


@router.get("", response_model=EdgePage, responses=responses(401, 403, 422))
def list_edges(
    request: Request,
    store: StoreDep,
    _: Reader,
    limit: Limit = 50,
    offset: Offset = 0,
    node: Annotated[
        str | None, Query(min_length=1, max_length=200, description="only edges touching this node")
    ] = None,
    type: Annotated[EdgeType | None, Query(description="only edges of this type")] = None,
) -> EdgePage:
    """Edges touching ``node`` (or all edges), optionally of one type, ordered by id."""
    page = graph.edges(store, node=node, type=type, limit=limit + 1, offset=offset)
    return EdgePage(
        items=[EdgeOut.of(e) for e in page[:limit]],
        limit=limit,
        offset=offset,
        next=next_link(request, limit, offset, len(page)),
    )


@router.post("", response_model=EdgeWritten, status_code=201,
             responses={200: {"model": EdgeWritten, "description": "replaced or unchanged"}, **WRITE_ERRORS})
def upsert_edge(edge: Edge, store: StoreDep, who: Editor, response: Response) -> EdgeWritten:
    """Create an edge, or replace the edge with the same id (201 when created, 200 otherwise).
    Both ends must exist (422 ``missing_nodes`` lists those that do not)."""
    result = graph.save_edges(store, [edge], actor=who.actor, action="api_upsert_edge")
    if not result.created:
        response.status_code = 200
    return EdgeWritten(edge=EdgeOut.of(edge), created=bool(result.created), revision=result.revision)


@router.post("/batch", response_model=BatchWritten, responses=WRITE_ERRORS)
def upsert_edges(batch: EdgeBatch, store: StoreDep, who: Editor) -> BatchWritten:
    """Create or replace up to 5,000 edges in one transaction; all ends must exist."""
    result = graph.save_edges(store, batch.edges, actor=who.actor, action="api_upsert_edges")
    return BatchWritten(**result.model_dump())


@router.get("/{edge_id}", response_model=EdgeOut, responses=responses(401, 403, 404, 422))
def get_edge(edge_id: EdgeId, store: StoreDep, _: Reader) -> EdgeOut:
    return EdgeOut.of(graph.edge(store, edge_id))


@router.patch("/{edge_id}", response_model=EdgeWritten, responses=WRITE_ERRORS)
def patch_edge(edge_id: EdgeId, patch: EdgePatch, store: StoreDep, who: Editor) -> EdgeWritten:
    """Change some properties of an edge; the result is validated like a new edge."""
    merged, result = graph.patch_edge(store, edge_id, patch.model_dump(exclude_unset=True), actor=who.actor)
    return EdgeWritten(edge=EdgeOut.of(merged), created=False, revision=result.revision)


@router.delete("/{edge_id}", response_model=Deleted, responses=WRITE_ERRORS)
def delete_edge(edge_id: EdgeId, store: StoreDep, who: Editor) -> Deleted:
    deleted = graph.delete_edge(store, edge_id, actor=who.actor)
    return Deleted(deleted=deleted, revision=store.revision())
