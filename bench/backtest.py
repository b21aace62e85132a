"""The backtest over several seeds, with the issue 14 targets: prints one JSON document.

Runs ``backtest`` on ``../shared/data/sister_pairs.csv`` (read in place) for each seed, then reports per
group (``all``, ``cn``, ``other``, ``cold``) the mean of every method over the seeds, and each target
beside its anchor from the same runs:

- ``cn``: ``suggest`` hits@20 against the best baseline's (target ≥ 1.5×, and ≥ 0.12 absolute);
- ``cold``: ``suggest`` MRR against the best baseline's (target ≥ 1.3×);
- ``all`` (same-place answers left out): ``suggest`` hits@20 against Adamic-Adar's (target ≥ 1.5×).

    .venv/bin/python bench/backtest.py [--seeds 7 1 2] [--runs run7.json run1.json ...]

``--runs`` aggregates ``backtest --json`` outputs already written instead of running again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.analysis.backtest import BASELINES, GROUPS, METHODS, backtest  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
METRICS = ("hits@10", "hits@20", "hits@50", "mrr")


def means(runs: list[dict]) -> dict:
    out: dict = {}
    for group in GROUPS:
        out[group] = {"n": [run["groups"][group]["n"] for run in runs]}
        for method in METHODS:
            out[group][method] = {m: round(float(np.mean([run["groups"][group][method][m] for run in runs])), 4)
                                  for m in METRICS}
    return out


def best_baseline(group: dict, metric: str) -> tuple[str, float]:
    name = max(BASELINES, key=lambda b: group[b][metric])
    return name, group[name][metric]


def targets(mean: dict) -> dict:
    cn_name, cn_best = best_baseline(mean["cn"], "hits@20")
    cold_name, cold_best = best_baseline(mean["cold"], "mrr")
    cn = mean["cn"]["suggest"]["hits@20"]
    cold = mean["cold"]["suggest"]["mrr"]
    overall = mean["all"]["suggest"]["hits@20"]
    aa = mean["all"]["adamic_adar"]["hits@20"]
    return {
        "cn_hits@20": {"suggest": cn, "anchor": cn_best, "anchor_method": cn_name,
                       "ratio": round(cn / cn_best, 2) if cn_best else None,
                       "met": bool(cn >= 1.5 * cn_best and cn >= 0.12)},
        "cold_mrr": {"suggest": cold, "anchor": cold_best, "anchor_method": cold_name,
                     "ratio": round(cold / cold_best, 2) if cold_best else None, "met": bool(cold >= 1.3 * cold_best)},
        "all_hits@20": {"suggest": overall, "anchor": aa, "anchor_method": "adamic_adar",
                        "ratio": round(overall / aa, 2) if aa else None, "met": bool(overall >= 1.5 * aa)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 1, 2])
    parser.add_argument("--holdout", type=float, default=0.1)
    parser.add_argument("--runs", type=Path, nargs="*", help="backtest --json outputs to aggregate instead")
    args = parser.parse_args()
    if args.runs:
        runs = [json.loads(p.read_text()) for p in args.runs]
    else:
        runs = [backtest(PAIRS, holdout=args.holdout, seed=s).contract() for s in args.seeds]
    mean = means(runs)
    print(json.dumps({
        "seeds": [run["seed"] for run in runs], "holdout": runs[0]["holdout"],
        "targets": targets(mean), "mean": mean,
        "per_run": [{k: run.get(k) for k in ("seed", "n", "skipped_by_policy", "same_place_answers", "names_merged",
                                         "seconds")} for run in runs],
    }, indent=1))


if __name__ == "__main__":
    main()
