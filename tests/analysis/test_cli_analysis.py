"""The analysis commands on a real SQLite file holding the canonical world."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.model import Node
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "world.db"
    store = SQLiteStore(path)
    nodes, edges = canonical_records()
    nodes.append(Node(id="nn2", kind="City", name="Nanning", country="FR"))  # a namesake, for ambiguity
    nodes.append(Node(id="bs", kind="City", name="Baise", country="CN", admin1="Guangxi"))
    nodes.append(Node(id="gx", kind="City", name="Guangxi", name_zh="广西", level="province", country="CN"))
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    store.close()
    return path


def run(db, *args):
    return runner.invoke(app, ["--store", f"sqlite:///{db}", *args])


def test_suggest_json(db):
    result = run(db, "suggest", "nn", "--json", "--limit", "5", "--strategy", "nanning-2012")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["city"]["id"] == "nn" and len(data["suggestions"]) == 5
    assert all(r["evidence"] for s in data["suggestions"] for r in s["reasons"])


def test_suggest_table_by_name_with_country(db):
    result = run(db, "suggest", "Nanning", "--country", "cn")
    assert result.exit_code == 0, result.output
    assert "Vientiane" in result.output


def test_ambiguous_and_unknown_city_are_clear_errors(db):
    result = run(db, "suggest", "Nanning")
    assert result.exit_code == 1 and "ambiguous" in result.output and "Traceback" not in result.output
    result = run(db, "gaps", "Atlantis", "--json")
    assert result.exit_code == 1 and "no City named 'Atlantis'" in result.output


def test_gaps_json_with_strategy(db):
    result = run(db, "gaps", "nn", "--by", "region", "--strategy", "nanning-2012", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    asean = next(g for g in data["groups"] if g["id"] == "ASEAN")
    gaps = {g["country"]: g for g in asean["gap_countries"]}
    assert set(gaps) == {"ID", "KH", "LA", "MY"}
    assert gaps["KH"]["priority"] == 1.0 and gaps["MY"]["priority"] == 1.0


def test_gaps_province_and_bad_options(db):
    for name in ("Guangxi", "广西"):
        result = run(db, "gaps", "--province", name, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["city"]["members"] == ["gx", "bs"]
    assert run(db, "gaps", "--province", "Atlantis").exit_code == 1
    assert run(db, "gaps", "nn", "--by", "planet").exit_code == 1
    assert run(db, "gaps").exit_code == 1
    result = run(db, "gaps", "nn", "--strategy", "no-such-profile")
    assert result.exit_code == 1 and "known strategies" in result.output


def test_gaps_table_for_city_without_partners(db):
    result = run(db, "gaps", "ud", "--by", "country")
    assert result.exit_code == 0, result.output


def test_metrics_and_strategies(db):
    result = run(db, "metrics", "nn", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {r["id"] for r in data["central_partners"]} == {"kk", "hp"}
    assert data["top_degree"][0]["id"] in {"kk", "vte"}
    assert run(db, "metrics").exit_code == 0
    result = run(db, "strategies")
    assert result.exit_code == 0 and "nanning-2012" in result.output
