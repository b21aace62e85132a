"""The matching-city mode (寻找对等城市) and the tags import that feeds it, on the canonical world of
``conftest`` (Nanning is tagged buddhist-heritage, as is Chiang Mai)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph_service.analysis import projection
from graph_service.analysis.matching import match_cities
from graph_service.cli import app
from graph_service.errors import NotFound, TagsFileError
from graph_service.ingest.tags import import_tags
from graph_service.model import Node
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records


def test_shared_heritage_ranks_first_with_its_reason(world):
    report = match_cities(projection(world), "nn", limit=5)
    assert report.strategy == "match"
    top = report.suggestions[0]
    assert top.id == "cm"
    assert [r.kind for r in top.reasons] == ["shared_tags"]  # 130,000 is 29× smaller: no "similar size"
    assert top.reasons[0].text == "Shares Buddhist heritage with Nanning"
    ids = [s.id for s in report.suggestions]
    assert "kk" not in ids and "hp" not in ids, "existing partners are left out"
    assert not {"gl", "sz"} & set(ids), "the home country is left out"


def test_size_capital_and_port_reasons(world):
    ports = [n.model_copy(update={"tags": [*n.tags, "port"]}) for n in world.get_nodes(["nn", "hn"]).values()]
    world.upsert_nodes(ports)
    proj = projection(world)
    report = match_cities(proj, "nn", limit=20)
    hanoi = next(s for s in report.suggestions if s.id == "hn")
    kinds = {r.kind: r for r in hanoi.reasons}
    assert kinds["similar_size"].text == "Similar size: population 8,000,000 against 3,800,000 in Nanning"
    assert kinds["same_port_status"].text == "A port city, like Nanning"
    assert "both_capitals" not in kinds, "Nanning is no capital in the canonical world"
    assert sum(r.contribution for r in hanoi.reasons) == pytest.approx(hanoi.score, abs=1e-3)


def test_capital_status_from_the_country_and_from_tags(world):
    world.upsert_nodes([
        world.get_node("VN").model_copy(update={"attrs": {"capital": "Hanoi"}}),
        world.get_node("nn").model_copy(update={"tags": ["provincial-capital"]}),
    ])
    hanoi = next(s for s in match_cities(projection(world), "nn").suggestions if s.id == "hn")
    capital = next(r for r in hanoi.reasons if r.kind == "both_capitals")
    assert capital.text == "Hanoi is the capital of Vietnam; Nanning is a capital too"
    chinese = next(s for s in match_cities(projection(world), "nn", lang="zh").suggestions if s.id == "hn")
    assert [r.text for r in chinese.reasons if r.kind == "both_capitals"] == ["Hanoi是越南首都,Nanning也是首府城市"]


def test_unknown_city_and_nothing_to_match(world):
    with pytest.raises(NotFound):
        match_cities(projection(world), "nowhere")
    report = match_cities(projection(world), "nocoord")
    assert report.suggestions == [] and "import tags" in report.notes[0]
    chinese = match_cities(projection(world), "nocoord", lang="zh")
    assert chinese.notes[0] == "Nowhere没有人口或特色标签数据,无法寻找对等城市:请先导入标签或载入世界地理数据。"


def test_import_tags_adds_tags_by_id_or_name_in_one_write(world):
    before = world.revision()
    rows = b"city,country,tags\nud,,Ceramics; port\nChiang Mai,TH,ceramics\nnn,,buddhist-heritage\n"
    report = import_tags(world, rows)
    assert (report.rows_read, report.cities_updated, report.cities_unchanged, report.tags_added) == (3, 2, 1, 3)
    assert world.get_node("ud").tags == ["ceramics", "port"]
    assert world.get_node("cm").tags == ["buddhist-heritage", "ceramics"]
    assert world.revision() == before + 1, "one atomic write"
    matches = match_cities(projection(world), "cm", include_home_country=True).suggestions
    udon = next(s for s in matches if s.id == "ud")
    assert udon.reasons[0].text == "Shares ceramics with Chiang Mai"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"city,tags\n", "no rows"),
    (b"name,labels\nud,port\n", "not a tags CSV"),
    (b"city,tags,extra\nud,port,x\n", "not a tags CSV"),
    (b"city,tags\nud,port,x\n", "3 fields"),
    (b"city,tags\nud,Port City!\n", "bad tag 'Port City!'"),
    (b"city,tags\nud,\n", "no tags given"),
    (b"city,tags\nAtlantis,port\n", "give its country too"),
    (b"city,country,tags\nAtlantis,TH,port\n", "no city named 'Atlantis' in TH"),
    (b"city,tags\nud,port\n\xff\xfe", "not a UTF-8"),
    (b"city,tags\nud,\x00port\n", "NUL bytes"),
    (b"city,tags\nud,port\nbg,'; DROP TABLE nodes; --\n", "bad tag"),
])
def test_bad_tags_files_are_refused_and_change_nothing(world, content, message):
    before = (world.revision(), world.get_node("ud").tags)
    with pytest.raises(TagsFileError, match=message):
        import_tags(world, content)
    assert (world.revision(), world.get_node("ud").tags) == before


def test_ambiguous_name_is_refused():
    store = SQLiteStore(":memory:")
    store.upsert_nodes(canonical_records()[0])
    store.upsert_nodes([Node(id=i, kind="City", name="Lyon", country="FR") for i in ("x1", "x2")])
    with pytest.raises(TagsFileError, match="ambiguous"):
        import_tags(store, b"city,country,tags\nLyon,FR,silk\n")
    store.close()


def test_cli_import_tags_then_suggest_match(tmp_path):
    db = tmp_path / "w.db"
    store = SQLiteStore(db)
    nodes, edges = canonical_records()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    store.close()
    runner = CliRunner()
    tags = tmp_path / "tags.csv"
    tags.write_text("city,country,tags\nOsaka,JP,buddhist-heritage\n", encoding="utf-8")
    result = runner.invoke(app, ["--store", f"sqlite:///{db}", "import", "tags", str(tags), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["updated"] == ["os"]
    result = runner.invoke(app, ["--store", f"sqlite:///{db}", "suggest", "Nanning", "--match", "--json"])
    assert result.exit_code == 0, result.output
    top = [s["id"] for s in json.loads(result.output)["suggestions"][:2]]
    assert set(top) == {"cm", "os"}
    result = runner.invoke(app, ["--store", f"sqlite:///{db}", "suggest", "Nanning", "--match", "--strategy", "t"])
    assert result.exit_code == 1 and "--match ranks by similarity alone" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("city,tags\nAtlantis,port\n", encoding="utf-8")
    result = runner.invoke(app, ["--store", f"sqlite:///{db}", "import", "tags", str(bad)])
    assert result.exit_code == 1 and "line 2" in result.output and "Traceback" not in result.output
