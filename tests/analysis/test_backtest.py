"""Backtest on tiny pairs with hand-computed ranks; the full real backtest lives in bench/."""

from __future__ import annotations

import csv
import json
import math

import numpy as np
from typer.testing import CliRunner

from graph_service.analysis.backtest import (
    Evaluator,
    Pairs,
    Split,
    backtest,
    read_pairs,
    split_ties,
    summarise,
    training_projection,
)
from graph_service.cli import app

CITIES = ["q", "h1", "h2", "t", "x", "y", "z", "dom"]
COUNTRY = {"q": "FR", "h1": "DE", "h2": "IT", "t": "ES", "x": "PT", "y": "NL", "z": "BE", "dom": "FR"}
TRAIN = [("q", "h1"), ("q", "h2"), ("h1", "t"), ("h2", "t"), ("h1", "x"), ("y", "z"), ("h1", "dom")]


def tiny() -> tuple[Pairs, Evaluator]:
    idx = {c: i for i, c in enumerate(CITIES)}
    pairs = Pairs(CITIES, [COUNTRY[c] for c in CITIES], [(40.0 + i, 2.0 * i) for i in range(len(CITIES))],
                  [(idx[a], idx[b]) for a, b in TRAIN])
    split = Split(
        train=pairs.ties, queries=[(idx["q"], idx["t"]), (idx["y"], idx["t"])], held_out=2, skipped_domestic=0
    )
    proj = training_projection(pairs, split.train, [])
    return pairs, Evaluator(pairs, proj, split, seed=7)


def test_pool_excludes_self_domestic_and_training_partners():
    _, ev = tiny()
    assert [CITIES[i] for i in ev.pool(0, 3)] == ["t", "x", "y", "z"]
    assert [CITIES[i] for i in ev.pool(5, 3)] == ["q", "h1", "h2", "t", "x", "dom"]


def test_baselines_rank_the_shared_neighbour_first():
    _, ev = tiny()
    ranks = ev.baseline_ranks(0, 3, ev.pool(0, 3))
    # AA(q,t) = 1/ln 4 + 1/ln 2 = 2.16 > AA(q,x) = 1/ln 4; CN 2 > 1; RA 0.75 > 0.25; PA deg(t)=2 > 1.
    # Paths: two 2-step paths reach t (via h1 and h2), one reaches x. No candidate has a French partner,
    # so compatriot popularity falls back on the fixed tie order.
    cand = ev.pool(0, 3)
    tie_place = 1 + sum(ev.tiebreak[c] < ev.tiebreak[3] for c in cand)
    assert ranks == {"adamic_adar": 1, "resource_allocation": 1, "common_neighbours": 1, "preferential_attachment": 1,
                     "partners_of_partners": 1, "compatriot_popularity": tie_place}


def test_compatriot_popularity_and_path_counts():
    _, ev = tiny()
    idx = {c: i for i, c in enumerate(CITIES)}
    # dom (FR) asks; h2 is the only candidate with a French partner (q).
    assert ev.compatriot_counts(idx["dom"])[idx["h2"]] == 1
    assert ev.baseline_ranks(idx["dom"], idx["h2"], ev.pool(idx["dom"], idx["h2"]))["compatriot_popularity"] == 1
    # From q: 2-step paths q-h1-t, q-h2-t, q-h1-x; 3-step paths break ties among the rest.
    paths = ev.path_counts(idx["q"])
    assert paths[idx["t"]] > paths[idx["x"]] > paths[idx["y"]] == 0


def test_ties_are_broken_by_one_fixed_order_for_every_method():
    _, ev = tiny()
    cand = ev.pool(5, 3)
    ranks = ev.baseline_ranks(5, 3, cand)
    tb = {CITIES[c]: ev.tiebreak[c] for c in cand}
    # y has no 2-hop neighbours: AA, RA and CN are all 0, so t's rank is its place in the fixed order.
    expected_zero = 1 + sum(tb[c] < tb["t"] for c in ["q", "h1", "h2", "x", "dom"])
    assert ranks["adamic_adar"] == ranks["resource_allocation"] == ranks["common_neighbours"] == expected_zero
    # PA = deg(y)·deg(v): h1 (4) beats t (2); q and h2 tie with t at 2.
    assert ranks["preferential_attachment"] == 2 + sum(tb[c] < tb["t"] for c in ["q", "h2"])


