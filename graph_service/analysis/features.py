"""Scoring features of a candidate city v for a home city u, each normalised to [0, 1].

Likelihood features (what tends to happen, learned from the partnership network):

- ``adamic_adar``: 1 − exp(−AA/2), AA = Σ 1/log deg(w) over partners w shared by u and v
  (Adamic & Adar 2003) over SISTER_CITY and FRIENDLY_EXCHANGE ties.
- ``resource_allocation``: 1 − exp(−4·RA), RA = Σ 1/deg(w) over the same w (Zhou, Lü & Zhang 2009).
- ``three_hop``: log(1 + 1000·p3) / log(1001), p3 the probability that a 3-step random walk over
  the ties from u ends at v (a local-path index, Lü, Jin & Zhou 2009): reaches beyond partners of partners.
- ``home_proximity``: exp(−d/200 km), d the distance from u to v (cross-border neighbours twin often).
- ``compatriot_ties``: 1 − exp(−n/2), n = v's partners in u's country ("already twinned with
  Chinese cities").
- ``country_affinity``: the share of all ties of u's country that go to v's country, divided by the
  largest such share (country-level habit: Chinese cities twin with Japanese cities often).
- ``partner_country_share``: the share of u's own partners that lie in v's country.
- ``popularity``: log(1 + deg v) / log(1 + max degree).
- ``partner_proximity``: 1 − d/R, d = km from v to u's nearest partner, R the strategy radius (以点带面).
- ``neighbour_country``: 1 when v's country borders a country where u has a partner (板块推进).
- ``size_similarity``: 1 − |log10 pop(u) − log10 pop(v)| / 2, clipped at 0; 0 when a population is unknown.
- ``shared_tags``: Jaccard similarity of the tag sets (e.g. ``buddhist-heritage``, ``port``).

Strategy features (what planners want), from the active profile:

- ``strategy_region``: the weight of the strongest strategy group that contains v's country.
- ``gap_country``: the profile's priority of v's country when u has no partner there.
- ``named_target``: 1 for a named target of the profile.
- ``institution``: 1 when a school, enterprise, honorary citizen, consulate or exchange links u to v
  (0.5 when the link is only to v's country, e.g. through a consulate).

>>> sorted(FEATURES)[:3]
['adamic_adar', 'compatriot_ties', 'country_affinity']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from graph_service.analysis.geo import haversine_km

if TYPE_CHECKING:
    from graph_service.analysis.projection import Projection

LIKELIHOOD_FEATURES = (
    "adamic_adar",
    "resource_allocation",
    "three_hop",
    "home_proximity",
    "compatriot_ties",
    "country_affinity",
    "partner_country_share",
    "popularity",
    "partner_proximity",
    "neighbour_country",
    "size_similarity",
)
STRATEGY_FEATURES = ("shared_tags", "strategy_region", "gap_country", "named_target", "institution")
FEATURES = LIKELIHOOD_FEATURES + STRATEGY_FEATURES

DEFAULT_WEIGHTS: dict[str, float] = {
    "adamic_adar": 1.0,
    "resource_allocation": 0.5,
    "three_hop": 1.2,
    "home_proximity": 0.8,
    "compatriot_ties": 0.1,
    "country_affinity": 0.1,
    "partner_country_share": 0.1,
    "popularity": 0.05,
    "partner_proximity": 0.25,
    "neighbour_country": 0.05,
    "size_similarity": 0.05,
    "shared_tags": 0.3,
    "strategy_region": 0.5,
    "gap_country": 0.8,
    "named_target": 1.5,
    "institution": 0.8,
}
"""Weights used when a profile gives none. The likelihood part is the backtest's tuned weights
(``backtest --pairs sister_pairs.csv --seed 7``, tuned on the training split only) divided by 4,
so that the strategy features (weights around 1) can still reorder candidates."""


def squash(x: np.ndarray, scale: float) -> np.ndarray:
    """Map counts or sums in [0, ∞) to [0, 1): 1 − exp(−x/scale)."""
    return 1.0 - np.exp(-np.asarray(x, dtype=np.float64) / scale)


def two_hop(proj: Projection, home: int) -> tuple[np.ndarray, np.ndarray]:
    """Adamic-Adar and resource-allocation sums from city index ``home`` to every city (dense arrays)."""
    n = len(proj.city_ids)
    via = [w for w in proj.adjacency[home] if proj.degree[w] >= 2]
    if not via:
        return np.zeros(n), np.zeros(n)
    ends = np.concatenate([proj.adjacency[w] for w in via])
    deg = np.repeat(proj.degree[via], [len(proj.adjacency[w]) for w in via])
    aa = np.bincount(ends, weights=1.0 / np.log(deg), minlength=n)
    ra = np.bincount(ends, weights=1.0 / deg, minlength=n)
    aa[home] = ra[home] = 0.0
    return aa, ra


def walk_probabilities(proj: Projection, home: int, steps: int = 3) -> np.ndarray:
    """Probability that a ``steps``-step random walk over the ties from ``home`` ends at each city."""
    n = len(proj.city_ids)
    inverse = np.where(proj.degree > 0, 1.0 / np.maximum(proj.degree, 1.0), 0.0)
    p = np.zeros(n)
    p[home] = 1.0
    for _ in range(steps):
        p = np.bincount(proj.tie_dst, weights=(p * inverse)[proj.tie_src], minlength=n)
    return p


def home_km(proj: Projection, home: int, cand: np.ndarray) -> np.ndarray:
    """Distance from the home city to each candidate (inf when either has no coordinates)."""
    if np.isnan(proj.lat[home]):
        return np.full(len(cand), np.inf)
    dist = haversine_km(proj.lat[home], proj.lon[home], proj.lat[cand], proj.lon[cand])
    return np.where(np.isnan(dist), np.inf, dist)


def nearest_partner_km(proj: Projection, home: int, cand: np.ndarray, radius_km: float) -> np.ndarray:
    """Distance from each candidate to the home city's nearest partner, when within ``radius_km`` (else inf)."""
    best = np.full(len(proj.city_ids), np.inf)
    for p in proj.adjacency[home]:
        cities, dist = proj.near(p, radius_km)
        np.minimum.at(best, cities, dist)
    return best[cand]


