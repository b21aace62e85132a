"""The information base on the command line, on the canonical world: timeline, attention, workbook,
annual report, gaps by tier and the spreadsheet import (preview, then commit)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.services import exchanges
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records

runner = CliRunner()
LAST = date.today().year - 1


def run(db, *args):
    result = runner.invoke(app, ["--store", f"sqlite:///{db}", *args])
    return result


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "records.db"
    store = SQLiteStore(path)
    nodes, edges = canonical_records()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    store.upsert_nodes([store.get_node("nn").model_copy(update={"name_zh": "南宁"})])
    exchanges.record_exchange(store, "nn", {"counterpart_id": "kk", "field": "education", "date": f"{LAST}-04-02",
                                            "title": "Teachers", "direction": "outbound"}, actor="test")
    store.close()
    return path


def test_timeline_attention_and_annual_report(db):
    result = run(db, "timeline", "南宁", "--json", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert [(e["date"], e["code"]) for e in json.loads(result.output)["events"]] == [(f"{LAST}-04-02", "education")]
    result = run(db, "attention", "Nanning", "--json")
    assert {(a["partner"], a["code"]) for a in json.loads(result.output)["attention"]} == {("hp", "never")}
    result = run(db, "annual", "Nanning", "--year", str(LAST), "--json")
    assert json.loads(result.output)["exchanges_by_field"] == {"education": 1}
    assert run(db, "attention").exit_code == 1, "a city or a province is needed"


def test_report_writes_a_workbook(db, tmp_path):
    out = tmp_path / "nanning.xlsx"
    result = run(db, "report", "Nanning", "--out", str(out), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[0] == "友城"
    assert run(db, "report", "Nanning", "--out", str(tmp_path / "no" / "x.xlsx")).exit_code == 1


def test_gaps_by_tier(db):
    every = json.loads(run(db, "gaps", "Nanning", "--by", "country", "--json").output)
    sister = json.loads(run(db, "gaps", "Nanning", "--by", "country", "--json", "--coverage", "sister").output)
    gap_countries = {g["id"]: [x["country"] for x in g["gap_countries"]] for g in every["groups"]}
    sister_gaps = {g["id"]: [x["country"] for x in g["gap_countries"]] for g in sister["groups"]}
    assert "VN" not in gap_countries["VN"] and "VN" in sister_gaps["VN"]
    assert run(db, "gaps", "Nanning", "--coverage", "cousin").exit_code == 1


def test_import_sheet_previews_then_commits(db, tmp_path):
    sheet = tmp_path / "office.csv"
    sheet.write_text("我方城市,外方城市,国家,结好日期\n南宁市,Khon Kaen,泰国,1998年5月12日\n南宁市,,TH,\n",
                     encoding="utf-8-sig")
    preview = json.loads(run(db, "import", "sheet", str(sheet), "--json").output)
    assert preview["counts"] == {"created": 0, "enriched": 1, "unchanged": 0, "conflict": 0, "rejected": 1, "rows": 2}
    assert SQLiteStore(db).get_edge("kk|SISTER_CITY|nn").since is None, "a preview writes nothing"
    done = json.loads(run(db, "import", "sheet", str(sheet), "--commit", "--json").output)
    assert done["committed"] and SQLiteStore(db).get_edge("kk|SISTER_CITY|nn").since == "1998-05-12"
    result = run(db, "import", "sheet", str(sheet), "--map", "国家=planet")
    assert result.exit_code == 1 and "unknown field" in result.output


def test_an_office_spreadsheet_given_to_import_pairs_is_pointed_to_import_sheet(db, shared_data):
    """Finding F9: ``import pairs guangxi_pairs.csv`` refused the file without saying how to import it."""
    result = run(db, "import", "pairs", str(shared_data / "guangxi_pairs.csv"))
    assert result.exit_code != 0
    assert "not a pairs CSV" in result.output and "partner-graph import sheet" in " ".join(result.output.split())
