"""Exports: JSON round trip is identical; GraphML, GEXF and CSV carry every node and edge."""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile

import networkx as nx
import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.errors import GraphFileError
from graph_service.ingest.exports import to_networkx
from graph_service.ingest.geo import load_geo
from graph_service.ingest.graph_json import parse_graph
from graph_service.ingest.seed import load_seed
from graph_service.model import Edge, EdgeType, Node, NodeKind
from graph_service.store.sqlite import SQLiteStore

runner = CliRunner()


def cli(db, *args):
    return runner.invoke(app, ["--store", f"sqlite:///{db}", *args])


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """The seed scenario plus big cities, plus awkward records: mixed attr types, parallel edges, odd text."""
    db = tmp_path_factory.mktemp("exports") / "scenario.db"
    store = SQLiteStore(db)
    load_seed(store)
    load_geo(store, 5_000_000)
    store.upsert_nodes([
        Node(id="odd:1", kind=NodeKind.ORGANIZATION, name='<b>"Q&A"</b> ; DROP TABLE nodes;--', attrs={"rank": 3}),
        Node(id="odd:2", kind=NodeKind.ORGANIZATION, name="第二 — ü", attrs={"rank": "high"}, tags=["a;b", "c"]),
    ])
    store.upsert_edges([
        Edge(src="odd:1", dst="odd:2", type=EdgeType.EXCHANGE, field="culture", title="one", date="2012"),
        Edge(src="odd:1", dst="odd:2", type=EdgeType.EXCHANGE, field="culture", title="two", date="2012"),
    ])
    counts = store.counts()
    store.close()
    return db, sum(counts["nodes"].values()), sum(counts["edges"].values())


def test_json_round_trip_is_identical(scenario, tmp_path):
    db, _, _ = scenario
    out = tmp_path / "graph.json"
    assert cli(db, "export", str(out), "--format", "json").exit_code == 0
    empty = tmp_path / "empty.db"
    result = cli(empty, "import", "graph", str(out), "--json")
    assert result.exit_code == 0, result.output
    a, b = SQLiteStore(db).snapshot(), SQLiteStore(empty).snapshot()
    assert {n.id: n for n in a.nodes} == {n.id: n for n in b.nodes}
    assert {e.id: e for e in a.edges} == {e.id: e for e in b.edges}
    again = tmp_path / "again.json"
    assert cli(empty, "export", str(again), "--format", "json").exit_code == 0
    assert json.loads(again.read_text())["nodes"] == json.loads(out.read_text())["nodes"]


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_load_in_networkx_with_equal_counts(scenario, tmp_path, fmt, reader):
    db, nodes, edges = scenario
    out = tmp_path / f"graph.{fmt}"
    result = cli(db, "export", str(out), "--format", fmt)
    assert result.exit_code == 0, result.output
    graph = reader(out)
    assert graph.number_of_nodes() == nodes
    assert graph.number_of_edges() == edges
    assert graph.nodes["geonames:1799869"]["name_zh"] == "南宁"
    assert graph.nodes["odd:1"]["name"] == '<b>"Q&A"</b> ; DROP TABLE nodes;--'


def test_mixed_attribute_types_become_text(scenario):
    db, _, _ = scenario
    graph = to_networkx(SQLiteStore(db).snapshot())
    assert graph.nodes["odd:1"]["attr_rank"] == "3" and graph.nodes["odd:2"]["attr_rank"] == "high"
    assert all(not isinstance(v, (list, dict)) for _, data in graph.nodes(data=True) for v in data.values())


def test_csv_zip_has_every_node_and_edge(scenario, tmp_path):
    db, nodes, edges = scenario
    out = tmp_path / "graph.zip"
    assert cli(db, "export", str(out), "--format", "csv").exit_code == 0
    with zipfile.ZipFile(out) as archive:
        raw_nodes, raw_edges = archive.read("nodes.csv"), archive.read("edges.csv")
    assert raw_nodes.startswith(codecs.BOM_UTF8) and raw_edges.startswith(codecs.BOM_UTF8), "Excel needs the BOM"
    node_rows = list(csv.DictReader(io.StringIO(raw_nodes.decode("utf-8-sig"))))
    edge_rows = list(csv.DictReader(io.StringIO(raw_edges.decode("utf-8-sig"))))
    assert len(node_rows) == nodes and len(edge_rows) == edges
    assert "南宁" in {row["name_zh"] for row in node_rows}
    assert {"id", "kind", "name", "name_zh"} <= set(node_rows[0])
    assert {"id", "src", "type", "dst"} <= set(edge_rows[0])


