"""Point-to-area suggestions: candidate cities for a home city, scored by normalised features and a
strategy profile's weights, each with reasons a planner can read aloud.

``SuggestionReport.model_dump()`` is the ``suggest --json`` contract (DESIGN §5)::

    {"city": {"id", "name", "country"}, "strategy": name,
     "suggestions": [{"id", "name", "country", "score", "sources": [...],
                      "reasons": [{"kind", "text", "evidence": [ids], "contribution"}]}]}

A suggestion's score is the sum of its features' contributions (weight × feature value); every
contribution above 0.005 appears as a reason, largest first.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from pydantic import BaseModel, Field

from graph_service.analysis.candidates import Pool, build_pool, label
from graph_service.analysis.features import country_shares, likelihood_features
from graph_service.analysis.gaps import CityRef
from graph_service.analysis.geo import haversine_km
from graph_service.analysis.projection import TIER_OF, Projection, projection
from graph_service.analysis.strategy import Strategy, load_strategy
from graph_service.model import NodeKind
from graph_service.queries import NotFound
from graph_service.store.base import GraphStore

MIN_CONTRIBUTION = 0.005


class Reason(BaseModel):
    kind: str
    text: str
    evidence: list[str]
    contribution: float


class Suggestion(BaseModel):
    id: str
    name: str
    name_zh: str | None = None
    country: str | None = None
    score: float
    sources: list[str]
    reasons: list[Reason]


class SuggestionReport(BaseModel):
    city: CityRef
    strategy: str
    suggestions: list[Suggestion]
    notes: list[str] = Field(default_factory=list)


def suggest(
    store: GraphStore | Projection,
    city_id: str,
    limit: int = 20,
    strategy: Strategy | None = None,
    include_home_country: bool = False,
    include_partners: bool = False,
) -> SuggestionReport:
    """Ranked, explained candidates for ``city_id``. Raises ``NotFound`` for an unknown city id.

    Existing partners (any tier, any status but ``ended``) and cities of the home country are left
    out unless ``include_partners`` / ``include_home_country`` ask for them.
    """
    proj = store if isinstance(store, Projection) else projection(store)
    strategy = strategy or load_strategy()
    home = proj.nodes.get(city_id)
    if home is None or home.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id!r}")
    report = SuggestionReport(
        city=CityRef(id=home.id, name=home.name, name_zh=home.name_zh, country=proj.country_of(home.id)),
        strategy=strategy.name, suggestions=[],
    )
    pool = build_pool(proj, city_id, strategy)
    partners = proj.partners(city_id)
    idx = pool.candidates()
    keep = idx != proj.city_pos[city_id]
    if not include_partners and partners:
        keep &= ~np.isin(idx, [proj.city_pos[p] for p in partners if p in proj.city_pos])
    home_ci = proj.country_idx[proj.city_pos[city_id]]
    if not include_home_country and home_ci >= 0:
        keep &= proj.country_idx[idx] != home_ci
    idx = idx[keep]
    report.notes = _notes(proj, home, partners, len(idx))
    if not len(idx):
        return report
    scorer = _Scorer(proj, city_id, strategy, pool)
    values = scorer.features(idx)
    weights = strategy.weights()
    contrib = {f: weights.get(f, 0.0) * v for f, v in values.items()}
    score = np.round(np.sum(list(contrib.values()), axis=0), 9)
    top = _spread(np.argsort(-score, kind="stable"), proj.country_idx[idx], limit, strategy.max_per_country)
    for i in top:
        c = proj.city_ids[idx[i]]
        node = proj.nodes[c]
        reasons = scorer.reasons(c, {f: float(contrib[f][i]) for f in contrib})
        report.suggestions.append(Suggestion(
            id=c, name=node.name, name_zh=node.name_zh, country=proj.country_of(c), score=round(float(score[i]), 4),
            sources=pool.sources_of(int(idx[i])), reasons=reasons,
        ))
    return report


def _spread(order: np.ndarray, country: np.ndarray, limit: int, per_country: int) -> list[int]:
    """The first ``limit`` of ``order`` taking at most ``per_country`` per country, then the rest in order.

    Keeps a shortlist from being five cities of one gap country while nothing is dropped for good.
    """
    taken, held, seen = [], [], defaultdict(int)
    for i in order:
        if len(taken) == limit:
            break
        c = int(country[i])
        if c >= 0 and seen[c] >= per_country:
            held.append(int(i))
            continue
        seen[c] += 1
        taken.append(int(i))
    taken += held[: limit - len(taken)]
    return taken


def _notes(proj: Projection, home, partners: dict, candidates: int) -> list[str]:
    notes = []
    if not partners:
        notes.append(f"{home.name} has no partners yet: suggestions rest on its country's ties and the strategy.")
    if home.lat is None:
        notes.append(f"{home.name} has no coordinates: distance features are left out for it.")
    if not candidates and not proj.countries:
        notes.append("No candidate found: load world geography (`partner-graph geo`) or partner data first.")
    elif not candidates:
        notes.append(
            f"No candidate found: {home.name} has no partners or institution links, no other city of its country "
            "has partners, and the strategy names no gap countries or targets. Try --strategy nanning-2012 "
            "or a profile of your own."
        )
    return notes


class _Scorer:
    """Feature values and reason texts for one home city."""

    def __init__(self, proj: Projection, home: str, strategy: Strategy, pool: Pool):
        self.proj, self.home, self.strategy, self.pool = proj, home, strategy, pool
        self.home_idx = proj.city_pos[home]
        self.home_label = label(proj, home)
        self.home_cc = proj.country_of(home)
        self.partners = proj.partners(home)
        self.partner_countries = {proj.country_of(p) for p in self.partners} - {None}

    def features(self, idx: np.ndarray) -> dict[str, np.ndarray]:
        """Every feature for the candidate city indexes ``idx`` (likelihood and strategy)."""
        proj, strategy = self.proj, self.strategy
        out = likelihood_features(proj, self.home_idx, idx, strategy.radius_km)
        home_tags = set(proj.nodes[self.home].tags)
        out["shared_tags"] = np.array([
            _jaccard(home_tags, set(proj.nodes[proj.city_ids[i]].tags)) for i in idx
        ]) if home_tags else np.zeros(len(idx))
        region = np.zeros(len(proj.country_codes) + 1)
        gap = np.zeros(len(proj.country_codes) + 1)
        for ci, cc in enumerate(proj.country_codes):
            region[ci] = strategy.country_priority(cc, proj.country_regions.get(cc, []))[0]
            if cc not in self.partner_countries:
                gap[ci] = strategy.gap_countries.get(cc, 0.0)
        cand_ci = proj.country_idx[idx]  # -1 (unknown country) reads the trailing 0
        out["strategy_region"] = region[cand_ci]
        out["gap_country"] = gap[cand_ci]
        targets = [proj.city_pos[c] for c in self.pool.targets if c in proj.city_pos]
        out["named_target"] = np.isin(idx, targets).astype(np.float64)
        strength = np.zeros(len(proj.city_ids))
        for city, links in self.pool.links.items():
            strength[proj.city_pos[city]] = max(link.strength for link in links)
        out["institution"] = strength[idx]
        return out

    def reasons(self, cand: str, contributions: dict[str, float]) -> list[Reason]:
        merged = dict(contributions)
        merged["adamic_adar"] = merged.get("adamic_adar", 0.0) + merged.pop("resource_allocation", 0.0)
        out = []
        for feature, value in merged.items():
            if value < MIN_CONTRIBUTION:
                continue
            built = getattr(self, f"_{feature}")(cand)
            if built is None:
                continue
            kind, text, evidence = built
            evidence = [e for e in dict.fromkeys(evidence) if e in self.proj.nodes]
            out.append(Reason(kind=kind, text=text, evidence=evidence, contribution=round(value, 4)))
        out.sort(key=lambda r: -r.contribution)
        return out

    def _partner_names(self, ids: list[str], limit: int = 4) -> str:
        names = [label(self.proj, i) for i in ids[:limit]]
        more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
        return ", ".join(names) + more

    def _adamic_adar(self, cand: str):
        shared = sorted(set(self.partners) & set(self.proj.partners(cand)),
                        key=lambda p: (self.proj.degree[self.proj.city_pos[p]], p))
        if not shared:
            return None
        return ("partner_of_partner",
                f"Partner of {self._partner_names(shared)}, already partners of {self.home_label}", shared)

    def _three_hop(self, cand: str):
        proj = self.proj
        ends = set(proj.adjacency[proj.city_pos[cand]].tolist())
        for w in sorted(self.partners, key=lambda p: (-proj.degree[proj.city_pos[p]], p)):
            for y in sorted(proj.city_ids[i] for i in proj.adjacency[proj.city_pos[w]] if i in ends):
                if y != self.home:
                    return ("three_hop",
                            f"Linked in three steps: {self.home_label} → {label(proj, w)} → {label(proj, y)} → "
                            f"{label(proj, cand)}", [w, y])
        return None

    def _home_proximity(self, cand: str):
        home, node = self.proj.nodes[self.home], self.proj.nodes[cand]
        if home.lat is None or node.lat is None:
            return None
        km = float(haversine_km(home.lat, home.lon, np.array([node.lat]), np.array([node.lon]))[0])
        cc = self.proj.country_of(cand)
        where = f", across the border in {label(self.proj, cc)}" if cc and cc != self.home_cc else ""
        return ("near_home", f"{km:.0f} km from {self.home_label}{where}", [cand, self.home])

    def _compatriot_ties(self, cand: str):
        peers = sorted(p for p in self.proj.partners(cand) if self.proj.country_of(p) == self.home_cc)
        if not peers:
            return None
        country = label(self.proj, self.home_cc)
        return ("compatriot_ties",
                f"Already twinned with {_count(len(peers), 'city', 'cities')} in {country}: {self._partner_names(peers)}", peers)

    def _country_affinity(self, cand: str):
        cc = self.proj.country_of(cand)
        share = country_shares(self.proj, self.home_cc).get(cc, 0.0) if self.home_cc else 0.0
        return ("country_affinity",
                f"{share:.0%} of the partnerships of cities in {label(self.proj, self.home_cc)} are with "
                f"{label(self.proj, cc)}", [self.home_cc, cc])

    def _partner_country_share(self, cand: str):
        cc = self.proj.country_of(cand)
        same = sorted(p for p in self.partners if self.proj.country_of(p) == cc)
        return ("partner_country",
                f"{self.home_label} already has {_count(len(same), 'partner')} in {label(self.proj, cc)}: "
                f"{self._partner_names(same)}", same)

    def _popularity(self, cand: str):
        n = len(self.proj.partners(cand))
        return ("well_connected", f"{label(self.proj, cand)} is open to partnerships: {_count(n, 'partner city', 'partner cities')}", [cand])

    def _partner_proximity(self, cand: str):
        node = self.proj.nodes[cand]
        located = [p for p in self.partners if self.proj.nodes[p].lat is not None]
        if node.lat is None or not located:
            return None
        dist = haversine_km(node.lat, node.lon, np.array([self.proj.nodes[p].lat for p in located]),
                            np.array([self.proj.nodes[p].lon for p in located]))
        i = int(np.argmin(dist))
        p = located[i]
        edge = self.partners[p]
        status = f", {edge.status.value}" if edge.status and edge.status.value not in ("active", "signed") else ""
        return ("near_partner",
                f"{dist[i]:.0f} km from {label(self.proj, p)}, {self.home_label}'s {TIER_OF[edge.type]} city partner"
                f"{status} (radius {self.strategy.radius_km:.0f} km)", [p])

    def _neighbour_country(self, cand: str):
        cc = self.proj.country_of(cand)
        node = self.proj.countries.get(cc)
        via = sorted(c for c in self.partner_countries if node and c in node.neighbours)
        if not via:
            return None
        footholds = sorted(p for p in self.partners if self.proj.country_of(p) in via)
        return ("neighbour_country",
                f"{label(self.proj, cc)} borders {', '.join(label(self.proj, c) for c in via)}, where "
                f"{self.home_label} has partner(s) {self._partner_names(footholds)}", [cc, *via, *footholds])

    def _size_similarity(self, cand: str):
        a, b = self.proj.nodes[self.home].population, self.proj.nodes[cand].population
        return ("similar_size", f"Similar size: population {b:,} against {a:,} in {self.home_label}",
                [cand, self.home])

    def _shared_tags(self, cand: str):
        tags = sorted(set(self.proj.nodes[self.home].tags) & set(self.proj.nodes[cand].tags))
        return ("shared_tags", f"Shares {', '.join(tags)} with {self.home_label}", [cand, self.home])

    def _strategy_region(self, cand: str):
        cc = self.proj.country_of(cand) or ""
        regions = self.proj.country_regions.get(cc, [])
        weight, gid = self.strategy.country_priority(cc, regions)
        group = next(g for g in self.strategy.groups if g.id == gid)
        evidence = [r for r in group.regions if r in regions] or [cc]
        name = group.name or group.id
        return ("strategy_region",
                f"{label(self.proj, cc)} is in '{name}', weight {weight:g} in strategy {self.strategy.name}", evidence)

    def _gap_country(self, cand: str):
        cc = self.proj.country_of(cand)
        priority = self.strategy.gap_countries.get(cc, 0.0)
        return ("gap_country",
                f"{label(self.proj, cc)} is a gap country of strategy {self.strategy.name} (priority {priority:g}): "
                f"{self.home_label} has no partner there yet", [cc])

    def _named_target(self, cand: str):
        return ("named_target", f"Named target of strategy {self.strategy.name}: {self.pool.targets[cand]}", [cand])

    def _institution(self, cand: str):
        links = sorted(self.pool.links.get(cand, []), key=lambda l: -l.strength)
        if not links:
            return None
        return ("institution", "; ".join(l.text for l in links[:3]), [e for l in links for e in l.evidence])


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
