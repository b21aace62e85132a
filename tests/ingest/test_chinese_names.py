"""Issue 9, acceptance 3 and search: Chinese names are Simplified and, for mainland cities, read as the
English name; search finds 胡志明, 贺州 and 賀州, and a Chinese query ranks the Chinese city first.

On GeoNames records (the choice itself) and on the world dataset (every Chinese city with partners)."""

from __future__ import annotations

import json

import pytest

from graph_service.analysis import projection
from graph_service.ingest.country_names_zh import COUNTRY_NAMES_ZH
from graph_service.ingest.geo import city_node, geonames_cities
from graph_service.model import CityLevel
from graph_service.names_zh import CITY_NAMES_ZH, is_non_pinyin, japanese_forms, reads_as, simplified
from graph_service.services.cities import resolve_city
from tests.conftest import run_cli

CHINA = {"CN", "TW", "HK", "MO"}


@pytest.mark.parametrize("geonames_id, name_zh", [
    ("1816269", "百色"),       # Baise: GeoNames lists 百城 first
    ("1815286", "成都"),       # Chengdu: GeoNames lists 天府 first
    ("1788572", "新乡"),       # Xinxiang: GeoNames lists 南干道 first
    ("7576887", "贺州"),       # Hezhou: GeoNames lists the Traditional 賀州 first
    ("2036892", "呼和浩特"),    # Hohhot: a Mongolian name, no pinyin
    ("1566083", "胡志明市"),    # Ho Chi Minh City: its Han name sits past the 60th alternate name
    ("1811103", "佛山"),       # Foshan: GeoNames lists the Japanese 仏山市 first
    ("1816336", "滨州"),       # Binzhou: the Japanese 浜州市 first
    ("2033370", "营口"),       # Yingkou: the Japanese 営口 first
    ("1841810", "广州市"),     # Gwangju (Gyeonggi, KR): the Japanese 広州市 first
    ("1846266", "济州市"),     # Jeju City (KR): the Japanese 済州市 first
    ("1798655", "凭祥"),       # Pingxiang (Guangxi): GeoNames gives Jiangxi's 萍乡 (CITY_NAMES_ZH)
    ("1812138", "东兴"),       # Dongxing (Guangxi): no Chinese name in GeoNames (CITY_NAMES_ZH)
    ("1642911", "雅加达"),     # Jakarta: the archaic 勿礁維 first (CITY_NAMES_ZH)
    ("745044", "伊斯坦布尔"),   # Istanbul: 伊斯坦堡 (Taiwan usage) first (CITY_NAMES_ZH)
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
    japanese = [(n.id, n.name_zh) for n in named if japanese_forms(n.name_zh)]
    assert japanese == [], "Japanese forms (仏山, 営口, 徳州) are no Simplified Chinese"
    mainland = [n for n in named if proj.country_of(n.id) == "CN" and not is_non_pinyin(n.name)
                and n.level is not CityLevel.PROVINCE]  # provinces carry their official names: 广西壮族自治区
    misread = [(n.id, n.name, n.name_zh) for n in mainland if not reads_as(n.name_zh, n.name)]
    assert misread == []


def test_no_city_anywhere_in_the_world_dataset_has_a_japanese_or_traditional_name(world_db):
    """Beyond China: Korean and Japanese places too (済州市 → 济州市), with or without partners."""
    proj = projection(world_db.open())
    named = [n for n in proj.nodes.values() if n.name_zh]
    assert len(named) > 10_000
    assert [(n.id, n.name_zh) for n in named if japanese_forms(n.name_zh) or simplified(n.name_zh) != n.name_zh] == []


@pytest.mark.parametrize("text, found", [
    ("仏山 恵州 塩城 常徳 宝鶏 竜岩 本渓 浜州 営口 鉄岭 玉渓 広州市 済州市 八徳区",
     list("仏恵塩徳鶏竜渓浜営鉄渓広済徳")),
    ("賀州 欽州 來賓", list("賀欽來賓")),
    ("佛山 滨州 叙利亚 烟台 贵概 二郎 台北 余姚", []),
])
def test_japanese_and_traditional_forms_are_found_and_chinese_ones_are_not(text, found):
    assert japanese_forms(text) == found


def test_hand_corrected_names_are_simplified_and_palestine_is_named_as_the_prc_does():
    assert all(simplified(name) == name and not japanese_forms(name) for name in CITY_NAMES_ZH.values())
    assert COUNTRY_NAMES_ZH["PS"] == "巴勒斯坦"


@pytest.mark.parametrize("query, expected", [
    ("胡志明", "Ho Chi Minh City"), ("贺州", "Hezhou"), ("賀州", "Hezhou"), ("北海", "Beihai"),
    ("百色", "Baise"), ("Nanning", "Nanning"), ("南宁", "Nanning"), ("凭祥", "Pingxiang"), ("东兴", "Dongxing"),
    ("佛山", "Foshan"), ("雅加达", "Jakarta"),
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


def test_find_leaves_out_a_former_name_that_another_city_bears_today(world_geo_db):
    """``find Nanning`` is Nanning alone: Qujing's historical name Nanning is no match (finding F22)."""
    found = json.loads(run_cli(world_geo_db.path, "find", "Nanning", "--json"))
    assert [n["id"] for n in found] == ["geonames:1799869"]
    canton = [n["name"] for n in json.loads(run_cli(world_geo_db.path, "find", "Canton", "--json"))]
    assert "Guangzhou" in canton and canton[0] == "Canton", "a former name borne abroad still finds Guangzhou"
