"""Reading and writing nodes and edges, as every front end does it.

Each write is one store transaction, audited under ``actor`` (a key id, never a key). A patch is
merged into the stored record and validated in full, so it obeys every rule a new record does.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="a", kind="City", name="A"), Node(id="b", kind="City", name="B")])
>>> _ = store.upsert_edges([Edge(src="a", dst="b", type="FRIENDLY_EXCHANGE")])
>>> patch_edge(store, "b|FRIENDLY_EXCHANGE|a", {"status": "signed"}, actor="doc")[0].status.value
'signed'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_service.errors import InvalidInput, NotFound
from graph_service.model import Edge, EdgeType, Node, NodeKind, WriteResult
from graph_service.store.base import GraphStore
from graph_service.text import search_query


def node(store: GraphStore, node_id: str) -> Node:
    """The node with this id; ``NotFound`` otherwise."""
    found = store.get_node(node_id)
    if found is None:
        raise NotFound(f"no node with id {node_id[:200]!r}", zh=f"没有编号为“{node_id[:200]}”的记录。")
    return found


def edge(store: GraphStore, edge_id: str) -> Edge:
    """The edge with this id (a symmetric edge's ends in either order); ``NotFound`` otherwise."""
    found = store.get_edge(edge_id)
    if found is None:
        raise NotFound(f"no edge with id {edge_id[:200]!r}", zh=f"没有编号为“{edge_id[:200]}”的关系。")
    return found


def search(
    store: GraphStore, text: str | None = None, *, kind: NodeKind | None = None, country: str | None = None,
    limit: int = 50, offset: int = 0,
) -> list[Node]:
    """Nodes matching every filter; with ``text``, exact name matches first (any language or pinyin).

    Quotes and wildcards in ``text`` are dropped (``"北京"`` finds Beijing); a text with nothing left to
    search for (empty, ``_``, ``*``) is refused with ``InvalidInput`` rather than read as "list all".
    """
    query = None
    if text is not None:
        query = search_query(text)
        if not query:
            raise InvalidInput(
                f"nothing to search for in {text[:50]!r}: type a name (letters, digits or Chinese characters); "
                "quotes, * and other punctuation on their own match nothing",
                zh="请输入要查找的名称(中文、字母或数字);仅有引号、* 等标点符号无法查找。")
    return store.find_nodes(query, kind=kind, country=country.upper() if country else None, limit=limit,
                            offset=offset)


def save_nodes(store: GraphStore, nodes: Sequence[Node], *, actor: str, action: str) -> WriteResult:
    """Create or replace nodes in one transaction."""
    return store.upsert_nodes(nodes, actor=actor, action=action)


def save_edges(store: GraphStore, edges: Sequence[Edge], *, actor: str, action: str) -> WriteResult:
    """Create or replace edges in one transaction; every end must exist (``MissingNodes``)."""
    return store.upsert_edges(edges, actor=actor, action=action)


def patch_node(store: GraphStore, node_id: str, changes: Mapping[str, Any], *, actor: str) -> tuple[Node, WriteResult]:
    """Change some fields of a node (never its id or kind); the result is validated like a new node."""
    merged = Node.model_validate(node(store, node_id).model_dump() | dict(changes))
    return merged, store.upsert_nodes([merged], actor=actor, action="api_patch_node")


def patch_edge(
    store: GraphStore, edge_id: str, changes: Mapping[str, Any], *, actor: str, action: str = "api_patch_edge"
) -> tuple[Edge, WriteResult]:
    """Change some properties of an edge (never its ends, type or key); validated like a new edge."""
    merged = Edge.model_validate(edge(store, edge_id).model_dump() | dict(changes))
    return merged, store.upsert_edges([merged], actor=actor, action=action)


def edges(
    store: GraphStore, *, node: str | None = None, type: EdgeType | None = None, limit: int = 50, offset: int = 0
) -> list[Edge]:
    """Edges touching ``node`` (or every edge), optionally of one type, ordered by id."""
    return store.list_edges(node=node, type=type, limit=limit, offset=offset)


def delete_node(store: GraphStore, node_id: str, *, actor: str) -> int:
    """Delete a node and every edge touching it (``NotFound`` for an unknown id)."""
    node(store, node_id)
    return store.delete_nodes([node_id], actor=actor)


def delete_edge(store: GraphStore, edge_id: str, *, actor: str) -> int:
    return store.delete_edges([edge(store, edge_id).id], actor=actor)


def delete_all(store: GraphStore, *, actor: str) -> int:
    """Delete every node and edge in one transaction; API keys and the audit log stay."""
    return store.delete_all(actor=actor)
