"""Point-to-area suggestions: candidate cities for a home city, scored by normalised features and a
strategy profile's weights, each with reasons a planner can read aloud.

``SuggestionReport.model_dump()`` is the ``suggest --json`` contract (DESIGN §5)::

    {"city": {"id", "name", "country"}, "strategy": name,
     "suggestions": [{"id", "name", "country", "score", "sources": [...],
                      "reasons": [{"kind", "text", "evidence": [ids], "contribution"}]}]}

A suggestion's score is the sum of its features' contributions (weight × feature value); every
contribution above ``features.MIN_CONTRIBUTION`` appears as a reason, largest first (each feature
explains itself: ``graph_service.analysis.features``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from graph_service.analysis import features
from graph_service.analysis.candidates import Pool, build_pool
from graph_service.analysis.features import FloatArray, Reason, Scoring
from graph_service.analysis.features.base import IntArray
from graph_service.analysis.naming import NodeNames
from graph_service.analysis.projection import Projection
from graph_service.analysis.reasons import render
from graph_service.analysis.strategy import Strategy, load_strategy
from graph_service.errors import NotFound
from graph_service.i18n import Lang
from graph_service.model import CityRef, Edge, Node, NodeKind
from graph_service.policy import Policy, policy_for


class Suggestion(BaseModel):
    id: str
    name: str
    name_zh: str | None = None
    country: str | None = None
    score: float
    sources: list[str]
    reasons: list[Reason]


class LeftOut(BaseModel):
    """A country whose cities the home-country policy keeps out of the suggestions, and how many of
    its cities the candidate sources had proposed."""

    country: str
    name: str
    standing: Literal["domestic", "no_relations", "territory", "unknown"]
    candidates: int


class SuggestionReport(BaseModel):
    city: CityRef
    strategy: str
    suggestions: list[Suggestion]
    notes: list[str] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(
        default_factory=list,
        description="countries kept out by the home-country policy: parts of the home country (domestic), "
        "no diplomatic relations, territories",
    )


LIKELY_TOP = 100
"""The ``likely`` source: the best-scoring cities over every eligible city, so that the pool never
drops a candidate the scorer ranks this high (popularity alone proposes nobody)."""


@dataclass
class Ranking:
    """Every candidate of one home city, scored and put in the order ``suggest`` shows them.

    ``order`` indexes ``scoring.cand`` (city positions), best first, spread over countries.
    ``eligible`` holds every city that could be suggested and ``eligible_score`` its score, before the
    pool and the spread: the bare scorer the backtest compares ``order`` with.
    """

    scoring: Scoring
    pool: Pool
    contributions: dict[str, FloatArray]
    score: FloatArray
    order: list[int]
    eligible: IntArray
    eligible_score: FloatArray
    allowed: npt.NDArray[np.bool_]
    partner_mask: npt.NDArray[np.bool_]

    def city_order(self) -> list[int]:
        """City positions in the order shown."""
        return [int(self.scoring.cand[i]) for i in self.order]


def allowed_cities(proj: Projection, policy: Policy, include_home_country: bool = False) -> npt.NDArray[np.bool_]:
    """Per city position: whether the home-country ``policy`` lets it be suggested (an eligible country;
    with ``include_home_country``, the home country and its domestic territories too)."""
    standing = _standings(proj, policy)[proj.cities.country]
    allowed = standing == _ELIGIBLE
    if include_home_country:
        allowed |= (standing == _HOME) | (standing == _DOMESTIC)
    return np.asarray(allowed, dtype=bool)


def rank_candidates(
    proj: Projection,
    city_id: str,
    strategy: Strategy,
    include_home_country: bool = False,
    include_partners: bool = False,
    exclude: Iterable[int] = (),
    lang: Lang = "en",
) -> Ranking | None:
    """The candidate pool of ``city_id`` scored with ``strategy``'s weights and spread over countries.

    Every eligible city (allowed by the home-country policy, not the home city, its live partners or
    ``exclude``) is scored; the candidates are the pool's sources plus the ``LIKELY_TOP`` best scores.
    None when no city is eligible.
    """
    position = proj.cities.position
    home_pos = position[city_id]
    policy = policy_for(proj.country_of(city_id))
    pool = build_pool(proj, city_id, strategy, policy)
    allowed = allowed_cities(proj, policy, include_home_country)
    partner_mask = np.zeros(len(proj.cities), dtype=bool)
    if not include_partners:
        partner_mask[proj.ties.adjacency[home_pos]] = True
    eligible = allowed & ~partner_mask
    eligible[home_pos] = False
    eligible[np.fromiter(exclude, dtype=np.int64)] = False
    every = np.flatnonzero(eligible)
    if not len(every):
        return None
    weights = strategy.weights()
    full = Scoring(proj, city_id, every, strategy.radius_km, strategy, pool, lang=lang)
    values = features.compute(full)
    total = np.sum([weights.get(name, 0.0) * v for name, v in values.items()], axis=0)
    beyond_popularity = total - weights.get("popularity", 0.0) * values["popularity"]
    top = np.argsort(-total, kind="stable")[:LIKELY_TOP]
    pool.add("likely", every[top[beyond_popularity[top] >= features.MIN_CONTRIBUTION]])
    idx = np.intersect1d(pool.candidates(), every)
    keep = np.searchsorted(every, idx)
    scoring = Scoring(proj, city_id, idx, strategy.radius_km, strategy, pool, lang=lang)
    contrib = {name: weights.get(name, 0.0) * v[keep] for name, v in values.items()}
    score = np.round(np.sum(list(contrib.values()), axis=0), 9)
    order = _spread(np.argsort(-score, kind="stable"), proj.cities.country[idx], len(idx), strategy.max_per_country)
    return Ranking(scoring, pool, contrib, score, order, every, np.round(total, 9), allowed, partner_mask)


def suggest(
    proj: Projection,
    city_id: str,
    limit: int = 20,
    strategy: Strategy | None = None,
    include_home_country: bool = False,
    include_partners: bool = False,
    lang: Lang = "en",
) -> SuggestionReport:
    """Ranked, explained candidates for ``city_id``, reasons and notes in ``lang``. Raises ``NotFound``
    for an unknown city id.

    Existing partners (any tier, any status but ``ended``) and cities of the home country (with its
    domestic territories: Taiwan, Hong Kong and Macao for a Chinese city) are left out unless
    ``include_partners`` / ``include_home_country`` ask for them. Cities of countries the home-country
    policy does not make eligible (no diplomatic relations, territories) are never suggested; they are
    counted in ``left_out``.
    """
    strategy = strategy or load_strategy()
    home = proj.nodes.get(city_id)
    if home is None or home.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id!r}", zh=f"没有编号为“{city_id}”的城市。")
    report = SuggestionReport(city=CityRef.of(home, proj.country_of(home.id)), strategy=strategy.name, suggestions=[])
    policy = policy_for(proj.country_of(city_id))
    ranking = rank_candidates(proj, city_id, strategy, include_home_country, include_partners, lang=lang)
    partners = proj.partners(city_id)
    if ranking is not None:
        proposed = ranking.pool.candidates()
        proposed = proposed[(proposed != proj.cities.position[city_id]) & ~ranking.partner_mask[proposed]]
        standing = _standings(proj, policy)[proj.cities.country[proposed]]
        report.left_out = _left_out(proj, policy, proposed[~ranking.allowed[proposed] & (standing != _HOME)],
                                    skip_domestic=include_home_country, lang=lang)
    names = NodeNames(proj.nodes, policy)
    report.notes = [render(kind, params, lang, names.label)
                    for kind, params in _notes(proj, home, partners, len(ranking.order) if ranking else 0)]
    if ranking is None or not ranking.order:
        return report
    scoring, idx = ranking.scoring, ranking.scoring.cand
    for i in ranking.order[:limit]:
        c = proj.cities.ids[idx[i]]
        node = proj.nodes[c]
        reasons = features.explain(scoring, c, {name: float(v[i]) for name, v in ranking.contributions.items()})
        report.suggestions.append(Suggestion(
            id=c, name=node.name, name_zh=node.name_zh, country=proj.country_of(c),
            score=round(float(ranking.score[i]), 4), sources=ranking.pool.sources_of(int(idx[i])), reasons=reasons,
        ))
    return report


def _spread(order: npt.NDArray[np.int64], country: npt.NDArray[np.int64], limit: int, per_country: int) -> list[int]:
    """The first ``limit`` of ``order`` taking at most ``per_country`` per country, then the rest in order.

    Keeps a shortlist from being five cities of one gap country while nothing is dropped for good.
    """
    taken: list[int] = []
    held: list[int] = []
    seen: dict[int, int] = defaultdict(int)
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


_HOME, _DOMESTIC, _ELIGIBLE, _OTHER = 0, 1, 2, 3
_STANDING_CODES = {"home": _HOME, "domestic": _DOMESTIC, "eligible": _ELIGIBLE}


def _standings(proj: Projection, policy: Policy) -> npt.NDArray[np.int64]:
    """Per country position (plus a trailing slot for "no country", read by index -1): home, domestic,
    eligible or other, under ``policy``. Built once per projection and home country."""

    def build() -> npt.NDArray[np.int64]:
        codes = proj.countries.codes
        out = np.full(len(codes) + 1, _OTHER, dtype=np.int64)
        for i, cc in enumerate(codes):
            out[i] = _STANDING_CODES.get(policy.classify(cc), _OTHER)
        return out

    return proj.memo(("standings", policy.country), build)


def _left_out(proj: Projection, policy: Policy, idx: npt.NDArray[np.int64], *, skip_domestic: bool,
              lang: Lang) -> list[LeftOut]:
    """The countries of the candidates ``idx`` that the policy kept out, with how many each had."""
    names = NodeNames(proj.nodes, policy)
    counts: dict[str, int] = defaultdict(int)
    for ci in proj.cities.country[idx]:
        if ci >= 0:
            counts[proj.countries.codes[int(ci)]] += 1
    rows = []
    for cc, n in sorted(counts.items()):
        standing = policy.classify(cc)
        if standing in ("home", "eligible") or (skip_domestic and standing == "domestic"):
            continue
        rows.append(LeftOut(country=cc, name=names.name(cc, lang), standing=standing, candidates=n))
    return rows


def _notes(proj: Projection, home: Node, partners: dict[str, Edge], candidates: int) -> list[tuple[str, dict]]:
    """The report's notes as (kind, params) of ``reasons.TEMPLATES``."""
    notes: list[tuple[str, dict]] = []
    if not partners:
        notes.append(("note.no_partners", {"home": home.id}))
    if home.lat is None:
        notes.append(("note.no_coordinates", {"home": home.id}))
    if not candidates and not proj.countries.nodes:
        notes.append(("note.no_candidates_no_geography", {}))
    elif not candidates:
        notes.append(("note.no_candidates", {"home": home.id}))
    return notes
