"""The core CLI on a real SQLite file: find, partners, seed, export and import graph."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.model import Edge, EdgeType, Node, NodeKind
from graph_service.store.sqlite import SQLiteStore

runner = CliRunner()


def run(db, *args):
    return runner.invoke(app, ["--store", f"sqlite:///{db}", *args])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    store = SQLiteStore(path)
    store.upsert_nodes([
        Node(id="nn", kind=NodeKind.CITY, name="Nanning", name_zh="南宁", country="CN", population=3_839_800),
        Node(id="kk", kind=NodeKind.CITY, name="Khon Kaen", name_zh="孔敬", country="TH"),
        Node(id="sp1", kind=NodeKind.CITY, name="Springfield", country="US", admin1="IL"),
        Node(id="sp2", kind=NodeKind.CITY, name="Springfield", country="US", admin1="MA"),
    ])
    store.upsert_edges([Edge(src="nn", dst="kk", type=EdgeType.SISTER_CITY, status="active", since="1995")])
    store.close()
    return path


def test_find_resolves_any_language(db):
    for name in ("南宁", "Nanning", "nanning"):
        result = run(db, "find", name, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)[0]["id"] == "nn"


@pytest.mark.parametrize("typed", ["", "_", "'", "*", " \" ", "%?"])
def test_find_refuses_a_query_with_nothing_to_search_for(db, typed):
    result = run(db, "find", typed)
    assert result.exit_code == 1, result.output
    assert "nothing to search for" in result.output
    assert "nn" not in result.output and "Traceback" not in result.output


def test_find_ignores_quotes_and_wildcards_around_a_name(db):
    for typed in ('"南宁"', "“Nanning”", "'nanning'", "Nanning*", "「南宁」"):
        result = run(db, "find", typed, "--json")
        assert result.exit_code == 0, (typed, result.output)
        assert [n["id"] for n in json.loads(result.output)] == ["nn"], typed


def test_partners_lists_tier_and_status(db):
    result = run(db, "partners", "Nanning", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["city"]["id"] == "nn"
    assert [(p["id"], p["tier"], p["status"], p["since"]) for p in doc["partners"]] == [
        ("kk", "sister", "active", "1995")
    ]


def test_partners_table_marks_demo_records(db):
    assert "demo" not in run(db, "partners", "Nanning").output, "no demo record, no demo marker"
    store = SQLiteStore(db)
    store.upsert_nodes([Node(id="gi", kind=NodeKind.CITY, name="Gillette", country="US")])
    store.upsert_edges([Edge(src="nn", dst="gi", type=EdgeType.SISTER_CITY, status="active", demo=True)])
    store.close()
    result = run(db, "partners", "Nanning", "--json")
    assert {p["id"]: p["demo"] for p in json.loads(result.output)["partners"]} == {"kk": False, "gi": True}
    table = runner.invoke(app, ["--store", f"sqlite:///{db}", "partners", "Nanning"], env={"COLUMNS": "200"}).output
    rows = {line.split("│")[2].strip(): line for line in table.splitlines() if line.count("│") >= 5}
    assert "demo 示例" in rows["Gillette"] and "demo" not in rows["Khon Kaen"]
    assert "invented example record (示例数据)" in table


def test_find_lists_taiwan_as_a_region_of_china(db):
    store = SQLiteStore(db)
    store.upsert_nodes([Node(id="TW", kind=NodeKind.COUNTRY, name="Taiwan", name_zh="台湾"),
                        Node(id="TH", kind=NodeKind.COUNTRY, name="Thailand", name_zh="泰国"),
                        Node(id="CN", kind=NodeKind.COUNTRY, name="China", name_zh="中国")])
    store.close()
    taiwan = runner.invoke(app, ["--store", f"sqlite:///{db}", "find", "Taiwan"], env={"COLUMNS": "200"}).output
    assert "Region of China (中国台湾)" in taiwan and "Country" not in taiwan
    thailand = runner.invoke(app, ["--store", f"sqlite:///{db}", "find", "Thailand"], env={"COLUMNS": "200"}).output
    assert "Country" in thailand


def test_unknown_city_is_a_clear_error(db):
    result = run(db, "partners", "Atlantis")
    assert result.exit_code == 1
    assert "no City named 'Atlantis'" in result.output
    assert "Traceback" not in result.output


def test_ambiguous_name_lists_candidates(db):
    result = run(db, "partners", "Springfield")
    assert result.exit_code == 1
    assert "ambiguous" in result.output and "sp1" in result.output and "sp2" in result.output
    assert run(db, "partners", "sp2").exit_code == 0


def test_bad_store_url_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["--store", "mysql://x", "find", "a"])
    assert result.exit_code == 1 and "unknown store URL" in result.output


def test_export_then_import_into_empty_store_is_identical(db, tmp_path):
    out = tmp_path / "graph.json"
    assert run(db, "export", str(out), "--format", "json").exit_code == 0
    empty = tmp_path / "empty.db"
    result = run(empty, "import", "graph", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes_created"] == 4
    original, copy = SQLiteStore(db).snapshot(), SQLiteStore(empty).snapshot()
    assert original.model_dump() == copy.model_dump()
    again = run(empty, "import", "graph", str(out), "--json")
    assert json.loads(again.output)["nodes_unchanged"] == 4 and json.loads(again.output)["edges_created"] == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\xff\xfe garbage", "not a graph JSON file"),
        (b'{"nodes": "x"}', "not a graph JSON file"),
        (json.dumps({"nodes": [{"id": "a", "kind": "Planet", "name": "X"}], "edges": []}).encode(), "node #0"),
        (json.dumps({"nodes": [{"id": "a", "kind": "City", "name": "X", "lat": 91, "lon": 0}]}).encode(), "lat"),
        (json.dumps({"nodes": [], "edges": [{"src": "nn", "dst": "ghost", "type": "SISTER_CITY"}]}).encode(), "ghost"),
    ],
    ids=["garbage", "wrong-shape", "unknown-kind", "lat-91", "missing-endpoint"],
)
def test_bad_graph_file_writes_nothing(db, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = SQLiteStore(db).revision()
    result = run(db, "import", "graph", str(bad))
    assert result.exit_code == 1 and message in result.output, result.output
    assert SQLiteStore(db).revision() == before


def test_seed_is_idempotent(tmp_path):
    db = tmp_path / "seed.db"
    first = run(db, "seed", "--json")
    assert first.exit_code == 0, first.output
    revision = SQLiteStore(db).snapshot()
    second = json.loads(run(db, "seed", "--json").output)
    assert all(r["nodes_created"] == 0 and r["edges_created"] == 0 for r in second.values())
    assert SQLiteStore(db).snapshot() == revision
