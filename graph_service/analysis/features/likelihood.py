"""Likelihood features: what tends to happen, learned from the partnership network.

- ``adamic_adar``: 1 − exp(−AA/2), AA = Σ 1/log deg(w) over partners w shared by u and v
  (Adamic & Adar 2003), over SISTER_CITY and FRIENDLY_EXCHANGE ties.
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

u is the home city, v a candidate. Default weights are the backtest's tuned weights
(``backtest --pairs sister_pairs.csv --seed 7``, tuned on the training split only) divided by 4, so
that the strategy features (weights around 1) can still reorder candidates.
"""

from __future__ import annotations

import numpy as np

from graph_service.analysis.features.base import (
    MIN_NATIONAL_SHARE,
    OPEN_MIN_PARTNERS,
    SIMILAR_SIZE_RATIO,
    Explanation,
    Feature,
    FloatArray,
    Group,
    Scoring,
    on_candidates,
    squash,
)
from graph_service.geodesy import haversine_km
from graph_service.model import CityLevel, Tier

LIKELIHOOD: Group = "likelihood"


class AdamicAdar(Feature):
    name, weight, group = "adamic_adar", 1.0, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        return squash(s.two_hop[0], 2.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        proj = s.proj
        shared = sorted(set(s.partners) & set(proj.partners(cand)),
                        key=lambda p: (proj.ties.degree[proj.cities.position[p]], p))
        if not shared:
            return None
        return Explanation("partner_of_partner", {"shared": shared, "home": s.home}, shared)


class ResourceAllocation(Feature):
    name, weight, group = "resource_allocation", 0.5, LIKELIHOOD
    explained_by = "adamic_adar"

    def compute(self, s: Scoring) -> FloatArray:
        return squash(s.two_hop[1], 0.25)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        return AdamicAdar().explain(s, cand)


class ThreeHop(Feature):
    name, weight, group = "three_hop", 1.2, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        if not len(s.partner_positions):
            return np.zeros(len(s.cand))
        ties = s.proj.ties
        # the first step goes to the foreign partners only; then out from them: the cost is the
        # home city's 3-hop neighbourhood
        at = s.partner_positions
        p = np.full(len(at), 1.0 / len(at))
        for _ in range(2):
            ends, sizes = ties.adjacency.gather(at)
            at, inverse = np.unique(ends, return_inverse=True)
            p = np.bincount(inverse, weights=np.repeat(p / np.maximum(sizes, 1), sizes), minlength=len(at))
        return np.log1p(1000.0 * on_candidates(at, p, s.cand)) / np.log(1001.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        """The path through the least connected middle cities; held back when every path crosses a hub."""
        proj = s.proj
        position, adjacency, degree = proj.cities.position, proj.ties.adjacency, proj.ties.degree
        ends = set(adjacency[position[cand]].tolist())
        paths = [(max(degree[position[w]], degree[position[y]]), w, y)
                 for w in s.partners for y in (proj.cities.ids[i] for i in adjacency[position[w]] if i in ends)
                 if y != s.home]
        if not paths:
            return None
        hub, w, y = min(paths)
        return Explanation("three_hop", {"home": s.home, "via": w, "link": y, "candidate": cand}, [w, y],
                           held_back=f"every path crosses a hub ({hub:.0f} partners)" if hub > s.hub_degree else None)


class HomeProximity(Feature):
    name, weight, group = "home_proximity", 0.8, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        cities = s.proj.cities
        if np.isnan(cities.lat[s.home_pos]):
            return np.zeros(len(s.cand))
        km = haversine_km(cities.lat[s.home_pos], cities.lon[s.home_pos], cities.lat[s.cand], cities.lon[s.cand])
        return np.exp(-np.where(np.isnan(km), np.inf, km) / 200.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        km = s.km_between(s.home, cand)
        if km is None:
            return None
        cc = s.proj.country_of(cand)
        params = {"km": round(km), "home": s.home}
        if s.policy.is_foreign(cc):
            return Explanation("near_home", params | {"country": cc}, [cand, s.home], template="near_home_abroad")
        return Explanation("near_home", params, [cand, s.home])


class CompatriotTies(Feature):
    name, weight, group = "compatriot_ties", 0.1, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        home_ci = s.proj.cities.country[s.home_pos]
        if home_ci < 0:
            return np.zeros(len(s.cand))
        return squash(s.proj.ties.partner_counts_in(int(home_ci))[s.cand], 2.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        nodes = s.proj.nodes
        found = sorted(p for p in s.proj.partners(cand) if s.proj.country_of(p) == s.home_country)
        if not found:
            return None
        provinces = [p for p in found if nodes[p].level is CityLevel.PROVINCE]
        peers = [p for p in found if p not in provinces]
        params = {"n": len(peers), "country": s.home_country, "peers": peers}
        if not provinces:
            return Explanation("compatriot_ties", params, peers)
        template = "compatriot_ties_and_provinces" if peers else "compatriot_ties_provinces"
        params |= {"n_provinces": len(provinces), "provinces": provinces}
        return Explanation("compatriot_ties", params, found, template=template)


def _home_country_shares(s: Scoring) -> FloatArray:
    home_ci = int(s.proj.cities.country[s.home_pos])
    if home_ci < 0:
        return np.zeros(len(s.proj.countries.codes))
    position = s.proj.countries.position
    domestic = tuple(sorted(position[cc] for cc in s.policy.domestic_codes if cc in position))
    return s.proj.ties.country_shares(home_ci, len(s.proj.countries.codes), domestic)


class CountryAffinity(Feature):
    name, weight, group = "country_affinity", 0.1, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        shares = _home_country_shares(s)
        top = shares.max() if len(shares) else 0.0
        if not top:
            return np.zeros(len(s.cand))
        cand_ci = s.candidate_countries
        return np.where(cand_ci >= 0, shares[np.maximum(cand_ci, 0)] / top, 0.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        cc = s.proj.country_of(cand)
        position = s.proj.countries.position.get(cc) if cc else None
        share = float(_home_country_shares(s)[position]) if position is not None else 0.0
        params = {"share": round(share, 4), "home_country": s.home_country, "country": cc}
        return Explanation("country_affinity", params, [x for x in (s.home_country, cc) if x],
                           held_back=f"a share of {share:.1%}" if share < MIN_NATIONAL_SHARE else None)


class PartnerCountryShare(Feature):
    name, weight, group = "partner_country_share", 0.1, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        own = s.proj.cities.country[s.partner_positions]
        own = own[own >= 0]
        if not len(own):
            return np.zeros(len(s.cand))
        share = np.bincount(own, minlength=len(s.proj.countries.codes)) / len(s.partner_positions)
        cand_ci = s.candidate_countries
        return np.where(cand_ci >= 0, share[np.maximum(cand_ci, 0)], 0.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        cc = s.proj.country_of(cand)
        same = sorted(p for p in s.partners if s.proj.country_of(p) == cc)
        return Explanation("partner_country", {"home": s.home, "n": len(same), "country": cc, "partners": same}, same)


class Popularity(Feature):
    name, weight, group = "popularity", 0.05, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        degree = s.proj.ties.degree
        top = degree.max() if len(degree) else 0.0
        if not top:
            return np.zeros(len(s.cand))
        return np.log1p(degree[s.cand]) / np.log1p(top)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        n = len(s.proj.partners(cand))
        return Explanation("well_connected", {"candidate": cand, "n": n}, [cand],
                           held_back=f"only {n} partners" if n < OPEN_MIN_PARTNERS else None)


class PartnerProximity(Feature):
    name, weight, group = "partner_proximity", 0.25, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        found = [s.proj.geo.near(int(p), s.radius_km) for p in s.partner_positions]
        if not found:
            return np.zeros(len(s.cand))
        cities, dist = np.concatenate([c for c, _ in found]), np.concatenate([d for _, d in found])
        order = np.lexsort((dist, cities))
        cities, dist = cities[order], dist[order]
        if not len(cities):
            return np.zeros(len(s.cand))
        first = np.r_[True, cities[1:] != cities[:-1]]
        nearest, best = cities[first], dist[first]  # each city once, at its smallest distance
        at = np.minimum(np.searchsorted(nearest, s.cand), len(nearest) - 1)
        km = np.where(nearest[at] == s.cand, best[at], np.inf)
        return np.clip(1.0 - km / s.radius_km, 0.0, 1.0)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        nodes = s.proj.nodes
        node = nodes[cand]
        located = [p for p in s.partners if nodes[p].lat is not None]
        if node.lat is None or node.lon is None or not located:
            return None
        dist = haversine_km(node.lat, node.lon, np.array([nodes[p].lat for p in located]),
                            np.array([nodes[p].lon for p in located]))
        i = int(np.argmin(dist))
        partner = located[i]
        edge = s.partners[partner]
        return Explanation("near_partner", {
            "km": round(float(dist[i])), "partner": partner, "home": s.home, "tier": Tier.of(edge.type).value,
            "status": edge.status.value if edge.status else None, "radius": round(s.radius_km),
        }, [partner])


class NeighbourCountry(Feature):
    name, weight, group = "neighbour_country", 0.05, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        own = s.proj.cities.country[s.partner_positions]
        own = own[own >= 0]
        if not len(own) or not len(s.proj.countries.codes):
            return np.zeros(len(s.cand))
        borders = np.asarray(s.proj.countries.borders()[own].any(axis=0), dtype=bool)
        borders[own] = False
        cand_ci = s.candidate_countries
        return np.where(cand_ci >= 0, borders[np.maximum(cand_ci, 0)], False).astype(np.float64)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        cc = s.proj.country_of(cand)
        node = s.proj.countries.get(cc)
        via = sorted(c for c in s.partner_countries if node and c in node.neighbours)
        if not via or cc is None:
            return None
        footholds = sorted(p for p in s.partners if s.proj.country_of(p) in via)
        return Explanation("neighbour_country", {"country": cc, "via": via, "home": s.home, "footholds": footholds},
                           [cc, *via, *footholds])


class SizeSimilarity(Feature):
    name, weight, group = "size_similarity", 0.05, LIKELIHOOD

    def compute(self, s: Scoring) -> FloatArray:
        return size_similarity(s.proj.cities.population[s.home_pos], s.proj.cities.population[s.cand])

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        a, b = s.proj.nodes[s.home].population, s.proj.nodes[cand].population
        if not a or not b:
            return None
        ratio = max(a, b) / min(a, b)
        return Explanation("similar_size", {"population": b, "home_population": a, "home": s.home}, [cand, s.home],
                           held_back=f"{ratio:.1f}× apart" if ratio > SIMILAR_SIZE_RATIO else None)


def size_similarity(home_pop: float, cand_pop: FloatArray) -> FloatArray:
    """1 − |Δ log10 population| / 2, clipped to [0, 1]; 0 where either population is unknown.

    >>> [round(float(x), 2) for x in size_similarity(1e6, np.array([1e6, 1e5, 0.0]))]
    [1.0, 0.5, 0.0]
    """
    if home_pop <= 0:
        return np.zeros(len(cand_pop))
    with np.errstate(divide="ignore"):
        gap = np.abs(np.log10(np.maximum(cand_pop, 1.0)) - np.log10(home_pop))
    return np.where(cand_pop > 0, np.clip(1.0 - gap / 2.0, 0.0, 1.0), 0.0)


LIKELIHOOD_FEATURES: tuple[Feature, ...] = (
    AdamicAdar(), ResourceAllocation(), ThreeHop(), HomeProximity(), CompatriotTies(), CountryAffinity(),
    PartnerCountryShare(), Popularity(), PartnerProximity(), NeighbourCountry(), SizeSimilarity(),
)
