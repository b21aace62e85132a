"""``import pairs``: every row accounted for, bad rows reported, garbage refused, re-imports inert."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.ingest.pairs import PairsFileError, import_pairs
from graph_service.model import EdgeType, Node, NodeKind
from graph_service.store.sqlite import SQLiteStore

runner = CliRunner()
HEADER = (
    "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b,source_id_a,source_id_b,continent_a,continent_b,sources"
)


def cli(db, *args):
    return runner.invoke(app, ["--store", f"sqlite:///{db}", *args])


def write(tmp_path, text: str, name="pairs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def accounted(report) -> bool:
    return report["rows_read"] == report["rows_imported"] + report["duplicates"] + report["rows_rejected"]


def test_small_file_creates_cities_pairs_and_located_in(tmp_path):
    path = write(
        tmp_path,
        HEADER + "\n"
        "Nanning,CN,22.8167,108.3275,Khon Kaen,TH,16.4333,102.8333,,,AS,AS,wikipedia_en\n"
        "Nanning,CN,22.82,108.33,Bogor,ID,-6.6,106.8,,Q10393,AS,AS,wikipedia_en\n"
        "Khon Kaen,TH,16.44,102.83,Nanning,CN,22.82,108.32,,,AS,AS,wikipedia_en\n",
    )
    result = cli(tmp_path / "s.db", "import", "pairs", str(path), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["rows_read"], report["rows_imported"], report["duplicates"]) == (3, 2, 1)  # row 4 = row 2 reversed
    assert (report["cities_created"], report["pairs_created"], report["pairs_already_present"]) == (3, 2, 1)
    assert accounted(report)
    store = SQLiteStore(tmp_path / "s.db")
    assert store.get_node("wikidata:Q10393").name == "Bogor"
    assert store.counts()["edges"]["SISTER_CITY"] == report["pairs_created"]
    assert store.counts()["edges"]["LOCATED_IN"] == report["cities_created"]
    assert store.counts()["nodes"]["Country"] == 252
    located = store.neighbourhood("wikidata:Q10393", 1, [EdgeType.LOCATED_IN])
    assert "ID" in {n.id for n in located.nodes}


def test_a_row_naming_the_city_in_chinese_resolves_to_the_same_city(tmp_path):
    path = write(
        tmp_path,
        HEADER + "\n"
        "Nanning,CN,22.8167,108.3275,Khon Kaen,TH,16.4333,102.8333,,,AS,AS,wikipedia_en\n"
        "南宁,CN,22.82,108.32,Khon Kaen,TH,16.44,102.83,,,AS,AS,wikipedia_en\n",
    )
    report = json.loads(cli(tmp_path / "zh.db", "import", "pairs", str(path), "--json").output)
    assert (report["rows_imported"], report["duplicates"], report["cities_created"]) == (1, 1, 2)
    found = SQLiteStore(tmp_path / "zh.db").find_nodes(kind=NodeKind.CITY, country="CN")
    assert [(n.name, n.name_zh) for n in found] == [("Nanning", "南宁")], "the file's Chinese name is kept"


def test_real_file_on_empty_store_then_again(pairs_db, shared_data, tmp_path):
    first = pairs_db.reports["pairs"]
    assert first["rows_read"] == 28_723 and accounted(first)
    assert first["pairs_created"] == first["rows_imported"] > 28_000
    assert first["rows_rejected"] >= 50
    assert all(r["row"] >= 2 and r["reason"] for r in first["rejected"])
    assert any("Northern Cyprus" in r["reason"] for r in first["rejected"])
    store = SQLiteStore(pairs_db.copy_to(tmp_path))
    counts = store.counts()
    assert counts["edges"]["SISTER_CITY"] == first["pairs_created"]
    assert counts["nodes"]["City"] == first["cities_created"]
    again = import_pairs(store, (shared_data / "sister_pairs.csv").read_bytes()).model_dump()
    assert again["nodes_created"] == again["edges_created"] == again["cities_created"] == again["pairs_created"] == 0
    assert accounted(again) and again["rows_rejected"] == first["rows_rejected"]
    assert store.counts() == counts
    nanning = [n for n in store.find_nodes("Nanning", kind=NodeKind.CITY) if n.country == "CN"]
    assert len(nanning) == 1
    partners = store.neighbourhood(nanning[0].id, 1, [EdgeType.SISTER_CITY])
    assert len(partners.nodes) - 1 == 20  # the README: Nanning has 20 partners in this file


def test_real_file_after_geo_merges_with_geonames(world_db, shared_data, tmp_path):
    first = world_db.reports["pairs"]
    assert accounted(first)
    assert first["cities_merged_geonames"] > 5_000 and first["cities_merged"] == first["cities_merged_geonames"]
    store = SQLiteStore(world_db.copy_to(tmp_path))
    partners = store.neighbourhood("geonames:1799869", 1, [EdgeType.SISTER_CITY])
    assert {"geonames:1609776", "geonames:1648473"} <= {n.id for n in partners.nodes}  # Khon Kaen, Bogor
    counts = store.counts()
    again = import_pairs(store, (shared_data / "sister_pairs.csv").read_bytes()).model_dump()
    assert again["nodes_created"] == again["edges_created"] == 0 and accounted(again)
    assert store.counts() == counts


BAD_ROWS = [
    ("Nanning,,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "country_a is empty"),
    ("Nanning,CN,200,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "lat_a 200 is out of range"),
    (",CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "city_a is empty"),
    ("Nanning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,,extra", "row has 14 fields; the header has 13"),
    ("Nanning,CN,22.8,108.3,Famagusta,Northern Cyprus,35.1,33.9,,,,,", "'Northern Cyprus' is not an ISO-3166"),
    ("Nanning,CN,abc,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "lat_a 'abc' is not a number"),
    ("Nanning,CN,22.8,,Khon Kaen,TH,16.4,102.8,,,,,", "must be given together"),
    ("Nanning,CN,22.8,108.3,Khon Kaen,ZZ,16.4,102.8,,,,,", "'ZZ' is not a known country code"),
    ("Nanning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,X12,,,,", "not a Wikidata Q-id"),
    ("Nanning,CN,22.8,108.3,Nanning,CN,22.8,108.3,,,,,", "both sides are the same city"),
    ("Nan\x01ning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "control characters"),
]


def test_bad_rows_are_reported_and_good_rows_imported(tmp_path):
    good = ["Nanning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "Nanning,CN,22.8,108.3,Bogor,ID,-6.6,106.8,,,,,"]
    lines = [HEADER, good[0], *(row for row, _ in BAD_ROWS), good[1]]
    result = cli(tmp_path / "b.db", "import", "pairs", str(write(tmp_path, "\n".join(lines) + "\n")), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rows_imported"] == 2 and report["rows_rejected"] == len(BAD_ROWS) and accounted(report)
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    for line, (_, expected) in enumerate(BAD_ROWS, start=3):
        assert expected in reasons[line], (line, reasons.get(line))


def test_tier_status_since_level_columns(tmp_path):
    text = (
        HEADER + ",tier,status,since,level\n"
        "Nanning,CN,22.8,108.3,Bogor,ID,-6.6,106.8,,,,,,friendly,negotiating,2012-04,prefecture\n"
        "Nanning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,,,,,\n"
        "Nanning,CN,22.8,108.3,Uki,JP,32.6,130.7,,,,,,cousin,,,\n"
        "Nanning,CN,22.8,108.3,Hue,VN,16.5,107.6,,,,,,sister,sleeping,,\n"
        "Nanning,CN,22.8,108.3,Vinh,VN,18.7,105.7,,,,,,sister,,2012-13,\n"
    )
    result = cli(tmp_path / "t.db", "import", "pairs", str(write(tmp_path, text)), "--tier", "friendly", "--json")
    report = json.loads(result.output)
    assert report["rows_imported"] == 2 and report["rows_rejected"] == 3
    assert [r["row"] for r in report["rejected"]] == [4, 5, 6]
    assert "unknown tier 'cousin'" in report["rejected"][0]["reason"]
    store = SQLiteStore(tmp_path / "t.db")
    edges = {
        e.dst if "bogor" in e.dst else e.src: e for e in store.snapshot().edges if e.type is EdgeType.FRIENDLY_EXCHANGE
    }
    bogor = next(e for e in store.snapshot().edges if "bogor" in e.id)
    assert (bogor.type, bogor.status.value, bogor.since, bogor.level.value) == (
        EdgeType.FRIENDLY_EXCHANGE,
        "negotiating",
        "2012-04",
        "prefecture",
    )
    assert len(edges) == 2  # the Khon Kaen row took --tier friendly


@pytest.mark.parametrize(
    "content, message",
    [
        (os.urandom(4096) + b"\x00", "NUL bytes"),
        (b"\xff\xfe\x00b\x00a\x00d", "NUL bytes"),
        (b"\xc3\x28garbage,bytes\n", "not a UTF-8 CSV file"),
        (json.dumps({"format": "partner-graph", "nodes": [], "edges": []}).encode(), "not a pairs CSV"),
        (b"", "the file is empty"),
        (b"name,country\nNanning,CN\n", "not a pairs CSV"),
        ((HEADER + ",colour\n").encode(), "unknown column"),
    ],
)
def test_garbage_files_fail_clearly_and_write_nothing(tmp_path, content, message):
    db = tmp_path / "g.db"
    store = SQLiteStore(db)
    store.upsert_nodes([Node(id="x", kind=NodeKind.CITY, name="X")])
    revision = store.revision()
    path = tmp_path / "garbage.csv"
    path.write_bytes(content)
    result = cli(db, "import", "pairs", str(path))
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert store.revision() == revision
    with pytest.raises(PairsFileError):
        import_pairs(store, content)
    assert store.revision() == revision


def run_on_a_terminal(db, *args) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a subprocess whose stderr rich treats as a terminal, so it draws its bars."""
    command = [str(Path(sys.executable).with_name("partner-graph")), "--store", f"sqlite:///{db}", *args]
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_the_progress_bar_counts_the_rows_the_report_reads(tmp_path):
    good = ["Nanning,CN,22.8,108.3,Khon Kaen,TH,16.4,102.8,,,,,", "Nanning,CN,22.8,108.3,Bogor,ID,-6.6,106.8,,,,,"]
    lines = [HEADER, good[0], *(row for row, _ in BAD_ROWS), good[1]]
    done = run_on_a_terminal(tmp_path / "p.db", "import", "pairs", str(write(tmp_path, "\n".join(lines) + "\n")))
    assert done.returncode == 0, done.stderr
    read = len(lines) - 1
    assert f"{read}/{read}" in done.stderr and "100%" in done.stderr, done.stderr[-500:]
    assert f"Rows read {read}:" in done.stdout, done.stdout


