"""The feature registry: every scoring feature of a candidate city, with its computation, its reason
and its default weight kept together (``base.Feature``).

``compute`` gives every feature's values for a ``Scoring``; ``explain`` turns one candidate's
contributions (weight × value) into the reasons a planner reads, largest first. A feature whose
contribution is below ``MIN_CONTRIBUTION`` says nothing, and neither does a reason below its
threshold (``base.SIMILAR_SIZE_RATIO``, ``OPEN_MIN_PARTNERS``, ``MIN_NATIONAL_SHARE``, ``HUB_PERCENTILE``).

>>> list(FEATURES)[:3]
['adamic_adar', 'resource_allocation', 'three_hop']
>>> DEFAULT_WEIGHTS["named_target"]
1.5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

from graph_service.analysis.features.base import (
    Explanation,
    Feature,
    FloatArray,
    Reason,
    Scoring,
    squash,
)
from graph_service.analysis.features.likelihood import LIKELIHOOD_FEATURES, size_similarity
from graph_service.analysis.features.regional import REGIONAL_FEATURES
from graph_service.analysis.features.strategic import STRATEGY_FEATURES
from graph_service.analysis.reasons import render

FEATURES: dict[str, Feature] = {f.name: f for f in (*LIKELIHOOD_FEATURES, *REGIONAL_FEATURES, *STRATEGY_FEATURES)}
"""Every feature by name, in a fixed order (likelihood first, then strategy)."""
LIKELIHOOD_NAMES: tuple[str, ...] = tuple(f.name for f in (*LIKELIHOOD_FEATURES, *REGIONAL_FEATURES))
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
        if found is None or found.held_back:
            continue
        evidence = [e for e in dict.fromkeys(found.evidence) if e in s.proj.nodes]
        text = render(found.template or found.kind, found.params, s.lang, s.names.label)
        demo = demo_records(s, cand, found.kind, evidence)
        if demo:
            text += render("demo_evidence", {"records": demo}, s.lang, s.names.label)
        reasons.append(Reason(kind=found.kind, params=found.params, text=text, evidence=evidence,
                              contribution=round(value, 4), demo=demo))
    reasons.sort(key=lambda r: -r.contribution)
    return reasons


COUNTING_KINDS = frozenset({"well_connected"})
"""Reason kinds that count a candidate's partners: they rest on every tie of the candidate."""
CHAIN_KINDS = frozenset({"three_hop"})
"""Reason kinds whose evidence is a path from the home city to the candidate: they rest on its steps."""


def demo_records(s: Scoring, cand: str, kind: str, evidence: list[str]) -> list[str]:
    """The demo (invented) records a reason about ``cand`` rests on, so that its text can say so.

    A reason rests on its evidence nodes and on the ties that join them to the home city, to the
    candidate and to each other (the shared partner of ``partner_of_partner``); a path
    (``three_hop``) on its steps; a counting reason (``well_connected``) on every tie of the
    candidate. Of a demo tie the end that is neither the home city nor the candidate (the partner it
    goes through) is named.
    """
    proj = s.proj
    found: dict[str, None] = {}
    for e in evidence:
        if (node := proj.nodes.get(e)) is not None and node.demo:
            found[e] = None
    ends = [s.home, cand, *evidence]
    if kind in CHAIN_KINDS:
        chain = [s.home, *evidence, cand]
        pairs = list(pairwise(chain))
    else:
        pairs = [(a, b) for i, a in enumerate(ends) for b in ends[i + 1:] if a != b]
    if kind in COUNTING_KINDS:
        pairs += [(cand, b) for b in proj.partners(cand)]
    for a, b in pairs:
        edge = proj.partners(a).get(b)
        if edge is not None and edge.demo:
            found[b if b not in (s.home, cand) else a if a not in (s.home, cand) else cand] = None
    return list(found)


__all__ = [
    "DEFAULT_WEIGHTS", "FEATURES", "LIKELIHOOD_NAMES", "MIN_CONTRIBUTION", "STRATEGY_NAMES", "Explanation",
    "Feature", "Reason", "Scoring", "compute", "explain", "size_similarity", "squash",
]
