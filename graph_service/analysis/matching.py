"""Matching cities (寻找对等城市, seed 003): foreign cities that resemble the home city, ranked by
similarity instead of by the partnership network.

Four similarities, each in [0, 1] and weighted by ``WEIGHTS``:

- ``size``: 1 − |Δ log10 population| / 2 (``features.size_similarity``), and 0 beyond 3× apart
  (``SIMILAR_SIZE_RATIO``: a peer is of similar size or not a peer by size);
- ``tags``: 1 − exp(−n), n the industry and heritage tags shared (``ceramics``, ``buddhist-heritage``;
  the port and capital tags left out, they have their own), so one shared heritage outweighs size;
- ``port``: 1 when both are ports (tag ``port``) or both inland (tag ``inland``);
- ``capital``: 1 when both are capitals: a country's capital (its Country node's ``capital``), or a
  city tagged ``capital`` or ``provincial-capital``.

Each match carries reasons like a suggestion, one per similarity that counts.
Existing partners, the home city and (unless asked) its own country are left out.

>>> WEIGHTS["tags"] > WEIGHTS["size"]
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graph_service.analysis.features import Reason, size_similarity
from graph_service.analysis.features.base import SIMILAR_SIZE_RATIO
from graph_service.analysis.naming import NodeNames
from graph_service.analysis.projection import Projection
from graph_service.analysis.reasons import render
from graph_service.analysis.suggest import Suggestion, SuggestionReport, _spread, allowed_cities
from graph_service.errors import NotFound
from graph_service.i18n import Lang
from graph_service.model import CityRef, Node, NodeKind
from graph_service.policy import policy_for

WEIGHTS = {"size": 1.0, "tags": 2.0, "port": 0.5, "capital": 0.5}
PORT_TAGS = {"port", "inland"}
CAPITAL_TAGS = {"capital", "provincial-capital"}
MODE = "match"
MAX_PER_COUNTRY = 3


def character_tags(node: Node) -> set[str]:
    """A city's industry and heritage tags: its tags less the port and capital ones."""
    return set(node.tags) - PORT_TAGS - CAPITAL_TAGS


def capital_of(proj: Projection, node: Node) -> str | None:
    """What ``node`` is the capital of: its country's id, ``"province"``, or None."""
    country = proj.countries.get(proj.country_of(node.id))
    if country is not None and country.attrs.get("capital") == node.name:
        return country.id
    if CAPITAL_TAGS & set(node.tags):
        return "province"
    return None


def port_status(node: Node) -> str | None:
    tags = set(node.tags)
    return "port" if "port" in tags else "inland" if "inland" in tags else None


def match_cities(
    proj: Projection, city_id: str, limit: int = 20, include_home_country: bool = False, lang: Lang = "en"
) -> SuggestionReport:
    """Foreign cities most like ``city_id`` in size, tags, port status and capital status, with reasons in
    ``lang``. Only cities the home-country policy makes eligible are matched (``suggest.allowed_cities``)."""
    home = proj.nodes.get(city_id)
    if home is None or home.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id!r}", zh=f"没有编号为“{city_id}”的城市。")
    policy = policy_for(proj.country_of(city_id))
    names = NodeNames(proj.nodes, policy)
    report = SuggestionReport(city=CityRef.of(home, proj.country_of(city_id)), strategy=MODE, suggestions=[])
    cities = proj.cities
    home_pos = cities.position[city_id]
    eligible = allowed_cities(proj, policy, include_home_country)
    eligible[home_pos] = False
    eligible[proj.ties.adjacency[home_pos]] = False
    cand = np.flatnonzero(eligible)
    values = _similarities(proj, home, cand)
    score = np.round(sum(WEIGHTS[k] * v for k, v in values.items()), 9)
    ranked = np.argsort(-score, kind="stable")
    ranked = ranked[score[ranked] > 0]
    if not len(ranked):
        report.notes.append(render("note.nothing_to_match", {"home": home.id}, lang, names.label))
        return report
    for i in _spread(ranked, cities.country[cand], limit, MAX_PER_COUNTRY):
        node = proj.nodes[cities.ids[cand[i]]]
        contributions = {k: WEIGHTS[k] * float(v[i]) for k, v in values.items()}
        report.suggestions.append(Suggestion(
            id=node.id, name=node.name, name_zh=node.name_zh, country=proj.country_of(node.id),
            score=round(float(score[i]), 4), sources=["similarity"],
            reasons=_reasons(proj, home, node, contributions, names, lang),
        ))
    return report


def _similarities(proj: Projection, home: Node, cand: np.ndarray) -> dict[str, np.ndarray]:
    nodes = [proj.nodes[proj.cities.ids[i]] for i in cand]
    home_population = proj.cities.population[proj.cities.position[home.id]]
    population = proj.cities.population[cand]
    size = size_similarity(home_population, population)
    size[np.abs(np.log10(np.maximum(population, 1.0) / max(home_population, 1.0))) > np.log10(SIMILAR_SIZE_RATIO)] = 0
    mine = character_tags(home)
    shared = np.array([len(mine & character_tags(n)) for n in nodes]) if mine else np.zeros(len(nodes))
    tags = 1.0 - np.exp(-shared.astype(np.float64))
    port = port_status(home)
    ports = np.array([1.0 if port and port_status(n) == port else 0.0 for n in nodes])
    capital = capital_of(proj, home) is not None
    capitals = np.array([1.0 if capital and capital_of(proj, n) else 0.0 for n in nodes])
    return {"size": size, "tags": tags, "port": ports, "capital": capitals}


def _reasons(proj: Projection, home: Node, node: Node, contributions: dict[str, float], names: NodeNames,
             lang: Lang) -> list[Reason]:
    found: list[tuple[str, str, dict[str, Any], float]] = []
    if contributions["size"] > 0:
        params = {"population": node.population, "home_population": home.population, "home": home.id}
        found.append(("similar_size", "similar_size", params, contributions["size"]))
    shared = sorted(character_tags(home) & character_tags(node))
    if shared:
        found.append(("shared_tags", "shared_tags", {"tags": shared, "home": home.id}, contributions["tags"]))
    if contributions["port"] > 0:
        template = "both_ports" if port_status(node) == "port" else "both_inland"
        found.append(("same_port_status", template, {"home": home.id}, contributions["port"]))
    if contributions["capital"] > 0:
        of = capital_of(proj, node)
        template = "both_capitals" if of and of != "province" else "both_capitals_province"
        params = {"candidate": node.id, "country": of, "home": home.id}
        found.append(("both_capitals", template, params, contributions["capital"]))
    reasons = [Reason(kind=kind, params=params, text=render(template, params, lang, names.label),
                      evidence=[node.id, home.id], contribution=round(value, 4))
               for kind, template, params, value in found]
    reasons.sort(key=lambda r: -r.contribution)
    return reasons
