"""A vectorised geo index: great-circle (haversine) distances from one point to many cities at once.

The distance itself is ``graph_service.geodesy.haversine_km``.

>>> index = GeoIndex(["a", "b"], [22.8, 13.75], [108.3, 100.5])
>>> [(i, round(d)) for i, d in index.within(22.8, 108.3, 1000)]
[('a', 0)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from graph_service.geodesy import EARTH_RADIUS_KM, haversine_km


class GeoIndex:
    """Cities with coordinates, as numpy arrays, for radius and nearest queries.

    Radius queries first cut a latitude band with a binary search over the cities sorted by
    latitude, then compute exact distances inside the band only.
    """

    def __init__(self, ids: Sequence[str], lats: npt.ArrayLike, lons: npt.ArrayLike):
        self.ids = list(ids)
        self.lats = np.asarray(lats, dtype=np.float64)
        self.lons = np.asarray(lons, dtype=np.float64)
        self.position = {node_id: i for i, node_id in enumerate(self.ids)}
        self._by_lat = np.argsort(self.lats, kind="stable")
        self._sorted_lats = self.lats[self._by_lat]

    def __len__(self) -> int:
        return len(self.ids)

    def distances(self, lat: float, lon: float) -> np.ndarray:
        """Distance in km from the point to every indexed city, in index order."""
        return haversine_km(lat, lon, self.lats, self.lons)

    def within_positions(self, lat: float, lon: float, radius_km: float) -> tuple[np.ndarray, np.ndarray]:
        """Index positions and distances (km) of the cities within ``radius_km``, nearest first."""
        band = np.degrees(radius_km / EARTH_RADIUS_KM)
        lo, hi = np.searchsorted(self._sorted_lats, [lat - band, lat + band + 1e-9])
        rows = self._by_lat[lo:hi]
        widest = max(abs(lat) + band, 0.0)
        if widest < 89:
            lon_band = band / np.cos(np.radians(widest))
            gap = np.abs((self.lons[rows] - lon + 180.0) % 360.0 - 180.0)
            rows = rows[gap <= lon_band + 1e-9]
        dist = haversine_km(lat, lon, self.lats[rows], self.lons[rows])
        keep = dist <= radius_km
        rows, dist = rows[keep], dist[keep]
        order = np.lexsort((rows, dist))
        return rows[order], dist[order]

    def within(self, lat: float, lon: float, radius_km: float) -> list[tuple[str, float]]:
        """Cities within ``radius_km`` of the point, nearest first, as (id, km)."""
        rows, dist = self.within_positions(lat, lon, radius_km)
        return [(self.ids[i], float(d)) for i, d in zip(rows, dist, strict=True)]

    def nearest(self, lat: float, lon: float, k: int = 1) -> list[tuple[str, float]]:
        """The ``k`` nearest indexed cities to the point, as (id, km)."""
        if not self.ids:
            return []
        dist = self.distances(lat, lon)
        k = min(k, len(dist))
        top = np.argpartition(dist, k - 1)[:k]
        top = top[np.argsort(dist[top], kind="stable")]
        return [(self.ids[i], float(dist[i])) for i in top]
