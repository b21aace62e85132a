"""Chinese names of foreign cities across China's land border (entries of ``names_zh.CITY_NAMES_ZH``, issue
14): geo uses them, each is a real foreign GeoNames city near a Chinese one, and search finds them."""

from __future__ import annotations

import numpy as np
import pytest

from graph_service.geodesy import haversine_km
from graph_service.ingest.geo import city_node, geonames_cities
from graph_service.names_zh import CITY_NAMES_ZH, HAN_ONLY, simplified

DOMESTIC = {"CN", "TW", "HK", "MO"}
BORDER = ("1574507", "1576633", "1586185", "1581349", "1576303", "8456741", "1591538", "1586360", "1308318",
          "1319364", "1847826", "13494766", "1655078", "2026609", "2039623", "2042267", "2042645", "2042738",
          "2042893", "2044091", "1520253")
"""GeoNames ids of the foreign border cities in ``CITY_NAMES_ZH``, Móng Cái first."""


@pytest.mark.parametrize("geonames_id, name, name_zh", [
    ("1574507", "Móng Cái", "芒街"),               # no Han name in GeoNames; faces Dongxing
    ("1576633", "Lạng Sơn", "谅山"),               # no Han name in GeoNames; Pingxiang's crossing
    ("1576303", "Lào Cai", "老街"),                # GeoNames: 老街市
    ("2026609", "Blagoveshchensk", "布拉戈维申斯克"),  # GeoNames: the historical 海兰泡
])
def test_geo_names_border_cities_in_chinese(geonames_id, name, name_zh):
    node = city_node(geonames_cities(15_000)[geonames_id])
    assert (node.name, node.name_zh) == (name, name_zh)


def test_every_border_entry_is_a_foreign_city_within_100_km_of_a_chinese_city_named_in_simplified_characters():
    cities = geonames_cities(15_000)
    chinese = np.array([(c["latitude"], c["longitude"]) for c in cities.values() if c["countrycode"] == "CN"])
    for gid in BORDER:
        name_zh = CITY_NAMES_ZH[gid]
        record = cities[gid]
        assert record["countrycode"] not in DOMESTIC, (gid, record["name"])
        km = haversine_km(record["latitude"], record["longitude"], chinese[:, 0], chinese[:, 1])
        assert float(np.min(km)) <= 100, (gid, record["name"], float(np.min(km)))
        assert HAN_ONLY.match(name_zh) and simplified(name_zh) == name_zh, (gid, name_zh)


def test_search_finds_mong_cai_by_its_chinese_name(world_geo_db):
    found = world_geo_db.open().find_nodes("芒街", kind="City", limit=5)
    assert [(n.name, n.country) for n in found][:1] == [("Móng Cái", "VN")]
