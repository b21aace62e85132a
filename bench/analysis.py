"""Benchmark of the analysis layer: prints one JSON document.

Loads world geography and the shared pairs file (``../shared/data/sister_pairs.csv``) into a
temporary SQLite store, then measures the projection build time, the warm p50/p95 latency of
``suggest`` and ``gaps`` over 200 random cities that have partners, and the peak RSS.

Loads with the project's own importers (``geo`` and ``import pairs``).

    .venv/bin/python bench/analysis.py [--cities 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.analysis import gap_report, load_strategy, projection, suggest  # noqa: E402
from graph_service.analysis.projection import Projection  # noqa: E402
from graph_service.ingest.geo import load_geo  # noqa: E402
from graph_service.ingest.pairs import import_pairs  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 2), "p95_ms": round(float(np.percentile(ms, 95)), 2),
            "max_ms": round(float(ms.max()), 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        load_geo(store)
        import_pairs(store, PAIRS.read_bytes())
        load_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        proj = projection(store)
        build_cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        snapshot = store.snapshot()
        snapshot_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        Projection(snapshot, store.revision())
        index_s = time.perf_counter() - t0
        del snapshot
        rng = np.random.default_rng(args.seed)
        with_partners = sorted(c for c in proj.cities.ids if proj.partners(c))
        sample = [
            with_partners[i]
            for i in rng.choice(len(with_partners), min(args.cities, len(with_partners)), replace=False)
        ]
        strategy = load_strategy("nanning-2012")
        suggest(projection(store), sample[0], strategy=strategy)
        gap_report(projection(store), sample[0], strategy=strategy)
        suggest_times, gap_times = [], []
        for city in sample:
            t0 = time.perf_counter()
            suggest(projection(store), city, limit=20, strategy=strategy)
            suggest_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            gap_report(projection(store), city, strategy=strategy)
            gap_times.append(time.perf_counter() - t0)
        hubs = sorted(with_partners, key=lambda c: (-len(proj.partners(c)), c))[:20]
        hub_times = []
        for city in hubs:
            suggest(projection(store), city, limit=20, strategy=strategy)
            t0 = time.perf_counter()
            suggest(projection(store), city, limit=20, strategy=strategy)
            hub_times.append(time.perf_counter() - t0)
        counts = store.counts()
        store.close()
    print(
        json.dumps(
            {
                "loader": {"seconds": round(load_seconds, 1)},
                "graph": {
                    "nodes": sum(counts["nodes"].values()),
                    "edges": sum(counts["edges"].values()),
                    "cities_with_partners": len(with_partners),
                },
                "projection_build_s": {
                    "total": round(build_cold, 2),
                    "of_which_store_snapshot": round(snapshot_s, 2),
                    "of_which_projection_indexes": round(index_s, 2),
                },
                "suggest": percentiles(suggest_times)
                | {"cities": len(sample), "strategy": "nanning-2012", "limit": 20},
                "suggest_20_largest_hubs": percentiles(hub_times) | {"most_partners": len(proj.partners(hubs[0]))},
                "gaps": percentiles(gap_times) | {"cities": len(sample), "by": "region"},
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