def country_shares(proj: Projection, country: str) -> dict[str, float]:
    """Share of all foreign ties of ``country``'s cities that go to each other country."""
    ci = proj.country_index.get(country)
    if ci is None:
        return {}
    shares = proj.country_tie_shares(ci)
    return {proj.country_codes[i]: float(shares[i]) for i in np.flatnonzero(shares)}


def likelihood_features(proj: Projection, home: int, cand: np.ndarray, radius_km: float) -> dict[str, np.ndarray]:
    """Every likelihood feature for home city index ``home`` and candidate indexes ``cand``."""
    n_countries = len(proj.country_codes)
    zeros = np.zeros(len(cand))
    aa, ra = two_hop(proj, home)
    home_ci = proj.country_idx[home]
    cand_ci = proj.country_idx[cand]
    known = cand_ci >= 0
    safe_ci = np.where(known, cand_ci, 0)
    partners = proj.adjacency[home]
    out = {"adamic_adar": squash(aa[cand], 2.0), "resource_allocation": squash(ra[cand], 0.25)}
    p3 = walk_probabilities(proj, home)[cand] if len(partners) else zeros
    out["three_hop"] = np.log1p(1000.0 * p3) / np.log(1001.0)
    out["home_proximity"] = np.exp(-home_km(proj, home, cand) / 200.0)
    if home_ci >= 0:
        out["compatriot_ties"] = squash(proj.country_partner_counts(home_ci)[cand], 2.0)
        shares = proj.country_tie_shares(home_ci)
        top = shares.max() if len(shares) else 0.0
        out["country_affinity"] = np.where(known, shares[safe_ci] / top, 0.0) if top else zeros
    else:
        out["compatriot_ties"] = out["country_affinity"] = zeros
    own_ci = proj.country_idx[partners]
    own_ci = own_ci[own_ci >= 0]
    if len(own_ci) and n_countries:
        own_share = np.bincount(own_ci, minlength=n_countries) / len(partners)
        out["partner_country_share"] = np.where(known, own_share[safe_ci], 0.0)
        borders = proj.border_matrix()[own_ci].any(axis=0)
        borders[own_ci] = False
        out["neighbour_country"] = np.where(known, borders[safe_ci], False).astype(np.float64)
    else:
        out["partner_country_share"] = out["neighbour_country"] = zeros
    top_degree = proj.degree.max() if len(proj.degree) else 0.0
    out["popularity"] = np.log1p(proj.degree[cand]) / np.log1p(top_degree) if top_degree else zeros
    out["partner_proximity"] = np.clip(1.0 - nearest_partner_km(proj, home, cand, radius_km) / radius_km, 0.0, 1.0)
    out["size_similarity"] = size_similarity(proj.population[home], proj.population[cand])
    return out


def size_similarity(home_pop: float, cand_pop: np.ndarray) -> np.ndarray:
    """1 − |Δ log10 population| / 2, clipped to [0, 1]; 0 where either population is unknown."""
    if home_pop <= 0:
        return np.zeros(len(cand_pop))
    with np.errstate(divide="ignore"):
        gap = np.abs(np.log10(np.maximum(cand_pop, 1.0)) - np.log10(home_pop))
    return np.where(cand_pop > 0, np.clip(1.0 - gap / 2.0, 0.0, 1.0), 0.0)
