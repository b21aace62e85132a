"""Graph JSON: the lossless export format, and its importer.

The file is ``{"format": "partner-graph", "version": 1, "nodes": [...], "edges": [...]}`` with each
record as ``Node.props()`` / ``Edge.props()`` writes it. Exporting and importing into an empty store
gives the same graph.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ValidationError

from graph_service.errors import GraphFileError
from graph_service.ingest.merge import merge_node
from graph_service.model import Edge, Node
from graph_service.store.base import GraphStore

FORMAT = "partner-graph"
VERSION = 1


class GraphImportReport(BaseModel):
    nodes_read: int
    edges_read: int
    nodes_created: int
    nodes_updated: int
    nodes_unchanged: int
    edges_created: int
    edges_updated: int
    edges_unchanged: int


def graph_document(store: GraphStore) -> dict[str, Any]:
    """The whole store as a graph JSON document."""
    snap = store.snapshot()
    return {
        "format": FORMAT,
        "version": VERSION,
        "nodes": [node.props() for node in snap.nodes],
        "edges": [edge.props() for edge in snap.edges],
    }


def parse_graph(raw: bytes | str) -> tuple[list[Node], list[Edge]]:
    """Validate a graph JSON document completely; raise ``GraphFileError`` listing every bad record."""
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise GraphFileError("not a graph JSON file: it is nested too deeply") from None
    except ValueError as exc:  # bad JSON, bad UTF-8, or an integer of more than 4,300 digits
        if "integer string conversion" in str(exc):
            raise GraphFileError("not a graph JSON file: it holds a number of more than 4,300 digits") from None
        raise GraphFileError(f"not a graph JSON file: {str(exc)[:200]}") from None
    if not (isinstance(doc, dict) and isinstance(doc.get("nodes"), list) and isinstance(doc.get("edges", []), list)):
        raise GraphFileError('not a graph JSON file: expected an object with "nodes" and "edges" lists')
    if doc.get("format", FORMAT) != FORMAT or doc.get("version", VERSION) != VERSION:
        raise GraphFileError(f"unsupported graph file format {doc.get('format')!r} version {doc.get('version')!r}")
    problems: list[str] = []
    nodes = _validate_all(Node, doc["nodes"], "node", problems)
    edges = _validate_all(Edge, doc.get("edges", []), "edge", problems)
    if problems:
        raise GraphFileError(f"{len(problems)} invalid record(s); nothing was imported", problems)
    return nodes, edges


def _validate_all(model, records: list[Any], label: str, problems: list[str]) -> list:
    valid = []
    for index, record in enumerate(records):
        try:
            valid.append(model.model_validate(record))
        except ValidationError as exc:
            reasons = "; ".join(f"{'.'.join(map(str, e['loc'])) or label}: {e['msg']}" for e in exc.errors())
            problems.append(f"{label} #{index}: {reasons}")
    return valid


def import_graph(
    store: GraphStore, raw: bytes | str, *, actor: str = "local", merge: bool = False
) -> GraphImportReport:
    """Import a graph JSON document, all or nothing: bad records, edges to unknown nodes or to nodes of
    a kind their type does not join, or a node changing kind reject the whole file (one transaction).

    With ``merge``, a node that already exists keeps the values the file leaves empty (the file's own
    values win; lists are united): the seed scenario uses this so it never erases loaded geography.
    """
    nodes, edges = parse_graph(raw)
    if merge:
        existing = store.get_nodes(node.id for node in nodes)
        nodes = [merge_node(node, existing[node.id]) if node.id in existing else node for node in nodes]
    written = store.upsert_graph(nodes, edges, actor=actor, action="import_graph")
    node_result, edge_result = written.nodes, written.edges
    return GraphImportReport(
        nodes_read=len(nodes),
        edges_read=len(edges),
        nodes_created=node_result.created,
        nodes_updated=node_result.updated,
        nodes_unchanged=node_result.unchanged,
        edges_created=edge_result.created,
        edges_updated=edge_result.updated,
        edges_unchanged=edge_result.unchanged,
    )