def test_xlsx_workbook_has_every_node_and_edge(scenario, tmp_path):
    """Finding F10: ``export --format xlsx`` was refused; Excel users need a workbook."""
    from openpyxl import load_workbook

    db, nodes, edges = scenario
    out = tmp_path / "graph.xlsx"
    result = cli(db, "export", str(out), "--format", "xlsx")
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["nodes", "edges"]
    node_rows = list(book["nodes"].iter_rows(values_only=True))
    edge_rows = list(book["edges"].iter_rows(values_only=True))
    assert node_rows[0][:4] == ("id", "kind", "name", "name_zh") and edge_rows[0][:4] == ("id", "src", "type", "dst")
    assert len(node_rows) == nodes + 1 and len(edge_rows) == edges + 1
    by_id = {row[0]: dict(zip(node_rows[0], row, strict=False)) for row in node_rows[1:]}  # blank tails unread
    assert "南宁" in {row["name_zh"] for row in by_id.values()}
    assert by_id["odd:2"]["name"] == "第二 — ü" and by_id["odd:1"]["attr_rank"] == 3
    assert {row[0] for row in edge_rows[1:]} == {e.id for e in SQLiteStore(db).snapshot().edges}


def test_export_to_missing_folder_or_bad_format_is_a_clear_error(scenario, tmp_path):
    db, _, _ = scenario
    result = cli(db, "export", str(tmp_path / "nope" / "x.json"))
    assert result.exit_code == 1 and "folder does not exist" in result.output
    result = cli(db, "export", str(tmp_path / "x.xml"), "--format", "xml")
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(tmp_path):
    hostile = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\tTab",
               "\rReturn"]
    db = tmp_path / "csv.db"
    store = SQLiteStore(db)
    store.upsert_nodes([Node(id=f"n{i}", kind=NodeKind.CITY, name=text, notes=text, country="FR", lat=-33.9,
                             lon=-70.6, attrs={"label": text, "rank": -3}) for i, text in enumerate(hostile)])
    store.close()
    out = tmp_path / "graph.zip"
    assert cli(db, "export", str(out), "--format", "csv").exit_code == 0
    with zipfile.ZipFile(out) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8-sig"), newline="")))
    assert len(rows) == len(hostile)
    for row, text in zip(sorted(rows, key=lambda r: r["id"]), hostile, strict=True):
        for column in ("name", "notes", "attr_label"):
            assert row[column] == "'" + text, (column, row[column])
        assert (row["lat"], row["lon"], row["attr_rank"]) == ("-33.9", "-70.6", "-3"), "numbers stay numbers"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ('{"nodes": [{"id": "a", "kind": "City", "name": "A", "population": ' + "9" * 5_000 + "}], \"edges\": []}",
         "it holds a number of more than 4,300 digits"),
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ('{"nodes": [{"id": "a", "kind": "City", "name": "A", "attrs": {"x": NaN}}], "edges": []}',
         "NaN and infinite numbers are not allowed"),
        ('{"nodes": [{"id": "a", "kind": "City", "name": "A", "population": 99999999999999999999}], "edges": []}',
         "population"),
    ],
    ids=["5,000 digits", "nested 10,000 deep", "NaN attribute", "20-digit population"],
)
def test_a_graph_file_with_hostile_numbers_or_nesting_is_refused_readably(raw, says):
    with pytest.raises(GraphFileError) as refused:
        parse_graph(raw)
    message = f"{refused.value}\n{json.dumps(refused.value.details(), ensure_ascii=False)}"
    assert says in message and "sys.set_int_max_str_digits" not in message, message
