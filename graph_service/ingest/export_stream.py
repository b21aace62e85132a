"""Whole-graph exports written record by record to a file, in bounded memory.

The store is read in pages (``GraphStore.iter_nodes`` / ``iter_edges``), never as one snapshot, and
each record goes straight to the file: JSON (graph JSON, lossless), GraphML, GEXF and an Excel
workbook (``.xlsx``: a sheet of nodes, a sheet of edges, openpyxl's write-only mode). The XML formats
and the workbook declare their attributes (columns) up front, so they read the store twice: once for the attribute
names and types (``AttributeTypes``, the same rule as ``exports._unify_types``: an attribute whose
values mix types is text everywhere), once to write. Memory stays at a page of records whatever
the size of the graph, which is what lets the API serve exports of the world dataset to several
clients at once (``services.transfer.ExportCache``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from graph_service.errors import InvalidInput
from graph_service.ingest.exports import ExportFormat, flat_record, spreadsheet_safe
from graph_service.ingest.graph_json import FORMAT, VERSION
from graph_service.model import Edge, Node
from graph_service.store.base import GraphStore

STREAMED = (ExportFormat.JSON, ExportFormat.GRAPHML, ExportFormat.GEXF, ExportFormat.XLSX)
EXCEL_ROWS = 1_048_576
"""Rows in one Excel sheet, its header included."""
NODE_COLUMNS = ["id", "kind", "name", "name_zh", "country", "admin1"]
EDGE_COLUMNS = ["id", "src", "type", "dst", "status", "since"]
"""The columns a workbook's sheets begin with; every other attribute follows in name order."""
CARRIAGE_RETURN = {"\r": "&#13;"}
"""Kept as a character reference: a literal CR in XML text reads back as a line feed."""
XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def node_record(node: Node) -> dict[str, Any]:
    """A node's scalar attributes for GraphML and GEXF (its ``label`` is its name), without its id."""
    record = flat_record(node.props()) | {"label": node.name}
    record.pop("id")
    return record


def edge_record(edge: Edge) -> dict[str, Any]:
    """An edge's scalar attributes for GraphML and GEXF, without its ends (``key`` as ``edge_key``)."""
    flat = flat_record(edge.props())
    return {("edge_key" if k == "key" else k): v for k, v in flat.items() if k not in ("src", "dst")}


def _nodes(store: GraphStore) -> Iterator[Node]:
    for page in store.iter_nodes():
        yield from page


def _edges(store: GraphStore) -> Iterator[Edge]:
    for page in store.iter_edges():
        yield from page


class AttributeTypes:
    """The XML type of every attribute name, over all records: one type, or ``string`` when mixed."""

    def __init__(self) -> None:
        self.seen: dict[str, set[type]] = {}

    def add(self, record: dict[str, Any]) -> None:
        for key, value in record.items():
            self.seen.setdefault(key, set()).add(type(value))

    def xml_type(self, key: str) -> str:
        kinds = self.seen[key]
        return XML_TYPES.get(next(iter(kinds)), "string") if len(kinds) == 1 else "string"

    def value(self, key: str, value: Any) -> str:
        """The value as the attribute's declared type writes it."""
        if self.xml_type(key) == "boolean":
            return "true" if value else "false"
        return str(value)

    def names(self) -> list[str]:
        return sorted(self.seen)


def _types(store: GraphStore) -> tuple[AttributeTypes, AttributeTypes]:
    node_types, edge_types = AttributeTypes(), AttributeTypes()
    for node in _nodes(store):
        node_types.add(node_record(node))
    for edge in _edges(store):
        edge_types.add(edge_record(edge))
    return node_types, edge_types


def _line(out: BinaryIO, text: str) -> None:
    out.write(text.encode("utf-8"))
    out.write(b"\n")


def write_json(store: GraphStore, out: BinaryIO) -> None:
    """Graph JSON (``graph_json``): ``{"format", "version", "nodes": [...], "edges": [...]}``."""
    _line(out, f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION},')
    for name, records in (("nodes", (n.props() for n in _nodes(store))), ("edges", (e.props() for e in _edges(store)))):
        _line(out, f'"{name}": [')
        for index, props in enumerate(records):
            _line(out, ("" if index == 0 else ",") + json.dumps(props, ensure_ascii=False))
        _line(out, "]," if name == "nodes" else "]")
    _line(out, "}")


