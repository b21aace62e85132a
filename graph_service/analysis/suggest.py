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
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from graph_service.analysis import features
from graph_service.analysis.candidates import build_pool
from graph_service.analysis.features import Reason, Scoring
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
    pool = build_pool(proj, city_id, strategy, policy)
    partners = proj.partners(city_id)
    position = proj.cities.position
    idx = pool.candidates()
    keep = idx != position[city_id]
    if not include_partners and partners:
        keep &= ~np.isin(idx, [position[p] for p in partners if p in position])
    idx = idx[keep]
    standing = _standings(proj, policy)[proj.cities.country[idx]]
    allowed = standing == _ELIGIBLE
    if include_home_country:
        allowed |= (standing == _HOME) | (standing == _DOMESTIC)
    report.left_out = _left_out(proj, policy, idx[~allowed & (standing != _HOME)],
                                skip_domestic=include_home_country, lang=lang)
    idx = idx[allowed]
    scoring = Scoring(proj, city_id, idx, strategy.radius_km, strategy, pool, lang=lang)
    report.notes = [render(kind, params, lang, scoring.names.label)
                    for kind, params in _notes(proj, home, partners, len(idx))]
    if not len(idx):
        return report
    weights = strategy.weights()
    contrib = {name: weights.get(name, 0.0) * value for name, value in features.compute(scoring).items()}
    score = np.round(np.sum(list(contrib.values()), axis=0), 9)
    top = _spread(np.argsort(-score, kind="stable"), proj.cities.country[idx], limit, strategy.max_per_country)
    for i in top:
        c = proj.cities.ids[idx[i]]
        node = proj.nodes[c]
        reasons = features.explain(scoring, c, {name: float(values[i]) for name, values in contrib.items()})
        report.suggestions.append(Suggestion(
            id=c, name=node.name, name_zh=node.name_zh, country=proj.country_of(c), score=round(float(score[i]), 4),
            sources=pool.sources_of(int(idx[i])), reasons=reasons,
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