def test_summary_metrics():
    s = summarise([1, 5, 15, 40, 100]).contract()
    assert s == {
        "hits@10": 0.4,
        "hits@20": 0.6,
        "hits@50": 0.8,
        "mrr": round((1 + 1 / 5 + 1 / 15 + 1 / 40 + 1 / 100) / 5, 4),
    }


def test_split_is_deterministic_and_skips_domestic_ties():
    pairs = Pairs(["a", "b", "c", "d"], ["FR", "FR", "DE", "IT"], [None] * 4, [(0, 1), (0, 2), (1, 3), (2, 3)])
    one, two = split_ties(pairs, pairs.ties, 0.5, 3), split_ties(pairs, pairs.ties, 0.5, 3)
    assert one == two and one.held_out == 2 and len(one.train) == 2
    assert one.skipped_domestic + len(one.queries) == 2
    assert all(pairs.countries[u] != pairs.countries[v] for u, v in one.queries)


def synthetic_pairs(path, clusters: int = 6, size: int = 8, seed: int = 1):
    """Clusters of cities in different countries, densely tied inside, sparsely across."""
    rng = np.random.default_rng(seed)
    rows = []
    cities = [
        (f"c{k}-{i}", f"{chr(65 + k)}{chr(65 + i)}", 10.0 * k, 3.0 * i) for k in range(clusters) for i in range(size)
    ]
    for k in range(clusters):
        members = cities[k * size : (k + 1) * size]
        for i in range(size):
            for j in range(i + 1, size):
                if rng.random() < 0.6:
                    rows.append((members[i], members[j]))
    for _ in range(clusters * 2):
        a, b = rng.choice(len(cities), 2, replace=False)
        rows.append((cities[a], cities[b]))
    with open(path, "w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["city_a", "country_a", "lat_a", "lon_a", "city_b", "country_b", "lat_b", "lon_b", "sources"])
        for (na, ca, la, oa), (nb, cb, lb, ob) in rows:
            w.writerow([na, ca, la, oa, nb, cb, lb, ob, "synthetic"])
    return path


def test_backtest_is_deterministic_and_beats_chance(tmp_path):
    path = synthetic_pairs(tmp_path / "pairs.csv")
    first = backtest(path, holdout=0.2, seed=7)
    second = backtest(path, holdout=0.2, seed=7)
    assert first.engine == second.engine and first.baselines == second.baselines
    assert first.n == len(split_ties(read_pairs(path), read_pairs(path).ties, 0.2, 7).queries)
    assert first.baselines["adamic_adar"]["hits@10"] > 0.5  # dense clusters: AA finds the hidden tie
    assert first.engine["hits@10"] > 0 and first.engine["mrr"] > 0.25
    assert first.groups == second.groups and first.suggest == first.groups["all"]["suggest"]
    groups = first.groups
    assert groups["all"]["n"] == first.n == groups["cn"]["n"] + groups["other"]["n"]
    assert groups["cn"]["n"] == 0 and groups["cold"]["n"] == first.n, "every query city has 3 ties or fewer"
    assert groups["all"]["suggest"]["hits@10"] > 0, "the product finds hidden ties inside dense clusters"


def test_backtest_cli_json_shape_and_bad_input(tmp_path):
    runner = CliRunner()
    path = synthetic_pairs(tmp_path / "pairs.csv")
    result = runner.invoke(app, ["backtest", "--pairs", str(path), "--holdout", "0.2", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"n", "engine", "suggest", "baselines", "groups"}
    baselines = {"adamic_adar", "resource_allocation", "preferential_attachment", "common_neighbours",
                 "partners_of_partners", "compatriot_popularity"}
    assert set(data["baselines"]) == baselines
    assert set(data["groups"]) == {"all", "cn", "other", "cold"}
    for group in data["groups"].values():
        assert set(group) == {"n", "suggest", "scorer", *baselines}
    assert set(data["engine"]) == {"hits@10", "hits@20", "hits@50", "mrr"}
    assert all(0 <= v <= 1 for v in data["engine"].values()) and not math.isnan(data["engine"]["mrr"])
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["backtest", "--pairs", str(bad), "--json"])
    assert result.exit_code == 1 and "the header lacks city_a, country_a, city_b, country_b" in result.output
    result = runner.invoke(app, ["backtest", "--pairs", str(tmp_path / "none.csv")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(app, ["backtest", "--pairs", str(path), "--holdout", "1.5"])
    assert result.exit_code == 1 and "holdout" in result.output
