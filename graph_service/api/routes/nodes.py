"""Nodes: search and pagination, create or replace, read, patch, delete, and delete everything."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from graph_service.api.deps import Admin, Editor, Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.pagination import Limit, Offset, next_link
from graph_service.api.schemas import BatchWritten, Deleted, NodeBatch, NodePage, NodePatch, NodeWritten
from graph_service.model import Node, NodeKind
from graph_service.services import graph

router = APIRouter(prefix="/nodes", tags=["nodes"])

NodeId = Annotated[str, Path(min_length=1, max_length=200, description="node id, e.g. geonames:1799869 or CN")]
READ_ERRORS = responses(401, 403, 422)
WRITE_ERRORS = responses(401, 403, 404, 409, 413, 422)


@router.get("", response_model=NodePage, responses=READ_ERRORS)
def search_nodes(
    request: Request,
    store: StoreDep,
    _: Reader,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="a name in any language, or pinyin")] = None,
    kind: NodeKind | None = None,
    country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO-3166 alpha-2")] = None,
) -> NodePage:
    """Nodes matching all filters; with ``q``, exact name matches first, then prefixes, then larger population."""
    found = graph.search(store, q, kind=kind, country=country, limit=limit + 1, offset=offset)
    return NodePage(items=found[:limit], limit=limit, offset=offset, next=next_link(request, limit, offset, len(found)))


@router.post("", response_model=NodeWritten, status_code=201,
             responses={200: {"model": NodeWritten, "description": "replaced or unchanged"}, **WRITE_ERRORS})
def upsert_node(node: Node, store: StoreDep, who: Editor, response: Response) -> NodeWritten:
    """Create a node, or replace the node with the same id (201 when created, 200 otherwise)."""
    result = graph.save_nodes(store, [node], actor=who.actor, action="api_upsert_node")
    if not result.created:
        response.status_code = 200
    return NodeWritten(node=node, created=bool(result.created), revision=result.revision)


@router.post("/batch", response_model=BatchWritten, responses=WRITE_ERRORS)
def upsert_nodes(batch: NodeBatch, store: StoreDep, who: Editor) -> BatchWritten:
    """Create or replace up to 5,000 nodes in one transaction."""
    result = graph.save_nodes(store, batch.nodes, actor=who.actor, action="api_upsert_nodes")
    return BatchWritten(**result.model_dump())


@router.delete("", response_model=Deleted, responses=WRITE_ERRORS)
def delete_all_nodes(
    store: StoreDep,
    who: Admin,
    confirm: Annotated[Literal["all"], Query(description="must be `all`: deletes every node and edge")],
) -> Deleted:
    """Delete every node and edge (admin only). API keys and the audit log stay."""
    deleted = graph.delete_all(store, actor=who.actor)
    return Deleted(deleted=deleted, revision=store.revision())


@router.get("/{node_id}", response_model=Node, responses=responses(401, 403, 404, 422))
def get_node(node_id: NodeId, store: StoreDep, _: Reader) -> Node:
    return graph.node(store, node_id)


@router.patch("/{node_id}", response_model=NodeWritten, responses=WRITE_ERRORS)
def patch_node(node_id: NodeId, patch: NodePatch, store: StoreDep, who: Editor) -> NodeWritten:
    """Change some fields of a node; the result is validated like a new node."""
    merged, result = graph.patch_node(store, node_id, patch.model_dump(exclude_unset=True), actor=who.actor)
    return NodeWritten(node=merged, created=False, revision=result.revision)


@router.delete("/{node_id}", response_model=Deleted, responses=WRITE_ERRORS)
def delete_node(node_id: NodeId, store: StoreDep, who: Editor) -> Deleted:
    """Delete a node and every edge touching it."""
    deleted = graph.delete_node(store, node_id, actor=who.actor)
    return Deleted(deleted=deleted, revision=store.revision())
