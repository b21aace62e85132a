"""The package's data files: where the source tree finds them, and the generated tables' committed form.

That a wheel carries them is ``tests/test_install.py``'s job.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import graph_service.resources as resources
from graph_service.ingest.admin1_names import ADMIN1_NAMES
from graph_service.ingest.country_names_zh import COUNTRY_NAMES_ZH

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DATA = Path(resources.__file__).parent
TABLES = ("admin1_names.json", "country_names_zh.json")


def is_relative_link(path: Path) -> bool:
    return path.is_symlink() and not path.readlink().is_absolute()


@pytest.mark.parametrize(("link", "folder"), [("cypher", "cypher"), ("strategies", "seed/strategies")])
def test_source_tree_reads_the_clients_top_level_folders_through_links(link, folder):
    entry = PACKAGE_DATA / link
    assert is_relative_link(entry) and entry.resolve() == (ROOT / folder).resolve()
    assert Path(str(getattr(resources, f"{link}_dir")())).resolve() == (ROOT / folder).resolve()


def test_every_scenario_file_has_its_link_and_the_builder_script_none():
    links = sorted((PACKAGE_DATA / "scenario").iterdir())
    assert all(is_relative_link(p) for p in links)
    assert [p.resolve() for p in links] == sorted(p.resolve() for p in (ROOT / "seed" / "scenario").glob("*.json"))
    assert [p.name for p in resources.files_with_suffix(resources.scenario_dir(), ".json")] == [p.name for p in links]


@pytest.mark.parametrize("name", TABLES)
def test_tables_are_committed_sorted_one_entry_per_line(name):
    text = (PACKAGE_DATA / name).read_text(encoding="utf-8")
    table = resources.read_table(name)
    assert text == resources.table_text(table)
    lines = text.splitlines()[1:-1]
    assert len(lines) == len(table) > 200
    assert [line.split('"')[1] for line in lines] == sorted(table)


def test_tables_are_read_once_and_read_only():
    assert resources.read_table("admin1_names.json") is ADMIN1_NAMES
    with pytest.raises(TypeError):
        ADMIN1_NAMES["CN.16"] = "Zhuang"  # type: ignore[index]
    assert (ADMIN1_NAMES["CN.16"], COUNTRY_NAMES_ZH["CN"], COUNTRY_NAMES_ZH["TW"]) == ("Guangxi", "中国", "台湾")


@pytest.mark.parametrize("text", ['["CN"]', '{"CN": 1}', '{"CN": {"zh": "中国"}}', '"中国"'])
def test_a_table_that_is_not_strings_to_strings_is_refused_by_name(text):
    with pytest.raises(ValueError, match=r"^bad\.json must hold one JSON object"):
        resources.parse_table(text, "bad.json")


def test_write_table_replaces_the_file_whole(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("old", encoding="utf-8")
    resources.write_table(path, {"b": "乙", "a": "甲"})
    assert path.read_text(encoding="utf-8") == '{\n  "a": "甲",\n  "b": "乙"\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_files_with_suffix_lists_files_only_sorted(tmp_path):
    for name in ("b.yaml", "a.yaml", "c.txt", "a.yaml.bak"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "d.yaml").mkdir()
    assert [p.name for p in resources.files_with_suffix(tmp_path, ".yaml")] == ["a.yaml", "b.yaml"]


def test_admin1_generator_hand_entries_are_in_the_table_and_ties_follow_its_rule(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    script = ROOT / "scripts" / "generate_admin1_names.py"
    spec = importlib.util.spec_from_file_location("generate_admin1_names", script)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert {code: ADMIN1_NAMES[code] for code in generator.HAND_ENTERED} == generator.HAND_ENTERED
    assert generator.vote([("Irbid", 9586), ("Ajlun", 125557)]) == "Ajlun"
    assert generator.vote([("B", 5), ("A", 5)]) == "A"
    assert generator.vote([("Small", 1), ("Small", 2), ("Big", 1_000_000)]) == "Small"
