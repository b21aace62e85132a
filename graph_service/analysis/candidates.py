"""Candidate sources for point-to-area suggestions (DESIGN §4), each with the evidence that found it.

1. ``near_partner``: cities within R km of an existing partner (以点带面);
2. ``neighbour_country``: major cities of countries bordering partner countries (板块推进);
3. ``partner_of_partner``: the 2-hop neighbourhood over SISTER_CITY and FRIENDLY_EXCHANGE;
4. ``institution``: cities linked through schools, enterprises, honorary citizens, consulates, exchanges;
5. ``gap_country``: the top cities of the strategy's gap countries where the home city has no partner.

More feed the same pool: ``near_home``, cities across the border within R km of the home city itself
(以点带面 starting from home); the strategy's named targets; ``peer_partner`` (partners of other
cities of the home country, the city-level side of peer coverage); and, added by
``suggest.rank_candidates``, ``likely``: the cities the scorer ranks highest over every eligible city.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph_service.analysis.features.base import foreign_partners
from graph_service.analysis.projection import Projection
from graph_service.analysis.reasons import localised
from graph_service.analysis.strategy import Strategy
from graph_service.model import EdgeType, NodeKind
from graph_service.policy import Policy, policy_for
from graph_service.text import normalise

PLACE_EDGES = {EdgeType.LOCATED_IN.value, EdgeType.INVESTS_IN.value, EdgeType.OPERATES_IN.value}


@dataclass
class Link:
    """One institution link from the home city to a candidate city (or to a whole country): a link kind
    of ``reasons.TEMPLATES`` (``link.partner_school`` …) with its parameters."""

    kind: str
    params: dict[str, Any]
    evidence: list[str]
    strength: float


@dataclass
class Pool:
    """The candidate pool: for each source, the city indexes it proposed; plus institution links and targets."""

    by_source: dict[str, np.ndarray] = field(default_factory=dict)
    links: dict[str, list[Link]] = field(default_factory=lambda: defaultdict(list))
    targets: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, source: str, idx: Iterable[int] | np.ndarray) -> None:
        found = np.asarray(list(idx) if not isinstance(idx, np.ndarray) else idx, dtype=np.int64)
        held = self.by_source.get(source)
        self.by_source[source] = found if held is None else np.concatenate([held, found])

    def candidates(self) -> np.ndarray:
        """Every proposed city index, once, sorted."""
        if not self.by_source:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(list(self.by_source.values())))

    def sources_of(self, index: int) -> list[str]:
        return sorted(s for s, found in self.by_source.items() if np.any(found == index))


def build_pool(proj: Projection, home: str, strategy: Strategy, policy: Policy | None = None) -> Pool:
    """Every candidate the five sources (and named targets, peer partners) propose for ``home``.

    Country-level sources (neighbouring countries, gap countries) draw only from countries the
    home-country ``policy`` makes eligible; the caller filters the rest of the pool by the same policy.
    """
    policy = policy or policy_for(proj.country_of(home))
    pool = Pool()
    position, by_country = proj.cities.position, proj.cities.by_country
    partners = foreign_partners(proj, position[home], policy)
    top = strategy.top_cities_per_country
    for p in partners:
        pool.add("near_partner", proj.geo.near(int(p), strategy.radius_km)[0])
    pool.add("near_home", near_home(proj, home, strategy.radius_km))
    if len(partners):
        pool.add("partner_of_partner", proj.ties.adjacency.gather(partners)[0])
    partner_countries = {cc for p in partners if (cc := proj.country_of(proj.cities.ids[p]))}
    for cc in proj.countries.bordering(partner_countries):
        if policy.classify(cc) in ("eligible", "home", "domestic"):  # suggest() drops home cities unless asked
            pool.add("neighbour_country", (position[c] for c in by_country.get(cc, [])[:top]))
    for cc, priority in strategy.gap_countries.items():
        if priority > 0 and cc not in partner_countries and policy.is_eligible(cc):
            pool.add("gap_country", (position[c] for c in by_country.get(cc, [])[:top]))
    for city, links in institution_links(proj, home, top).items():
        if city in position:
            pool.links[city].extend(links)
            pool.add("institution", [position[city]])
    for cid, text in named_targets(proj, strategy).items():
        pool.targets[cid] = text
        pool.add("named_target", [position[cid]])
    home_cc = proj.country_of(home)
    if home_cc:
        pool.add("peer_partner", peer_partners(proj, home_cc, position[home]))
    return pool


def peer_partners(proj: Projection, country: str, home: int) -> np.ndarray:
    """City positions partnered with a city of ``country`` other than city position ``home``.

    The partners of a whole country, with how many of its cities each has, are worked out once per
    projection; ``home``'s own ties are then taken off, so the cost per suggestion is its own degree.
    """

    def build() -> tuple[np.ndarray, np.ndarray]:
        peers = np.flatnonzero(proj.cities.country == proj.countries.position.get(country, -2))
        return np.unique(proj.ties.adjacency.gather(peers)[0], return_counts=True)

    partners, counts = proj.memo(("peer_partners", country), build)
    if proj.cities.country[home] == proj.countries.position.get(country, -2):
        own = np.searchsorted(partners, proj.ties.adjacency[home])
        counts = counts.copy()
        counts[own] -= 1
    return partners[counts > 0]


def near_home(proj: Projection, home: str, radius_km: float) -> np.ndarray:
    """Positions of the cities of other countries within ``radius_km`` of ``home``, nearest first."""
    home_pos = proj.cities.position[home]
    near, _ = proj.geo.near(home_pos, radius_km)
    home_ci = proj.cities.country[home_pos]
    return near[(proj.cities.country[near] != home_ci) | (home_ci < 0)] if len(near) else near


def named_targets(proj: Projection, strategy: Strategy) -> dict[str, dict[str, str]]:
    """Target city id → its name in English and Chinese (``loc``), for the profile's targets found in the graph."""
    found = {}
    for target in strategy.targets:
        cid = next((i for i in target.ids if i in proj.nodes and proj.nodes[i].kind is NodeKind.CITY), None)
        if cid is None:
            wanted = {normalise(n) for n in [target.name, *target.names]}
            matches = [
                c for c in proj.cities.by_country.get(target.country, [])
                if normalise(proj.nodes[c].name) in wanted
                or wanted & {normalise(a) for a in [*proj.nodes[c].alt_names, proj.nodes[c].name_zh or ""]}
            ] if target.country else []
            cid = matches[0] if matches else None
        if cid is not None:
            en = f"{target.name} ({target.name_zh})" if target.name_zh else target.name
            found[cid] = localised(en, target.name_zh)
    return found