def test_a_refused_file_prints_its_error_without_a_bar(tmp_path):
    done = run_on_a_terminal(tmp_path / "r.db", "import", "pairs", str(write(tmp_path, "name,country\nNanning,CN\n")))
    assert done.returncode == 1 and "not a pairs CSV" in done.stderr
    assert "/?" not in done.stderr and "0%" not in done.stderr and "pairs " not in done.stderr.split("error")[0]


def test_missing_file_is_a_clear_error(tmp_path):
    result = cli(tmp_path / "m.db", "import", "pairs", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "nope.csv" in result.output and "Traceback" not in result.output


def test_injection_strings_are_stored_verbatim(tmp_path):
    name = "Robert'); DROP TABLE nodes;--"
    path = write(tmp_path, HEADER + f'\n"{name}",GB,51.5,-0.1,Khon Kaen,TH,16.4,102.8,,,,,\n')
    result = cli(tmp_path / "i.db", "import", "pairs", str(path), "--json")
    assert json.loads(result.output)["rows_imported"] == 1
    store = SQLiteStore(tmp_path / "i.db")
    assert [n.name for n in store.find_nodes("Robert", kind=NodeKind.CITY)] == [name]


def test_same_place_variants_merge_and_districts_are_reported(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    text = (
        "city_a,country_a,lat_a,lon_a,city_b,country_b,lat_b,lon_b\n"
        "Linz,AT,48.3,14.28333,Halle,DE,51.4824,11.9713\n"
        "Jiaxing,CN,30.7522,120.75,Halle (Saale),DE,51.48278,11.96972\n"
        "Tianjin,CN,39.14667,117.20556,City of Melbourne,AU,-37.81361,144.96306\n"
        "Osaka,JP,34.69361,135.50194,Melbourne,AU,-37.8142,144.9632\n"
        "Vienna,AT,48.2082,16.3738,Budapest,HU,47.4979,19.0402\n"
        "Floridsdorf (Vienna),AT,48.2474,16.4151,Budapest XIII,HU,47.545,19.0735\n"
        "Wels,AT,48.16,14.03,Budapest XVIII,HU,47.4594,19.1747\n"
    )
    report = import_pairs(store, text.encode())
    assert (report.rows_imported, report.duplicates) == (6, 1), "Floridsdorf–Budapest XIII is Vienna–Budapest again"
    names = {n.name for n in store.snapshot().nodes if n.kind is NodeKind.CITY}
    assert names == {"Linz", "Halle", "Jiaxing", "Tianjin", "City of Melbourne", "Osaka", "Vienna", "Budapest",
                     "Wels", "Budapest XVIII"}, "Budapest XVIII lies 11 km from Budapest's point: no merge"
    assert report.districts_merged == 2
    assert {(d.name, d.row) for d in report.districts} == {("Floridsdorf (Vienna)", 7), ("Budapest XIII", 7)}
    budapest = next(n for n in store.snapshot().nodes if n.name == "Budapest")
    assert "Budapest XIII" in budapest.alt_names
    store.close()
