"""The feature registry: every scoring feature of a candidate city, with its computation, its reason
and its default weight kept together (``base.Feature``).

``compute`` gives every feature's values for a ``Scoring``; ``explain`` turns one candidate's
contributions (weight × value) into the reasons a planner reads, largest first. A feature whose
contribution is below ``MIN_CONTRIBUTION`` says nothing.

>>> list(FEATURES)[:3]
['adamic_adar', 'resource_allocation', 'three_hop']
>>> DEFAULT_WEIGHTS["named_target"]
1.5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_service.analysis.features.base import (
    Explanation,
    Feature,
    FloatArray,
    Reason,
    Scoring,
    squash,
)
from graph_service.analysis.features.likelihood import LIKELIHOOD_FEATURES, size_similarity
from graph_service.analysis.features.strategic import STRATEGY_FEATURES
from graph_service.analysis.reasons import render

FEATURES: dict[str, Feature] = {f.name: f for f in (*LIKELIHOOD_FEATURES, *STRATEGY_FEATURES)}
"""Every feature by name, in a fixed order (likelihood first, then strategy)."""
LIKELIHOOD_NAMES: tuple[str, ...] = tuple(f.name for f in LIKELIHOOD_FEATURES)
STRATEGY_NAMES: tuple[str, ...] = tuple(f.name for f in STRATEGY_FEATURES)
DEFAULT_WEIGHTS: dict[str, float] = {f.name: f.weight for f in FEATURES.values()}
"""The weight of each feature when a strategy profile gives none."""
MIN_CONTRIBUTION = 0.005


def compute(s: Scoring, names: Iterable[str] = FEATURES) -> dict[str, FloatArray]:
    """The values of the named features (every feature by default) for the candidates of ``s``."""
    return {name: FEATURES[name].compute(s) for name in names}


def explain(s: Scoring, cand: str, contributions: Mapping[str, float]) -> list[Reason]:
    """The reasons behind one candidate's score, largest contribution first.

    A feature with ``explained_by`` adds its contribution to that feature's reason; evidence ids are
    kept once each, and only where the node exists.
    """
    merged: dict[str, float] = {}
    for name, value in contributions.items():
        owner = FEATURES[name].explained_by or name
        merged[owner] = merged.get(owner, 0.0) + value
    reasons = []
    for name, value in merged.items():
        if value < MIN_CONTRIBUTION:
            continue
        found = FEATURES[name].explain(s, cand)
        if found is None:
            continue
        evidence = [e for e in dict.fromkeys(found.evidence) if e in s.proj.nodes]
        text = render(found.template or found.kind, found.params, s.lang, s.names.label)
        reasons.append(Reason(kind=found.kind, params=found.params, text=text, evidence=evidence,
                              contribution=round(value, 4)))
    reasons.sort(key=lambda r: -r.contribution)
    return reasons


__all__ = [
    "DEFAULT_WEIGHTS", "FEATURES", "LIKELIHOOD_NAMES", "MIN_CONTRIBUTION", "STRATEGY_NAMES", "Explanation",
    "Feature", "Reason", "Scoring", "compute", "explain", "size_similarity", "squash",
]
