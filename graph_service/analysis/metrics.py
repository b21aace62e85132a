"""Network metrics a planner can use: degree, central partner cities, communities and dormant ties.

- degree: how many partners (both tiers, not ended) each city has;
- centrality: PageRank (damping 0.85) over the partnership graph, by numpy power iteration;
- communities: ``networkx.community.louvain_communities`` with a fixed seed (Blondel et al. 2008);
- dormant ties: partnerships with no EXCHANGE between the two cities in the last N years (or whose
  status is ``dormant``).
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import numpy as np
from pydantic import BaseModel

from graph_service.analysis.projection import Projection
from graph_service.model import Status, Tier

LOUVAIN_SEED = 7


class CityMetric(BaseModel):
    id: str
    name: str
    country: str | None
    degree: int
    pagerank: float


class Community(BaseModel):
    id: int
    size: int
    top: list[str]
    top_names: list[str]
    countries: dict[str, int]


class DormantTie(BaseModel):
    a: str
    b: str
    a_name: str
    b_name: str
    tier: str
    status: str | None
    last_exchange: str | None


class Metrics(BaseModel):
    city: str | None
    top_degree: list[CityMetric]
    central_partners: list[CityMetric]
    communities: list[Community]
    city_community: int | None
    dormant_ties: list[DormantTie]


def pagerank(proj: Projection, damping: float = 0.85, iterations: int = 100, tol: float = 1e-10) -> np.ndarray:
    """PageRank of every city over the (undirected) partnership ties, in ``proj.cities.ids`` order."""
    n = len(proj.cities)
    if n == 0:
        return np.zeros(0)
    rank = np.full(n, 1.0 / n)
    out_degree = proj.ties.degree
    dangling = out_degree == 0
    for _ in range(iterations):
        share = np.where(dangling, 0.0, rank / np.maximum(out_degree, 1))
        new = np.bincount(proj.ties.dst, weights=share[proj.ties.src], minlength=n)
        new = damping * (new + rank[dangling].sum() / n) + (1 - damping) / n
        if np.abs(new - rank).sum() < tol:
            return new
        rank = new
    return rank


def communities(proj: Projection, seed: int = LOUVAIN_SEED) -> list[set[str]]:
    """Louvain communities of the partnership graph (cities with ties only), largest first. Cached."""


    def build() -> list[set[str]]:
        g: nx.Graph[str] = nx.Graph()
        ids = proj.cities.ids
        g.add_edges_from((ids[a], ids[b]) for a, b in zip(proj.ties.src, proj.ties.dst, strict=True) if a < b)
        found = nx.community.louvain_communities(g, seed=seed) if g.number_of_edges() else []
        return sorted(found, key=lambda c: (-len(c), min(c)))

    return proj.memo(("louvain", seed), build)


def dormant_ties(
    proj: Projection, years: int = 5, city: str | None = None, today: date | None = None
) -> list[DormantTie]:
    """Partnerships with no EXCHANGE between the two cities since ``years`` ago (or status dormant)."""
    today = today or date.today()
    cutoff = f"{today.year - years:04d}{today.isoformat()[4:]}"
    last: dict[frozenset[str], str] = {}
    for a, b, data in proj.exchanges():
        if data.get("date"):
            key = frozenset((a, b))
            last[key] = max(last.get(key, ""), data["date"])
    out = []
    for a, partners in sorted(proj.ties.by_city.items()):
        if city is not None and a != city:
            continue
        for b, edge in sorted(partners.items()):
            if (city is None and b < a) or edge.status is Status.ENDED:
                continue
            seen = last.get(frozenset((a, b)))
            if edge.status is Status.DORMANT or seen is None or seen < cutoff:
                out.append(DormantTie(a=a, b=b, a_name=proj.name(a), b_name=proj.name(b), tier=Tier.of(edge.type).value,
                                      status=edge.status.value if edge.status else None, last_exchange=seen))
    return out


def metrics(
    proj: Projection, city: str | None = None, top: int = 20, years: int = 5, dormant_limit: int = 200
) -> Metrics:
    """Degree leaders, central partner cities (of ``city``, or overall), communities and dormant ties."""
    rank = proj.memo("pagerank", lambda: pagerank(proj))

    def row(cid: str) -> CityMetric:
        i = position[cid]
        return CityMetric(id=cid, name=proj.name(cid), country=proj.country_of(cid), degree=int(degree[i]),
                          pagerank=round(float(rank[i]), 8))

    ids, position, degree = proj.cities.ids, proj.cities.position, proj.ties.degree
    by_degree = sorted(range(len(ids)), key=lambda i: (-degree[i], ids[i]))
    top_degree = [row(ids[i]) for i in by_degree[:top] if degree[i] > 0]
    pool = [c for c in (proj.partners(city) if city else ids) if c in position]
    central = sorted(pool, key=lambda c: (-rank[position[c]], c))[:top]
    found = communities(proj)
    comms = []
    for i, members in enumerate(found[:top]):
        ranked = sorted(members, key=lambda c: (-degree[position[c]], c))
        countries: dict[str, int] = {}
        for c in members:
            cc = proj.country_of(c) or "?"
            countries[cc] = countries.get(cc, 0) + 1
        top_cc = dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
        comms.append(Community(id=i, size=len(members), top=ranked[:5], top_names=[proj.name(c) for c in ranked[:5]],
                               countries=top_cc))
    city_community = next((i for i, m in enumerate(found) if city in m), None) if city else None
    return Metrics(city=city, top_degree=top_degree, central_partners=[row(c) for c in central], communities=comms,
                   city_community=city_community, dormant_ties=dormant_ties(proj, years, city)[:dormant_limit])
