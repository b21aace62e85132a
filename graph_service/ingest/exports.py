"""Exports for other tools: GraphML and GEXF (Gephi, yEd, NetworkX) and CSV tables.

Graph JSON (``graph_json``) is the lossless format that imports back. These formats carry scalar
attributes only, so lists become ``"; "``-joined text and ``attrs`` entries become ``attr_<name>``;
an attribute whose values mix types across records is written as text everywhere. Each edge keeps
its ``Edge.id`` as its key, so parallel edges (two EXCHANGE edges between one pair) survive.

>>> from graph_service.model import Node
>>> flat_record(Node(id="x", kind="City", name="X", tags=["port", "ceramics"], attrs={"rank": 3}).props())
{'attr_rank': 3, 'id': 'x', 'kind': 'City', 'name': 'X', 'tags': 'port; ceramics'}
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from graph_service.ingest.graph_json import graph_document
from graph_service.model import Subgraph
from graph_service.store.base import GraphStore

LIST_SEP = "; "


class ExportFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    XLSX = "xlsx"


def flat_record(props: dict[str, Any]) -> dict[str, Any]:
    """A node's or edge's props with scalar values only, keys sorted."""
    flat: dict[str, Any] = {}
    for key, value in props.items():
        if key == "attrs":
            flat.update({f"attr_{k}": v for k, v in value.items()})
        elif isinstance(value, list):
            flat[key] = LIST_SEP.join(map(str, value))
        elif value is not None:
            flat[key] = value
    return dict(sorted(flat.items()))


def _unify_types(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write an attribute as text in every record if its values do not share one type."""
    types: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            types.setdefault(key, set()).add(float if isinstance(value, float) else type(value))
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    if not mixed:
        return records
    return [{k: str(v) if k in mixed else v for k, v in r.items()} for r in records]


def to_networkx(snapshot: Subgraph) -> nx.MultiDiGraph:
    """The snapshot as a MultiDiGraph with scalar attributes; each node's ``label`` is its name."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    nodes = _unify_types([flat_record(n.props()) | {"label": n.name} for n in snapshot.nodes])
    for record in nodes:
        graph.add_node(record.pop("id"), **record)
    edges = _unify_types([flat_record(e.props()) for e in snapshot.edges])
    for edge, record in zip(snapshot.edges, edges, strict=True):
        record = {("edge_key" if k == "key" else k): v for k, v in record.items() if k not in ("src", "dst")}
        graph.add_edge(edge.src, edge.dst, key=edge.id, **record)
    return graph


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula in a text cell (OWASP's CSV injection list)."""


def spreadsheet_safe(value: Any) -> Any:
    r"""A text cell that a spreadsheet would run as a formula, prefixed with ``'`` so it stays text.

    Numbers stay numbers (a negative longitude is data, not a formula).

    >>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("-1+2"), spreadsheet_safe(-1.5)
    ('\'=HYPERLINK("http://x")', "'-1+2", -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_table(records: Iterable[dict[str, Any]], first: list[str]) -> bytes:
    """A CSV file's bytes with ``first`` columns first: UTF-8 with a byte-order mark (so Excel reads the
    Chinese names right), CRLF line ends (Excel's, so that a cell holding a carriage return is quoted),
    and formula-like text cells escaped (``spreadsheet_safe``)."""
    records = list(records)
    columns = first + sorted({k for r in records for k in r} - set(first))
    return csv_rows(columns, ([record.get(column, "") for column in columns] for record in records))


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file's bytes as Excel opens it: UTF-8 with a byte-order mark, CRLF line ends, formula-like
    text cells escaped (``spreadsheet_safe``). ``header`` may repeat a name (two "country" columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def export_bytes(store: GraphStore, fmt: ExportFormat | str) -> bytes:
    """The whole store in ``fmt``: JSON, GraphML, GEXF, or a zip of ``nodes.csv`` and ``edges.csv`` (each
    with a UTF-8 byte-order mark, for Excel)."""
    fmt = ExportFormat(fmt)
    if fmt is ExportFormat.XLSX:
        raise ValueError("an xlsx workbook is written by export_stream.write_xlsx")
    if fmt is ExportFormat.JSON:
        import json

        return json.dumps(graph_document(store), ensure_ascii=False, indent=1).encode()
    snapshot = store.snapshot()
    if fmt is ExportFormat.CSV:
        nodes = csv_table((flat_record(n.props()) for n in snapshot.nodes), ["id", "kind", "name"])
        edges = csv_table(({"id": e.id} | flat_record(e.props()) for e in snapshot.edges),
                           ["id", "src", "type", "dst"])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("nodes.csv", nodes)
            archive.writestr("edges.csv", edges)
        return buffer.getvalue()
    graph = to_networkx(snapshot)
    buffer = io.BytesIO()
    if fmt is ExportFormat.GRAPHML:
        nx.write_graphml(graph, buffer, encoding="utf-8")
    else:
        nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def export_file(store: GraphStore, path: Path, fmt: ExportFormat | str) -> dict[str, int]:
    """Write the store to ``path`` atomically (temp file, then rename); return node and edge counts."""
    counts = store.counts()
    data = export_bytes(store, fmt)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return {"nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values())}