def institution_links(proj: Projection, home: str, top: int) -> dict[str, list[Link]]:
    """Cities reached from ``home`` through schools, enterprises, honorary citizens, consulates and exchanges."""
    links: dict[str, list[Link]] = defaultdict(list)
    anchors = [home] + [d for d, t in proj.out_edges(home) if t == EdgeType.LOCATED_IN.value and _is_city(proj, d)]
    attached: set[str] = set()
    for anchor in anchors:
        attached.update(x for x, _ in proj.in_edges(anchor))
    for x in sorted(attached):
        node = proj.nodes.get(x)
        if node is None:
            continue
        kind = node.kind
        if kind is NodeKind.SCHOOL:
            for y in _undirected(proj, x, EdgeType.PARTNER_SCHOOL.value):
                for city in _places(proj, y):
                    links[city].append(Link("link.partner_school",
                                            {"school": x, "home": home, "other": y, "city": city}, [x, y], 1.0))
        elif kind in (NodeKind.ENTERPRISE, NodeKind.ORGANIZATION):
            for city in _places(proj, x):
                links[city].append(Link("link.enterprise", {"organisation": x, "home": home, "city": city}, [x], 1.0))
        elif kind is NodeKind.HONORARY_CITIZEN:
            for city in _places(proj, x):
                links[city].append(Link("link.honorary_citizen", {"person": x, "home": home, "city": city}, [x], 1.0))
        elif kind is NodeKind.CONSULATE:
            for cc, t in proj.out_edges(x):
                if t != EdgeType.REPRESENTS.value or cc not in proj.countries:
                    continue
                for city in proj.cities.by_country.get(cc, [])[:top]:
                    params = {"consulate": x, "home": home, "country": cc}
                    links[city].append(Link("link.consulate", params, [x, cc], 0.5))
    for other, data in [*proj.edge_data(home, "out"), *proj.edge_data(home, "in")]:
        if data.get("type") == EdgeType.EXCHANGE.value and proj.nodes.kind(other) == NodeKind.CITY.value:
            when = f" ({data['date']})" if data.get("date") else ""
            title = data.get("title") or (f"an exchange in {data['field']}" if data.get("field") else "an exchange")
            links[other].append(Link("link.exchange", {
                "home": home, "city": other, "title": localised(title + when, None), "field": data.get("field"),
                "date": data.get("date"),
            }, [other], 1.0))
    return {c: ls for c, ls in links.items() if c != home}


def _is_city(proj: Projection, node_id: str) -> bool:
    return proj.nodes.kind(node_id) == NodeKind.CITY.value


def _undirected(proj: Projection, node: str, edge_type: str) -> list[str]:
    ends = [*proj.out_edges(node), *proj.in_edges(node)]
    return [other for other, t in ends if t == edge_type]


def _places(proj: Projection, node: str) -> list[str]:
    """Cities a school, enterprise or person is located in, invests in or operates in."""
    return sorted({d for d, t in proj.out_edges(node) if t in PLACE_EDGES and _is_city(proj, d)})
