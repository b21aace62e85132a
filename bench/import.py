"""Benchmark of the importers: prints one JSON document.

On fresh temporary SQLite stores, measures
- ``geo``: the world-geography load (252 countries, regions, every city of 15,000+), in cities/s;
- ``import pairs`` of the shared file ``../shared/data/sister_pairs.csv``, in rows/s, on an empty
  store and on a store where ``geo`` ran first (the merging case), and the re-import of the same
  file (which writes nothing).

Each measurement is repeated ``--repeat`` times on a new store; the JSON gives the median and every run.

    .venv/bin/python bench/import.py [--repeat 3] [--min-population 15000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.ingest.geo import load_geo  # noqa: E402
from graph_service.ingest.pairs import import_pairs  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def summary(seconds: list[float], items: int, unit: str) -> dict:
    median = statistics.median(seconds)
    return {"items": items, "median_seconds": round(median, 2), f"median_{unit}_per_s": round(items / median, 1),
            "runs_seconds": [round(s, 2) for s in seconds]}


def run(repeat: int, min_population: int) -> dict:
    raw = PAIRS.read_bytes()
    geo_s, empty_s, after_geo_s, reimport_s = [], [], [], []
    cities = rows = 0
    reports = {}
    for n in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = SQLiteStore(Path(tmp) / "geo.db")
            seconds, report = timed(partial(load_geo, store, min_population))
            geo_s.append(seconds)
            cities = report.cities
            seconds, report = timed(partial(import_pairs, store, raw))
            after_geo_s.append(seconds)
            reports["after_geo"] = _counts(report)
            store.close()
            store = SQLiteStore(Path(tmp) / "empty.db")
            seconds, report = timed(partial(import_pairs, store, raw))
            empty_s.append(seconds)
            rows = report.rows_read
            reports["empty_store"] = _counts(report)
            seconds, report = timed(partial(import_pairs, store, raw))
            reimport_s.append(seconds)
            reports["reimport"] = _counts(report)
            store.close()
        print(f"run {n + 1}/{repeat} done", file=sys.stderr)
    return {
        "benchmark": "import",
        "pairs_file": str(PAIRS),
        "repeat": repeat,
        "geo": summary(geo_s, cities, "cities") | {"min_population": min_population},
        "pairs_empty_store": summary(empty_s, rows, "rows"),
        "pairs_after_geo": summary(after_geo_s, rows, "rows"),
        "pairs_reimport": summary(reimport_s, rows, "rows"),
        "reports": reports,
    }


def _counts(report) -> dict:
    return report.model_dump(exclude={"rejected", "ambiguities", "seconds"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--min-population", type=int, default=15_000)
    args = parser.parse_args()
    if not PAIRS.exists():
        sys.exit(f"shared pairs file not found: {PAIRS}")
    print(json.dumps(run(args.repeat, args.min_population), indent=2))


if __name__ == "__main__":
    main()
