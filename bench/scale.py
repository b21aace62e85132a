"""Benchmark the analysis layer on worlds 3× and 10× the size of the real one: prints one JSON document.

A bigger world is made from the world dataset (``geo`` plus the shared pairs file): every city, its
``LOCATED_IN`` edge and every partnership are copied ``k`` times (city ``x`` becomes ``x-r1`` …,
moved by a few hundredths of a degree); the copy of a tie joins replica ``j`` of one end to replica
``j`` or ``j + 1`` of the other, so the copies form one network rather than ``k`` islands. Countries
and regions stay as they are. The rows go into a fresh SQLite file with the store's own schema
(``SQLiteStore`` creates it), written raw, as a generator of test data may.

For each size (1×, 3×, 10×): the projection build (``snapshot_rows`` plus ``Projection.from_rows``,
measured in a new process), warm ``suggest`` latency over 100 random cities with partners, and the RSS
of that process. Issue-11 targets at 10×: suggest p95 ≤ 20 ms, build ≤ 10 s, RSS ≤ 1.2 GB.

    .venv/bin/python bench/scale.py [--store /tmp/world.db] [--sizes 1 3 10]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.ingest.geo import load_geo  # noqa: E402
from graph_service.ingest.pairs import import_pairs  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
PARTNERSHIPS = ("SISTER_CITY", "FRIENDLY_EXCHANGE")

MEASURE = r"""
import json, sys, time
import numpy as np
from graph_service.store.sqlite import SQLiteStore
from graph_service.analysis import load_strategy, projection, suggest
from graph_service.analysis.projection import Projection
store = SQLiteStore(sys.argv[1])
started = time.perf_counter()
rows = store.snapshot_rows()
read = time.perf_counter() - started
proj = Projection.from_rows(rows)
build = time.perf_counter() - started
del rows, proj
proj = projection(store)
strategy = load_strategy("nanning-2012")
rng = np.random.default_rng(7)
with_partners = sorted(c for c in proj.cities.ids if proj.partners(c))
sample = [with_partners[i] for i in rng.choice(len(with_partners), min(100, len(with_partners)), replace=False)]
for city in sample[:10]:
    suggest(projection(store), city, strategy=strategy)
times = []
for city in sample:
    t = time.perf_counter()
    suggest(projection(store), city, limit=20, strategy=strategy)
    times.append((time.perf_counter() - t) * 1000)
with open("/proc/self/status") as status:
    rss = int(next(x for x in status if x.startswith("VmRSS:")).split()[1]) / 1024
print(json.dumps({"build_s": round(build, 2), "of_which_snapshot_rows_s": round(read, 2),
                  "suggest_p50_ms": round(float(np.percentile(times, 50)), 2),
                  "suggest_p95_ms": round(float(np.percentile(times, 95)), 2), "rss_mb": round(rss, 1),
                  "cities": len(proj.cities), "ties": int(len(proj.ties.src) // 2)}))
"""


def replicate(source: Path, target: Path, k: int) -> dict[str, int]:
    """Write the ``k``-fold world of ``source`` into ``target``."""
    SQLiteStore(target).close()  # the schema, migrations included
    src, dst = sqlite3.connect(source), sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode = WAL")
    nodes = src.execute("SELECT id, kind, name, country, population, search, cjk, data FROM nodes").fetchall()
    edges = src.execute("SELECT id, src, dst, type, data FROM edges").fetchall()
    cities = {row[0] for row in nodes if row[1] == "City"}

    def copy(node_id: str, j: int) -> str:
        return node_id if j == 0 or node_id not in cities else f"{node_id}-r{j}"

    dst.execute("BEGIN")
    for j in range(k):
        node_rows = []
        for node_id, kind, name, country, population, search, cjk, data in nodes:
            if j and kind != "City":
                continue
            fields = json.loads(data)
            fields["id"] = copy(node_id, j)
            if j and fields.get("lat") is not None:
                fields["lat"] = max(-90.0, min(90.0, fields["lat"] + 0.02 * j))
            node_rows.append((fields["id"], kind, name, country, population, search, cjk,
                              json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))))
        dst.executemany("INSERT INTO nodes (id, kind, name, country, population, search, cjk, data) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", node_rows)
        edge_rows = []
        for _, a, b, kind, data in edges:
            if j and a not in cities:
                continue
            shift = (zlib.crc32(f"{a}|{b}".encode()) & 1) if kind in PARTNERSHIPS else 0
            x, y = copy(a, j), copy(b, (j + shift) % k)
            if kind in PARTNERSHIPS and y < x:
                x, y = y, x
            fields = json.loads(data) | {"src": x, "dst": y}
            edge_rows.append((f"{x}|{kind}|{y}", x, y, kind,
                              json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))))
        dst.executemany("INSERT OR IGNORE INTO edges (id, src, dst, type, data) VALUES (?, ?, ?, ?, ?)", edge_rows)
    dst.execute("COMMIT")
    counts = {"nodes": dst.execute("SELECT COUNT(*) FROM nodes").fetchone()[0],
              "edges": dst.execute("SELECT COUNT(*) FROM edges").fetchone()[0]}
    src.close()
    dst.close()
    return counts


def measure(path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a SQLite file holding the world (built there when empty)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 10])
    args = parser.parse_args()
    report: dict[str, Any] = {"benchmark": "scale", "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}, "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        world = args.store or Path(tmp) / "world.db"
        store = SQLiteStore(world)
        if not store.counts()["nodes"]:
            load_geo(store)
            import_pairs(store, PAIRS.read_bytes())
        store.close()
        for k in args.sizes:
            path = Path(tmp) / f"world-x{k}.db"
            counts = replicate(world, path, k)
            figures = counts | measure(path)
            if k == 10:
                figures["targets"] = {
                    "suggest_p95_ms_at_most": 20, "build_s_at_most": 10, "rss_mb_at_most": 1200,
                    "met": {"suggest": figures["suggest_p95_ms"] <= 20, "build": figures["build_s"] <= 10,
                            "rss": figures["rss_mb"] <= 1200}}
            report["sizes"][f"x{k}"] = figures
            path.unlink()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
