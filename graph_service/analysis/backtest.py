"""Backtest: hide a share of real ties, rank candidates for each hidden tie's city, and score the
engine against the classical link-prediction baselines on the same ties, pool and exclusions.

Protocol
--------
1. Read a pairs CSV with the importer's reader (``ingest.pairs_csv.read_rows``: the columns of
   ``../shared/data/sister_pairs.csv``; rows it rejects, such as a country that is not an ISO code,
   are left out). Cities are resolved as the importer resolves them (``ingest.resolve.CityIndex``), so
   same-place variants are one city; duplicate and self pairs are dropped.
2. Shuffle the ties with ``seed`` and hold out ``holdout`` of them. For each held-out tie one end
   (chosen with the same seed) is the query city and the other end the answer.
3. The candidate pool of a query is every city of the file except the query city, cities of its
   country (domestic candidates excluded; domestic held-out ties are skipped), its training
   partners and its other held-out partners (filtered ranking).
   An answer the query city's home-country policy keeps out (a Chinese city's tie with Hong Kong, Macao
   or Taiwan is domestic; territories are never candidates) is skipped and counted (``skipped_by_policy``).
   A held-out answer that is the same place as one of the query's training partners
   (``resolve.same_place``: "Budapest XIII" when Budapest is a partner) is no new partner: the query
   is left out and counted (``same_place_answers``).
4. Every method scores the pool. Rank = 1 + candidates scoring higher + ties broken by one fixed
   random order of cities (the same for every method). Report hits@10/20/50 and MRR, for all queries
   and per group: ``cn`` (query city in China), ``other``, ``cold`` (3 or fewer training ties).

Methods
-------
- ``suggest``: the product, as a user sees it (``suggest.rank_candidates``: candidate pool, the
  strategy profile's weights, the spread over countries). Its rank is the answer's place in that
  list; an answer outside the pool is never found (rank ∞).
- ``scorer``: the same features and weights over every eligible city, with no pool and no spread
  (the top-level ``engine`` of the DESIGN §5 contract).
- the baselines below.

Baselines call ``networkx`` with explicit candidate pairs (never all non-edges):
``adamic_adar_index``, ``resource_allocation_index`` and common neighbours on the query's 2-hop
candidates (every other pair scores 0), and ``preferential_attachment`` on the candidates whose
degree is at least the answer's (only those can rank above it; the rest score strictly less).
Two stronger baselines count in numpy: ``partners_of_partners`` (2-step paths from the query city,
3-step paths breaking ties) and ``compatriot_popularity`` (partners in the query city's country:
"already twinned with Chinese cities").

The scorer is the likelihood features of ``analysis.features`` combined with weights tuned on the training
ties only: an inner split of the training graph (same protocol, seed + 1) gives validation queries,
and coordinate ascent on their hits@20 + MRR moves the weights from ``DEFAULT_WEIGHTS``. ``suggest``
runs the default profile with those same weights (``product_profile``).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from pydantic import BaseModel

from graph_service.analysis import features
from graph_service.analysis.features import DEFAULT_WEIGHTS, LIKELIHOOD_NAMES, Scoring
from graph_service.analysis.projection import Projection
from graph_service.analysis.strategy import Strategy, load_strategy
from graph_service.analysis.suggest import allowed_cities, rank_candidates
from graph_service.errors import InvalidInput, PairsFileError
from graph_service.ingest import geo
from graph_service.ingest.pairs_csv import Side, read_rows
from graph_service.ingest.resolve import CityIndex, same_place
from graph_service.model import Edge, EdgeType, Node, NodeKind, Subgraph, Tier
from graph_service.policy import policy_for

KS = (10, 20, 50)
RADIUS_KM = 300.0
Progress = Callable[[str, int, int], None]


class Scores(BaseModel):
    hits_at_10: float
    hits_at_20: float
    hits_at_50: float
    mrr: float

    def contract(self) -> dict[str, float]:
        return {"hits@10": self.hits_at_10, "hits@20": self.hits_at_20, "hits@50": self.hits_at_50, "mrr": self.mrr}


@dataclass
class Pairs:
    """The cities (index = position) and undirected ties of a pairs file."""

    names: list[str]
    countries: list[str | None]
    coords: list[tuple[float, float] | None]
    ties: list[tuple[int, int]]
    merged: int = 0
    """Row sides resolved to a city first seen under another name (same-place variants)."""


def read_pairs(path: str | Path) -> Pairs:
    """Parse a pairs CSV with the importer's reader, and resolve its cities the way the importer does
    (``ingest.resolve.CityIndex``: Wikidata id, name forms within 25 km, districts within 10 km of
    their city), so "Halle" and "Halle (Saale)" are one city here as in the store. Raises
    ``PairsFileError`` when it is not a pairs file or holds no usable pair."""
    rows, _rejected = read_rows(Path(path).read_bytes(), set(geo.country_codes()), Tier.SISTER)
    index = CityIndex()
    pairs = Pairs([], [], [], [])
    seen: set[tuple[int, int]] = set()
    for row in rows:
        a, b = _city(pairs, index, row.a), _city(pairs, index, row.b)
        if a == b:
            continue
        tie = (min(a, b), max(a, b))
        if tie not in seen:
            seen.add(tie)
            pairs.ties.append(tie)
    if not pairs.ties:
        raise PairsFileError(f"{path}: no usable pairs")
    return pairs


def _city(pairs: Pairs, index: CityIndex, side: Side) -> int:
    match = index.match(side.name, side.country, side.lat, side.lon, side.wikidata)
    if match is not None and match.node_id is not None:  # None: ambiguous across provinces, kept apart
        node = index.nodes[match.node_id]
        if side.name != node.name and side.name not in node.alt_names:
            pairs.merged += 1
            index.add(node.model_copy(update={"alt_names": [*node.alt_names, side.name]}))
        return int(match.node_id)
    i = len(pairs.names)
    pairs.names.append(side.name)
    pairs.countries.append(side.country)
    pairs.coords.append((side.lat, side.lon) if side.lat is not None and side.lon is not None else None)
    index.add(Node.model_construct(id=str(i), kind=NodeKind.CITY, name=side.name, country=side.country,
                                   lat=side.lat, lon=side.lon, wikidata=side.wikidata, alt_names=[], name_zh=None))
    return i


def training_projection(pairs: Pairs, ties: list[tuple[int, int]], countries: list[Node]) -> Projection:
    """A projection holding every city of the file but only ``ties``; city i has id ``p:i``."""
    nodes = list(countries)
    for i, (name, cc, xy) in enumerate(zip(pairs.names, pairs.countries, pairs.coords, strict=True)):
        lat, lon = xy if xy else (None, None)
        nodes.append(Node.model_construct(
            id=f"p:{i:06d}", kind=NodeKind.CITY, name=name, country=cc, lat=lat, lon=lon, population=None,
            tags=[], alt_names=[], name_zh=None, level=None,
        ))
    edges = [Edge.model_construct(src=f"p:{a:06d}", dst=f"p:{b:06d}", type=EdgeType.SISTER_CITY, key="", status=None)
             for a, b in ties]
    return Projection(Subgraph.model_construct(nodes=nodes, edges=edges))


def world_countries() -> list[Node]:
    """The Country nodes ``geo`` loads (with neighbours), so ``neighbour_country`` works in the backtest."""
    return geo.country_nodes()


@dataclass
class Split:
    train: list[tuple[int, int]]
    queries: list[tuple[int, int]]
    held_out: int
    skipped_domestic: int


def split_ties(pairs: Pairs, ties: list[tuple[int, int]], holdout: float, seed: int) -> Split:
    """Hold out ``holdout`` of ``ties``; each held-out foreign tie becomes a (query, answer) pair."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(ties))
    n_out = max(1, round(holdout * len(ties)))
    out_idx, in_idx = order[:n_out], np.sort(order[n_out:])
    flips = rng.random(n_out) < 0.5
    queries, domestic = [], 0
    for flip, i in zip(flips, out_idx, strict=True):
        a, b = ties[i]
        if pairs.countries[a] is not None and pairs.countries[a] == pairs.countries[b]:
            domestic += 1
            continue
        queries.append((b, a) if flip else (a, b))
    return Split([ties[i] for i in in_idx], queries, n_out, domestic)


