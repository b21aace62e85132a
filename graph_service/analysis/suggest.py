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

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from graph_service.analysis import features
from graph_service.analysis.candidates import build_pool
from graph_service.analysis.features import Reason, Scoring
from graph_service.analysis.projection import Projection
from graph_service.analysis.strategy import Strategy, load_strategy
from graph_service.errors import NotFound
from graph_service.model import CityRef, Edge, Node, NodeKind


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
    proj: Projection,
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
    strategy = strategy or load_strategy()
    home = proj.nodes.get(city_id)
    if home is None or home.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id!r}")
    report = SuggestionReport(city=CityRef.of(home, proj.country_of(home.id)), strategy=strategy.name, suggestions=[])
    pool = build_pool(proj, city_id, strategy)
    partners = proj.partners(city_id)
    position = proj.cities.position
    idx = pool.candidates()
    keep = idx != position[city_id]
    if not include_partners and partners:
        keep &= ~np.isin(idx, [position[p] for p in partners if p in position])
    home_ci = proj.cities.country[position[city_id]]
    if not include_home_country and home_ci >= 0:
        keep &= proj.cities.country[idx] != home_ci
    idx = idx[keep]
    report.notes = _notes(proj, home, partners, len(idx))
    if not len(idx):
        return report
    scoring = Scoring(proj, city_id, idx, strategy.radius_km, strategy, pool)
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


def _notes(proj: Projection, home: Node, partners: dict[str, Edge], candidates: int) -> list[str]:
    notes = []
    if not partners:
        notes.append(f"{home.name} has no partners yet: suggestions rest on its country's ties and the strategy.")
    if home.lat is None:
        notes.append(f"{home.name} has no coordinates: distance features are left out for it.")
    if not candidates and not proj.countries.nodes:
        notes.append("No candidate found: load world geography (`partner-graph geo`) or partner data first.")
    elif not candidates:
        notes.append(
            f"No candidate found: {home.name} has no partners or institution links, no other city of its country "
            "has partners, and the strategy names no gap countries or targets. Try --strategy nanning-2012 "
            "or a profile of your own."
        )
    return notes
