"""Regional features: what the home city's neighbours at home have already done.

- ``peer_partners``: 1 − exp(−S), S = Σ exp(−d(u, p)/100 km) over the cities p of u's own country
  within 500 km of u that are already partners of v. Neighbouring cities of one province twin with
  the same foreign region (Guangxi with Vietnam and Thailand, Heilongjiang with the Russian Far East):
  a candidate that the home city's neighbours already chose is a likely one.

u is the home city, v a candidate.
"""

from __future__ import annotations

import numpy as np

from graph_service.analysis.features.base import Explanation, Feature, FloatArray, Group, Scoring, squash

LIKELIHOOD: Group = "likelihood"
PEER_RADIUS_KM = 500.0
PEER_SCALE_KM = 100.0


def nearby_peers(s: Scoring) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the home country's cities within ``PEER_RADIUS_KM`` of home (home left out), and their km."""
    def build() -> tuple[np.ndarray, np.ndarray]:
        cities = s.proj.cities
        home_ci = cities.country[s.home_pos]
        if home_ci < 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        near, km = s.proj.geo.near(s.home_pos, PEER_RADIUS_KM)
        keep = (cities.country[near] == home_ci) & (near != s.home_pos)
        return near[keep], km[keep]
    return s.proj.memo(("nearby_peers", s.home), build)


class PeerPartners(Feature):
    name, weight, group = "peer_partners", 0.5, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        peers, km = nearby_peers(s)
        ties, n = s.proj.ties, len(s.proj.cities)
        if not len(peers):
            return np.zeros(len(s.cand))
        ends = [ties.adjacency[p] for p in peers]
        weights = np.repeat(np.exp(-km / PEER_SCALE_KM), [len(e) for e in ends])
        total = np.zeros(n)
        if len(weights):
            total = np.bincount(np.concatenate(ends), weights=weights, minlength=n).astype(np.float64)
        return squash(total[s.cand], 1.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        peers, km = nearby_peers(s)
        ids, position = s.proj.cities.ids, s.proj.cities.position
        chosen = [(float(d), ids[p]) for p, d in zip(peers, km, strict=True)
                  if ids[p] in s.proj.partners(cand) and position[ids[p]] != s.home_pos]
        if not chosen:
            return None
        chosen.sort()
        chosen_ids = [p for _, p in chosen]
        return Explanation("peer_partners", {"peers": chosen_ids, "km": round(chosen[-1][0]), "home": s.home},
                           chosen_ids)


REGIONAL_FEATURES: tuple[Feature, ...] = (PeerPartners(),)