class Evaluator:
    """Candidate pools, tie-breaking and ranks shared by every method."""

    def __init__(self, pairs: Pairs, proj: Projection, split: Split, seed: int):
        self.pairs, self.proj, self.split = pairs, proj, split
        self.n = len(pairs.names)
        self.tiebreak = np.random.default_rng(seed + 17).permutation(self.n)
        self.by_country: dict[str | None, np.ndarray] = {}
        for cc in set(pairs.countries) - {None}:
            self.by_country[cc] = np.flatnonzero(np.array([c == cc for c in pairs.countries]))
        self.hidden: dict[int, set[int]] = defaultdict(set)
        for u, v in split.queries:
            self.hidden[u].add(v)
        self.graph: nx.Graph[int] = nx.Graph()
        self.graph.add_nodes_from(range(self.n))
        self.graph.add_edges_from(split.train)
        train = np.asarray(split.train, dtype=np.int64).reshape(-1, 2)
        self.src = np.concatenate([train[:, 0], train[:, 1]])
        self.dst = np.concatenate([train[:, 1], train[:, 0]])
        codes = sorted({c for c in pairs.countries if c})
        self.country = np.array([codes.index(c) if c else -1 for c in pairs.countries], dtype=np.int64)
        self._allowed: dict[str | None, np.ndarray] = {}

    def allowed(self, u: int) -> np.ndarray:
        """Per city: whether the policy of ``u``'s country lets it be suggested (``suggest.allowed_cities``)."""
        cc = self.pairs.countries[u]
        if cc not in self._allowed:
            self._allowed[cc] = allowed_cities(self.proj, policy_for(cc))
        return self._allowed[cc]

    def same_place_as_partner(self, u: int, answer: int) -> bool:
        """Whether ``answer`` is one of ``u``'s training partners under another name (``resolve.same_place``):
        re-finding it is no new partner, so the query is left out."""
        target = self._node(answer)
        return any(same_place(target, self._node(p)) for p in self.graph[u])

    def _node(self, i: int) -> Node:
        lat, lon = self.pairs.coords[i] or (None, None)
        return Node.model_construct(id=str(i), kind=NodeKind.CITY, name=self.pairs.names[i],
                                    country=self.pairs.countries[i], lat=lat, lon=lon, alt_names=[])

    def pool(self, u: int, answer: int) -> np.ndarray:
        """The cities ``u`` may be suggested: those its home-country policy allows (no domestic city, and for a
        Chinese city no Taiwan, Hong Kong or Macao, no territory), less its training and other hidden partners."""
        mask = self.allowed(u).copy()
        mask[u] = False
        cc = self.pairs.countries[u]
        if cc is not None:
            mask[self.by_country[cc]] = False
        mask[list(self.graph[u])] = False
        mask[list(self.hidden[u] - {answer})] = False
        return np.flatnonzero(mask)

    def rank(self, cand: np.ndarray, scores: np.ndarray, answer: int) -> int:
        at = int(np.searchsorted(cand, answer))
        s = scores[at]
        tb = self.tiebreak[cand]
        return 1 + int(np.sum(scores > s)) + int(np.sum((scores == s) & (tb < tb[at])))

    def baseline_ranks(self, u: int, answer: int, cand: np.ndarray) -> dict[str, int]:
        g = self.graph
        two_hop = sorted({v for w in g[u] for v in g[w]} - {u})
        in_pool = set(cand.tolist())
        pairs = [(u, v) for v in two_hop if v in in_pool]
        pos = {v: i for i, v in enumerate(cand.tolist())}
        out = {}
        for name, scorer in (
            ("adamic_adar", nx.adamic_adar_index),
            ("resource_allocation", nx.resource_allocation_index),
            ("common_neighbours", _common_neighbours),
        ):
            scores = np.zeros(len(cand))
            for _, v, s in scorer(g, pairs):
                scores[pos[v]] = s
            out[name] = self.rank(cand, scores, answer)
        deg = np.fromiter((g.degree(v) for v in cand.tolist()), dtype=np.int64, count=len(cand))
        need = cand[deg >= g.degree(answer)] if g.degree(u) else np.array([answer])
        scores = np.full(len(cand), -1.0) if g.degree(u) else np.zeros(len(cand))
        for _, v, s in nx.preferential_attachment(g, [(u, int(v)) for v in need]):
            scores[pos[v]] = s
        out["preferential_attachment"] = self.rank(cand, scores, answer)
        out["partners_of_partners"] = self.rank(cand, self.path_counts(u)[cand], answer)
        out["compatriot_popularity"] = self.rank(cand, self.compatriot_counts(u)[cand], answer)
        return out

    def path_counts(self, u: int) -> np.ndarray:
        """Partners of partners counted by paths: the number of 2-step paths from ``u`` to each city, with
        the number of 3-step paths breaking ties (so cities beyond partners of partners still rank)."""
        one = np.zeros(self.n)
        one[list(self.graph[u])] = 1.0
        two = np.bincount(self.dst, weights=one[self.src], minlength=self.n)
        three = np.bincount(self.dst, weights=two[self.src], minlength=self.n)
        return np.asarray(two * (three.max() + 1.0) + three, dtype=np.float64)

    def compatriot_counts(self, u: int) -> np.ndarray:
        """Popularity among the cities of ``u``'s country: each city's training partners in that country."""
        if self.country[u] < 0:
            return np.zeros(self.n)
        home = self.country[self.src] == self.country[u]
        return np.bincount(self.dst[home], minlength=self.n).astype(np.float64)


