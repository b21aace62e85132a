"""Great-circle distance on a spherical Earth (haversine), for one pair or for many at once.

The one formula behind entity resolution (a row's city within 25 km of a stored one) and the
analysis geo index (cities within R km of a partner). Arguments broadcast like numpy arrays.

>>> round(float(haversine_km(22.82, 108.32, 13.75, 100.50)))
1303
>>> [round(d) for d in haversine_km(22.82, 108.32, np.array([22.82, 21.03]), np.array([108.32, 105.85]))]
[0, 323]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG)."""

Degrees = float | npt.NDArray[np.float64]


def haversine_km(lat: Degrees, lon: Degrees, lats: Degrees, lons: Degrees) -> npt.NDArray[np.float64]:
    """Distances in km from (lat, lon) to every (lats[i], lons[i]); all angles in degrees."""
    phi1, lam1 = np.radians(lat), np.radians(lon)
    phi2, lam2 = np.radians(lats), np.radians(lons)
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)
