"""Issue 9, acceptance 3 and search: Chinese names are Simplified and, for mainland cities, read as the
English name; search finds 胡志明, 贺州 and 賀州, and a Chinese query ranks the Chinese city first.

On GeoNames records (the choice itself) and on the world dataset (every Chinese city with partners)."""

from __future__ import annotations

import pytest

from graph_service.analysis import projection
from graph_service.ingest.geo import city_node, geonames_cities
from graph_service.model import CityLevel
from graph_service.names_zh import is_non_pinyin, reads_as, simplified
from graph_service.services.cities import resolve_city

CHINA = {"CN", "TW", "HK", "MO"}


@pytest.mark.parametrize("geonames_id, name_zh", [
    ("1816269", "百色"),       # Baise: GeoNames lists 百城 first
    ("1815286", "成都"),       # Chengdu: GeoNames lists 天府 first
    ("1788572", "新乡"),       # Xinxiang: GeoNames lists 南干道 first
    ("7576887", "贺州"),       # Hezhou: GeoNames lists the Traditional 賀州 first
    ("2036892", "呼和浩特"),    # Hohhot: a Mongolian name, no pinyin
    ("1566083", "胡志明市"),    # Ho Chi Minh City: its Han name sits past the 60th alternate name
])
def test_the_chinese_name_chosen_from_geonames(geonames_id, name_zh):
    assert city_node(geonames_cities(15_000)[geonames_id]).name_zh == name_zh


def test_every_chinese_city_with_partners_is_named_in_simplified_characters_that_read_as_its_name(world_db):
    proj = projection(world_db.open())
    with_partners = [proj.nodes[c] for c in proj.ties.by_city if proj.country_of(c) in CHINA]
    assert len(with_partners) > 400
    named = [n for n in with_partners if n.name_zh]
    assert len(named) > 0.5 * len(with_partners), "most Chinese cities with partners have a Chinese name"
    traditional = [(n.id, n.name_zh) for n in named if simplified(n.name_zh) != n.name_zh]
    assert traditional == []
    mainland = [n for n in named if proj.country_of(n.id) == "CN" and not is_non_pinyin(n.name)
                and n.level is not CityLevel.PROVINCE]  # provinces carry their official names: 广西壮族自治区
    misread = [(n.id, n.name, n.name_zh) for n in mainland if not reads_as(n.name_zh, n.name)]
    assert misread == []


@pytest.mark.parametrize("query, expected", [
    ("胡志明", "Ho Chi Minh City"), ("贺州", "Hezhou"), ("賀州", "Hezhou"), ("北海", "Beihai"),
    ("百色", "Baise"), ("Nanning", "Nanning"), ("南宁", "Nanning"),
])
def test_search_finds_current_chinese_names_first(world_geo_db, query, expected):
    store = world_geo_db.open()
    found = store.find_nodes(query, kind="City", limit=5)
    assert found and found[0].name == expected, [(n.name, n.country) for n in found]
    if query != "胡志明":  # a prefix, not a name: find ranks it, resolving needs the whole name
        assert resolve_city(store, query).name == expected


def test_a_former_name_ranks_below_the_city_that_bears_it(world_geo_db):
    store = world_geo_db.open()
    found = store.find_nodes("Nanning", kind="City", limit=10)
    assert found[0].id == "geonames:1799869"
    assert len(found) > 1, "GeoNames gives another city the former name Nanning"
