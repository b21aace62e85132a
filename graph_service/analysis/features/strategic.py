"""Strategy features: what the planners want, from the strategy profile and the home city's own links.

- ``shared_tags``: Jaccard similarity of the tag sets (e.g. ``buddhist-heritage``, ``port``).
- ``strategy_region``: the profile's weight of the candidate's region or country group
  (ASEAN first, Japan-Korea next …).
- ``gap_country``: the profile's priority of the candidate's country, when the home city has no
  partner there yet.
- ``named_target``: 1 for a city the profile names as a target.
- ``institution``: the strongest link from the home city through a school, an enterprise, an
  honorary citizen, a consulate or an exchange.

Every strategy feature is 0 when no profile or pool is given (the backtest scores likelihood only).
"""

from __future__ import annotations

import numpy as np

from graph_service.analysis.features.base import Explanation, Feature, FloatArray, Group, Scoring
from graph_service.analysis.reasons import localised

STRATEGY: Group = "strategy"


class SharedTags(Feature):
    name, weight, group = "shared_tags", 0.3, STRATEGY

    def compute(self, s: Scoring) -> FloatArray:
        tags, ids = s.proj.cities.tags, s.proj.cities.ids
        home_tags = set(tags.get(s.home, ()))
        if not home_tags:
            return np.zeros(len(s.cand))
        return np.array([_jaccard(home_tags, set(tags.get(ids[i], ()))) for i in s.cand], dtype=np.float64)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        tags = sorted(set(s.proj.nodes[s.home].tags) & set(s.proj.nodes[cand].tags))
        return Explanation("shared_tags", {"tags": tags, "home": s.home}, [cand, s.home])


class StrategyRegion(Feature):
    name, weight, group = "strategy_region", 0.5, STRATEGY

    def compute(self, s: Scoring) -> FloatArray:
        if s.strategy is None:
            return np.zeros(len(s.cand))
        codes = s.proj.countries.codes
        region = np.zeros(len(codes) + 1)  # -1 (unknown country) reads the trailing 0
        for ci, cc in enumerate(codes):
            region[ci] = s.strategy.country_priority(cc, s.proj.regions.regions_of(cc))[0]
        return region[s.candidate_countries]

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        cc = s.proj.country_of(cand)
        if s.strategy is None or cc is None:
            return None
        regions = s.proj.regions.regions_of(cc)
        weight, group_id = s.strategy.country_priority(cc, regions)
        group = next((g for g in s.strategy.groups if g.id == group_id), None)
        if group is None:
            return None
        evidence = [r for r in group.regions if r in regions] or [cc]
        return Explanation("strategy_region", {
            "country": cc, "group": localised(group.name or group.id, group.name_zh), "weight": weight,
            "strategy": s.strategy.label(),
        }, evidence)


class GapCountry(Feature):
    name, weight, group = "gap_country", 0.8, STRATEGY

    def compute(self, s: Scoring) -> FloatArray:
        if s.strategy is None:
            return np.zeros(len(s.cand))
        codes = s.proj.countries.codes
        gap = np.zeros(len(codes) + 1)
        for ci, cc in enumerate(codes):
            if cc not in s.partner_countries:
                gap[ci] = s.strategy.gap_countries.get(cc, 0.0)
        return gap[s.candidate_countries]

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        cc = s.proj.country_of(cand)
        if s.strategy is None or cc is None:
            return None
        priority = s.strategy.gap_countries.get(cc, 0.0)
        return Explanation("gap_country", {
            "country": cc, "strategy": s.strategy.label(), "priority": priority, "home": s.home}, [cc])


class NamedTarget(Feature):
    name, weight, group = "named_target", 1.5, STRATEGY

    def compute(self, s: Scoring) -> FloatArray:
        if s.pool is None:
            return np.zeros(len(s.cand))
        targets = [s.proj.cities.position[c] for c in s.pool.targets if c in s.proj.cities.position]
        return np.isin(s.cand, targets).astype(np.float64)

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        if s.pool is None or s.strategy is None or cand not in s.pool.targets:
            return None
        return Explanation("named_target", {"strategy": s.strategy.label(), "target": s.pool.targets[cand]}, [cand])


class Institution(Feature):
    name, weight, group = "institution", 0.8, STRATEGY

    def compute(self, s: Scoring) -> FloatArray:
        strength = np.zeros(len(s.cand))
        if s.pool is not None and s.pool.links:
            position = s.proj.cities.position
            linked = {position[city]: max(link.strength for link in links) for city, links in s.pool.links.items()}
            for i, c in enumerate(s.cand.tolist()):
                strength[i] = linked.get(c, 0.0)
        return strength

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        links = sorted(s.pool.links.get(cand, []), key=lambda link: -link.strength) if s.pool else []
        if not links:
            return None
        return Explanation("institution", {"links": [{"kind": link.kind, "params": link.params} for link in links[:3]]},
                           [e for link in links for e in link.evidence])


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


STRATEGY_FEATURES: tuple[Feature, ...] = (SharedTags(), StrategyRegion(), GapCountry(), NamedTarget(), Institution())
