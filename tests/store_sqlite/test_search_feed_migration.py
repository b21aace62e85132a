"""SQLite-only parts of the store: FTS5 search paths and upgrading a version-1 file (the change feed
itself is in the contract suite, tests/store_contract/test_change_feed.py, on both adapters)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from graph_service.model import Node
from graph_service.store.sqlite import MIGRATIONS, SCHEMA_VERSION, SQLiteStore


def city(id_: str, name: str, country: str = "CN", **extra) -> Node:
    return Node(id=id_, kind="City", name=name, country=country, **extra)


@pytest.fixture
def cities(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert_nodes([
        city("nn", "Nanning", name_zh="南宁", population=8_000_000),
        city("nj", "Nanjing", name_zh="南京", population=9_000_000),
        city("bj", "Beijing", name_zh="北京", population=21_000_000),
        city("tk", "Tokyo", "JP", name_zh="东京", alt_names=["東京"], population=14_000_000),
        city("sa", "San Jose", "US", population=1_000_000),
        city("sf", "San Francisco", "US", population=800_000),
        city("ss", "Busan", "KR", alt_names=["부산"], population=3_400_000),
    ])
    yield store
    store.close()


def ids(store, text: str) -> list[str]:
    return [n.id for n in store.find_nodes(text)]


def test_one_and_two_character_cjk_queries_find_substrings(cities):
    assert ids(cities, "京") == ["bj", "nj", "tk"]  # substrings; for a Han query Chinese places first
    assert ids(cities, "南") == ["nj", "nn"]  # a prefix of both: population decides
    assert ids(cities, "南宁") == ["nn"]
    assert ids(cities, "宁南") == []  # two characters in the wrong order do not match
    assert ids(cities, "부산") == ["ss"]


def test_ranking_is_exact_then_prefix_then_substring_then_population(cities):
    assert ids(cities, "nanjing") == ["nj"]
    assert ids(cities, "nan") == ["nj", "nn"]  # prefixes, by population
    assert ids(cities, "jing") == ["bj", "tk", "nj"]  # substrings (东京 is dongjing), by population
    assert ids(cities, "san") == ["sa", "sf", "ss"]  # prefixes first, then Busan's substring
    assert ids(cities, "San Francisco") == ["sf"] and ids(cities, "sanfrancisco") == ["sf"]


def test_partial_own_names_come_before_partial_alternate_names(cities):
    """GeoNames' old romanisations must not crowd out the places whose own names hold the query (F30)."""
    cities.upsert_nodes([
        city("hcm", "Ho Chi Minh City", "VN", name_zh="胡志明市", population=14_000_000),
        city("d1", "District 1 (Ho Chi Minh City)", "VN"),
        city("hz", "Hezhou", name_zh="贺州", alt_names=["Ho-chiu Chhi"], population=1_000_000),
        city("by", "Baiyin", name_zh="白银", alt_names=["Aho Chia Chuan"], population=300_000),
    ])
    assert ids(cities, "Ho Chi") == ["hcm", "d1", "hz", "by"]
    assert ids(cities, "hochi") == ["hcm", "d1", "hz", "by"]


def test_short_latin_queries_and_fts_syntax_are_plain_text(cities):
    assert ids(cities, "sa") == ["sa", "sf", "ss"]
    assert ids(cities, '"') == [] and ids(cities, 'nan" OR "x') == []
    assert ids(cities, "AND") == [] and ids(cities, "*") == []


def test_search_follows_renames_and_deletes(cities):
    cities.upsert_nodes([city("nn", "Nanning", name_zh="邕城", population=8_000_000)])
    assert ids(cities, "南宁") == [] and ids(cities, "邕") == ["nn"]
    cities.delete_nodes(["nn"])
    assert ids(cities, "邕") == [] and ids(cities, "nanning") == []


def test_a_version_1_file_upgrades_with_search_and_feed(tmp_path):
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as conn:
        for statement in MIGRATIONS[0]:
            conn.execute(statement)
        conn.execute("INSERT INTO nodes VALUES ('nn', 'City', 'Nanning', 'CN', 1, ?, ?)",
                     ("nanning\n南宁", '{"country":"CN","id":"nn","kind":"City","name":"Nanning","name_zh":"南宁"}'))
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'revision'")
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    store = SQLiteStore(path)
    assert store.schema_version() == SCHEMA_VERSION == 4
    assert store.column_mapping("城市") is None, "version 4 adds the spreadsheet import's column mappings"
    assert ids(store, "南宁") == ["nn"] and ids(store, "宁") == ["nn"] and ids(store, "anni") == ["nn"]
    assert store.changes_since(4) is None and store.changes_since(5).nodes == {}
    store.upsert_nodes([city("bj", "Beijing", name_zh="北京")])
    assert set(store.changes_since(5).nodes) == {"bj"}
    store.close()


def test_sql_ranking_is_search_rank(cities):
    """The ORDER BY the store sorts with gives the order ``text.search_rank`` defines, on every query."""
    from graph_service.text import normalise, search_rank, search_text

    cities.upsert_nodes([
        city("q1", "Qujing", name_zh="曲靖", alt_names=["Nanning"], population=6_000_000),  # a former name
        city("tp", "Taipei", "TW", name_zh="台北", population=2_600_000),
        city("hk", "Hong Kong", "HK", name_zh="香港", population=7_000_000),
        city("bw", "Butterworth", "MY", name_zh="北海", population=80_000),
        city("bh", "Beihai", name_zh="北海", population=0),
        city("nz", "Nanzhang", population=None),
        city("hcm", "Ho Chi Minh City", "VN", population=14_000_000),
        city("d1", "District 1 (Ho Chi Minh City)", "VN"),
        city("hz", "Hezhou", name_zh="贺州", alt_names=["Ho-chiu Chhi"], population=1_000_000),
    ])
    nodes = [n for n in cities.snapshot().nodes]
    queries = ["nanning", "nan", "南", "北海", "北", "ning", "an", "jing", "京", "san", "hong kong", "zhang", "ho chi",
               "chi"]
    for text in queries:
        query = normalise(text)
        forms = {query, query.replace(" ", "")}
        texts = {n.id: search_text(n.name, n.name_zh, n.alt_names) for n in nodes}
        matching = [n for n in nodes if any(f in texts[n.id] for f in forms)]
        expected = sorted(matching, key=lambda n: (search_rank(query, texts[n.id], n.country, n.population), n.id))
        assert ids(cities, text) == [n.id for n in expected], text
