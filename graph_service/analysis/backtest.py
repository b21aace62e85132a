"""Backtest: hide a share of real ties, rank candidates for each hidden tie's city, and score the
engine against the classical link-prediction baselines on the same ties, pool and exclusions.

Protocol
--------
1. Read a pairs CSV with the importer's reader (``ingest.pairs_csv.read_rows``: the columns of
   ``../shared/data/sister_pairs.csv``; rows it rejects, such as a country that is not an ISO code,
   are left out). A city is its normalised name plus country; duplicate and self pairs are dropped.
2. Shuffle the ties with ``seed`` and hold out ``holdout`` of them. For each held-out tie one end
   (chosen with the same seed) is the query city and the other end the answer.
3. The candidate pool of a query is every city of the file except the query city, cities of its
   country (domestic candidates excluded; domestic held-out ties are skipped), its training
   partners and its other held-out partners (filtered ranking).
4. Every method scores the pool. Rank = 1 + candidates scoring higher + ties broken by one fixed
   random order of cities (the same for every method). Report hits@10/20/50 and MRR.

Baselines call ``networkx`` with explicit candidate pairs (never all non-edges):
``adamic_adar_index``, ``resource_allocation_index`` and common neighbours on the query's 2-hop
candidates (every other pair scores 0), and ``preferential_attachment`` on the candidates whose
degree is at least the answer's (only those can rank above it; the rest score strictly less).

The engine is the likelihood features of ``analysis.features`` combined with weights tuned on the training ties
only: an inner split of the training graph (same protocol, seed + 1) gives validation queries, and
coordinate ascent on their hits@20 + MRR moves the weights from ``DEFAULT_WEIGHTS``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from pydantic import BaseModel

from graph_service.analysis import features
from graph_service.analysis.features import DEFAULT_WEIGHTS, LIKELIHOOD_NAMES, Scoring
from graph_service.analysis.projection import Projection
from graph_service.errors import InvalidInput, PairsFileError
from graph_service.ingest import geo
from graph_service.ingest.pairs_csv import Side, read_rows
from graph_service.model import Edge, EdgeType, Node, NodeKind, Subgraph, Tier
from graph_service.text import normalise

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


def read_pairs(path: str | Path) -> Pairs:
    """Parse a pairs CSV with the importer's reader. Raises ``PairsFileError`` when it is not one or
    holds no usable pair."""
    rows, _rejected = read_rows(Path(path).read_bytes(), set(geo.country_codes()), Tier.SISTER)
    keys: dict[tuple[str, str], int] = {}
    pairs = Pairs([], [], [], [])
    seen: set[tuple[int, int]] = set()
    for row in rows:
        a, b = _city(pairs, keys, row.a), _city(pairs, keys, row.b)
        if a == b:
            continue
        tie = (min(a, b), max(a, b))
        if tie not in seen:
            seen.add(tie)
            pairs.ties.append(tie)
    if not pairs.ties:
        raise PairsFileError(f"{path}: no usable pairs")
    return pairs


def _city(pairs: Pairs, keys: dict[tuple[str, str], int], side: Side) -> int:
    key = (normalise(side.name), side.country)
    if key not in keys:
        keys[key] = len(pairs.names)
        pairs.names.append(side.name)
        pairs.countries.append(side.country)
        pairs.coords.append((side.lat, side.lon) if side.lat is not None and side.lon is not None else None)
    return keys[key]


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

    def pool(self, u: int, answer: int) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
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
        return out


def _common_neighbours(g: nx.Graph, pairs: list[tuple[int, int]]):
    for u, v in pairs:
        yield u, v, sum(1 for _ in nx.common_neighbors(g, u, v))


def summarise(ranks: list[int]) -> Scores:
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


class BacktestResult(BaseModel):
    n: int
    held_out: int
    skipped_domestic: int
    seed: int
    holdout: float
    engine: dict[str, float]
    baselines: dict[str, dict[str, float]]
    weights: dict[str, float]
    seconds: float

    def contract(self) -> dict:
        """The ``backtest --json`` shape of DESIGN §5, plus the extra keys."""
        return self.model_dump()


def backtest(path: str | Path, holdout: float = 0.1, seed: int = 7, progress: Progress | None = None,
             limit: int | None = None) -> BacktestResult:
    """Run the engine and the four baselines on the same held-out ties of a pairs file.

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
    queries = split.queries[:limit] if limit else split.queries
    ranks: dict[str, list[int]] = defaultdict(list)
    for i, (u, answer) in enumerate(queries):
        cand = ev.pool(u, answer)
        ranks["engine"].append(ev.rank(cand, feature_matrix(proj, u, cand) @ weights, answer))
        for name, r in ev.baseline_ranks(u, answer, cand).items():
            ranks[name].append(r)
        if progress:
            progress("ranking held-out ties", i + 1, len(queries))
    baselines = ("adamic_adar", "resource_allocation", "preferential_attachment", "common_neighbours")
    return BacktestResult(
        n=len(queries), held_out=split.held_out, skipped_domestic=split.skipped_domestic, seed=seed, holdout=holdout,
        engine=summarise(ranks["engine"]).contract(),
        baselines={b: summarise(ranks[b]).contract() for b in baselines},
        weights={f: round(float(w), 4) for f, w in zip(LIKELIHOOD_NAMES, weights, strict=True)},
        seconds=round(time.perf_counter() - started, 1),
    )


__all__ = ["BacktestResult", "backtest", "read_pairs", "split_ties"]