def _common_neighbours(g: nx.Graph, pairs: list[tuple[int, int]]):
    for u, v in pairs:
        yield u, v, sum(1 for _ in nx.common_neighbors(g, u, v))


def summarise(ranks: list[int] | list[float]) -> Scores:
    r = np.asarray(ranks, dtype=np.float64)
    if len(r) == 0:
        return Scores(hits_at_10=0.0, hits_at_20=0.0, hits_at_50=0.0, mrr=0.0)
    hits = {k: round(float(np.mean(r <= k)), 4) for k in KS}
    return Scores(hits_at_10=hits[10], hits_at_20=hits[20], hits_at_50=hits[50], mrr=round(float(np.mean(1 / r)), 4))


def feature_matrix(proj: Projection, u: int, cand: np.ndarray) -> np.ndarray:
    """The likelihood features of city position ``u``'s candidates, one column per feature."""
    values = features.compute(Scoring(proj, proj.cities.ids[u], cand, RADIUS_KM), LIKELIHOOD_NAMES)
    return np.column_stack([values[f] for f in LIKELIHOOD_NAMES])


def fit_weights(
    pairs: Pairs, train: list[tuple[int, int]], countries: list[Node], holdout: float, seed: int,
    progress: Progress | None = None, max_queries: int = 800,
) -> np.ndarray:
    """Weights of the likelihood features tuned on an inner split of the training ties only.

    Each validation query keeps the answer plus the union of the top 150 candidates by every single
    feature (the only ones that can plausibly reach the top 50). Coordinate ascent over a grid of
    weights then maximises hits@20 + MRR on those queries.
    """
    inner = split_ties(pairs, train, holdout, seed + 1)
    proj = training_projection(pairs, inner.train, countries)
    ev = Evaluator(pairs, proj, inner, seed + 1)
    queries = inner.queries[:max_queries]
    cases = []
    for i, (u, answer) in enumerate(queries):
        cand = ev.pool(u, answer)
        x = feature_matrix(proj, u, cand)
        at = int(np.searchsorted(cand, answer))
        shortlist = {at}
        for column in x.T:
            shortlist.update(np.argsort(-column, kind="stable")[:150].tolist())
        keep = np.array(sorted(shortlist))
        cases.append((x[keep].astype(np.float32), int(np.searchsorted(keep, at)), ev.tiebreak[cand[keep]]))
        if progress:
            progress("learning weights", i + 1, len(queries))
    return coordinate_ascent(cases, np.array([DEFAULT_WEIGHTS[f] for f in LIKELIHOOD_NAMES]))