def write_graphml(store: GraphStore, out: BinaryIO) -> None:
    """GraphML as NetworkX writes it for a MultiDiGraph: each edge's id is its ``Edge.id``."""
    node_types, edge_types = _types(store)
    _line(out, "<?xml version='1.0' encoding='utf-8'?>")
    _line(out, '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
    keys: dict[tuple[str, str], str] = {}
    for scope, types in (("node", node_types), ("edge", edge_types)):
        for name in types.names():
            keys[(scope, name)] = key = f"d{len(keys)}"
            _line(out, f'  <key id="{key}" for="{scope}" attr.name={quoteattr(name)} '
                       f'attr.type="{types.xml_type(name)}" />')
    _line(out, '  <graph edgedefault="directed">')

    def data(scope: str, types: AttributeTypes, record: dict[str, Any]) -> str:
        return "".join(f'<data key="{keys[(scope, k)]}">{escape(types.value(k, v), CARRIAGE_RETURN)}</data>'
                       for k, v in sorted(record.items()))

    for node in _nodes(store):
        _line(out, f"    <node id={quoteattr(node.id)}>{data('node', node_types, node_record(node))}</node>")
    for edge in _edges(store):
        _line(out, f"    <edge source={quoteattr(edge.src)} target={quoteattr(edge.dst)} id={quoteattr(edge.id)}>"
                   f"{data('edge', edge_types, edge_record(edge))}</edge>")
    _line(out, "  </graph>")
    _line(out, "</graphml>")


def write_gexf(store: GraphStore, out: BinaryIO) -> None:
    """GEXF 1.2 (Gephi): node labels are names; each edge's id is its ``Edge.id``, its type an attribute."""
    node_types, edge_types = _types(store)
    node_types.seen.pop("label", None)
    _line(out, "<?xml version='1.0' encoding='utf-8'?>")
    _line(out, '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">')
    _line(out, '  <graph defaultedgetype="directed" mode="static" name="partner-graph">')
    ids: dict[tuple[str, str], str] = {}
    for scope, types in (("edge", edge_types), ("node", node_types)):
        _line(out, f'    <attributes mode="static" class="{scope}">')
        for name in types.names():
            ids[(scope, name)] = number = str(len(ids))
            _line(out, f'      <attribute id="{number}" title={quoteattr(name)} type="{types.xml_type(name)}" />')
        _line(out, "    </attributes>")

    def values(scope: str, types: AttributeTypes, record: dict[str, Any]) -> str:
        shown = "".join(f'<attvalue for="{ids[(scope, k)]}" value={quoteattr(types.value(k, v))} />'
                        for k, v in sorted(record.items()) if (scope, k) in ids)
        return f"<attvalues>{shown}</attvalues>" if shown else ""

    _line(out, "    <nodes>")
    for node in _nodes(store):
        _line(out, f"      <node id={quoteattr(node.id)} label={quoteattr(node.name)}>"
                   f"{values('node', node_types, node_record(node))}</node>")
    _line(out, "    </nodes>")
    _line(out, "    <edges>")
    for edge in _edges(store):
        _line(out, f"      <edge id={quoteattr(edge.id)} source={quoteattr(edge.src)} target={quoteattr(edge.dst)}>"
                   f"{values('edge', edge_types, edge_record(edge))}</edge>")
    _line(out, "    </edges>")
    _line(out, "  </graph>")
    _line(out, "</gexf>")


def _columns(records: Iterator[dict[str, Any]], first: list[str]) -> list[str]:
    seen: set[str] = set()
    for record in records:
        seen.update(record)
    return [*first, *sorted(seen - set(first))]


def _row(record: dict[str, Any], columns: list[str]) -> list[Any]:
    return [spreadsheet_safe(record.get(column)) for column in columns]


def write_xlsx(store: GraphStore, out: BinaryIO) -> None:
    """The whole store as an Excel workbook: sheet ``nodes`` (one row per node) and sheet ``edges``
    (one row per edge, with its ends), every scalar attribute a column; text that a spreadsheet would
    run as a formula stays text. A store past Excel's 1,048,576 rows a sheet is refused (``InvalidInput``)."""
    from openpyxl import Workbook

    counts = store.counts()
    for part in ("nodes", "edges"):
        if sum(counts[part].values()) >= EXCEL_ROWS:
            raise InvalidInput(f"too many {part} for one Excel sheet ({sum(counts[part].values()):,}); "
                               "export json, graphml or gexf instead")
    node_columns = _columns((flat_record(n.props()) for n in _nodes(store)), NODE_COLUMNS)
    edge_columns = _columns(({"id": e.id} | flat_record(e.props()) for e in _edges(store)), EDGE_COLUMNS)
    book = Workbook(write_only=True)
    nodes = book.create_sheet("nodes")
    nodes.append(node_columns)
    for node in _nodes(store):
        nodes.append(_row(flat_record(node.props()), node_columns))
    edges = book.create_sheet("edges")
    edges.append(edge_columns)
    for edge in _edges(store):
        edges.append(_row({"id": edge.id} | flat_record(edge.props()), edge_columns))
    book.save(out)


WRITERS = {ExportFormat.JSON: write_json, ExportFormat.GRAPHML: write_graphml, ExportFormat.GEXF: write_gexf,
           ExportFormat.XLSX: write_xlsx}


def write_export(store: GraphStore, fmt: ExportFormat | str, out: BinaryIO) -> None:
    """Write the whole store in ``fmt`` (json, graphml, gexf or xlsx) to the binary file ``out``."""
    WRITERS[ExportFormat(fmt)](store, out)