def _objective(cases: list, w: np.ndarray) -> float:
    ranks = []
    for x, at, tb in cases:
        s = x @ w.astype(np.float32)
        ranks.append(1 + np.sum(s > s[at]) + np.sum((s == s[at]) & (tb < tb[at])))
    r = np.asarray(ranks, dtype=np.float64)
    return float(np.mean(r <= 20) + np.mean(1.0 / r))


def coordinate_ascent(cases: list, start: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Greedy per-weight search over multiples of the current value (deterministic)."""
    w = start.copy()
    best = _objective(cases, w)
    grid = (0.0, 0.25, 0.5, 2.0, 4.0)
    for _ in range(rounds):
        improved = False
        for j in range(len(w)):
            base = w[j] if w[j] > 0 else 0.1
            for factor in grid:
                trial = w.copy()
                trial[j] = base * factor
                score = _objective(cases, trial)
                if score > best + 1e-9:
                    best, w, improved = score, trial, True
        if not improved:
            break
    return w


BASELINES = ("adamic_adar", "resource_allocation", "preferential_attachment", "common_neighbours",
             "partners_of_partners", "compatriot_popularity")
METHODS = ("suggest", "scorer", *BASELINES)
GROUPS = ("all", "cn", "other", "cold")
"""``cn``: query cities in China; ``other``: all others; ``cold``: query cities with 3 or fewer training ties."""
COLD_TIES = 3


class BacktestResult(BaseModel):
    n: int
    held_out: int
    skipped_domestic: int
    skipped_by_policy: int
    same_place_answers: int
    names_merged: int
    seed: int
    holdout: float
    engine: dict[str, float]
    suggest: dict[str, float]
    baselines: dict[str, dict[str, float]]
    groups: dict[str, dict[str, Any]]
    weights: dict[str, float]
    seconds: float

    def contract(self) -> dict:
        """The ``backtest --json`` shape of DESIGN §5, plus the extra keys."""
        return self.model_dump()


def product_profile(weights: np.ndarray) -> Strategy:
    """The default strategy profile with this run's likelihood weights: what ``suggest`` ranks with."""
    tuned = {f: float(w) for f, w in zip(LIKELIHOOD_NAMES, weights, strict=True)}
    default = load_strategy()
    return default.model_copy(update={"feature_weights": default.feature_weights | tuned})


def query_groups(pairs: Pairs, ev: Evaluator, u: int) -> list[str]:
    groups = ["all", "cn" if pairs.countries[u] == "CN" else "other"]
    if ev.graph.degree(u) <= COLD_TIES:
        groups.append("cold")
    return groups


def method_ranks(proj: Projection, ev: Evaluator, profile: Strategy, u: int, answer: int) -> dict[str, float]:
    """The answer's rank under ``suggest`` (its place in the list a user sees; ∞ when it is not in the
    pool), under the bare scorer over every eligible city, and under every baseline."""
    cand = ev.pool(u, answer)
    ranking = rank_candidates(proj, proj.cities.ids[u], profile, exclude=ev.hidden[u] - {answer})
    out: dict[str, float] = {"suggest": math.inf, "scorer": math.inf}
    if ranking is not None:
        if not np.array_equal(ranking.eligible, cand):
            raise AssertionError("suggest and the evaluator disagree on the eligible cities")
        shown = ranking.city_order()
        out["suggest"] = float(shown.index(answer) + 1) if answer in shown else math.inf
        out["scorer"] = float(ev.rank(cand, ranking.eligible_score, answer))
    out.update({name: float(r) for name, r in ev.baseline_ranks(u, answer, cand).items()})
    return out


def backtest(path: str | Path, holdout: float = 0.1, seed: int = 7, progress: Progress | None = None,
             limit: int | None = None) -> BacktestResult:
    """Run ``suggest``, the bare scorer and the baselines on the same held-out ties of a pairs file.

    ``limit`` evaluates only the first ``limit`` queries (for quick looks; the default is all).
    """
    if not 0 < holdout < 1:
        raise InvalidInput(f"--holdout must lie strictly between 0 and 1, not {holdout}")
    started = time.perf_counter()
    pairs = read_pairs(path)
    countries = world_countries()
    split = split_ties(pairs, pairs.ties, holdout, seed)
    weights = fit_weights(pairs, split.train, countries, holdout, seed, progress)
    proj = training_projection(pairs, split.train, countries)
    ev = Evaluator(pairs, proj, split, seed)
    profile = product_profile(weights)
    queries = split.queries[:limit] if limit else split.queries
    ranks: dict[str, dict[str, list[float]]] = {g: defaultdict(list) for g in GROUPS}
    same = kept_out = 0
    for i, (u, answer) in enumerate(queries):
        if not ev.allowed(u)[answer]:
            kept_out += 1
            continue
        if ev.same_place_as_partner(u, answer):
            same += 1
            continue
        found = method_ranks(proj, ev, profile, u, answer)
        for group in query_groups(pairs, ev, u):
            for method, r in found.items():
                ranks[group][method].append(r)
        if progress:
            progress("ranking held-out ties", i + 1, len(queries))
    groups = {g: {"n": len(ranks[g]["scorer"]), **{m: summarise(ranks[g][m]).contract() for m in METHODS}}
              for g in GROUPS}
    overall = groups["all"]
    return BacktestResult(
        n=overall["n"], held_out=split.held_out, skipped_domestic=split.skipped_domestic, skipped_by_policy=kept_out,
        same_place_answers=same,
        names_merged=pairs.merged, seed=seed, holdout=holdout, engine=overall["scorer"], suggest=overall["suggest"],
        baselines={b: overall[b] for b in BASELINES}, groups=groups,
        weights={f: round(float(w), 4) for f, w in zip(LIKELIHOOD_NAMES, weights, strict=True)},
        seconds=round(time.perf_counter() - started, 1),
    )


__all__ = ["BacktestResult", "backtest", "read_pairs", "split_ties"]
