"""Benchmark of the analysis layer on the world dataset: prints one JSON document.

Every figure stands beside its anchor, measured in the same run on the same store, with the ratio
(product / anchor) and the issue-11 target where there is one:

- ``build``: ``snapshot_rows`` plus ``Projection.from_rows``, both parts timed inside the same build
  (they add up to the total), against the floor of a raw ``SELECT`` of the same rows plus a networkx
  ``MultiDiGraph`` of the same nodes and edges;
- ``projection_memory``: bytes the projection keeps (tracemalloc, after the rows are freed) per edge,
  against a networkx graph of the same nodes and edges (ids, edge keys and types);
- ``suggest`` / ``gaps``: warm latency over random cities with partners (and the 20 largest hubs);
- ``write_then_suggest``: a partnership's status written, then the next suggestion for that city
  (the projection applies the write first), against a warm suggestion for the same cities;
- ``search``: ``find_nodes(q, limit=20)`` in-process, against the raw FTS5 query for the same text
  (the index's own ranked top 20: ``ORDER BY rank LIMIT 20``);
- ``cold_start``: a new process that opens the store, builds the projection and answers one
  suggestion, against a new process that imports the same modules and reads the same rows raw;
- ``rss_mb_fresh_process``: resident memory of a new process that has built one projection and
  answered one suggestion (this benchmark's own process holds the measurement leftovers).

The world is built with the project's importers (``geo`` then ``import pairs``) unless ``--store``
names a file that has it already.

    .venv/bin/python bench/analysis.py [--cities 200] [--seed 7] [--store /tmp/world.db]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.analysis import gap_report, load_strategy, projection, suggest  # noqa: E402
from graph_service.analysis.projection import Projection  # noqa: E402
from graph_service.ingest.geo import load_geo  # noqa: E402
from graph_service.ingest.pairs import import_pairs  # noqa: E402
from graph_service.model import Status  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
SEARCHES = ["Shanghai", "上海", "shanghai", "nanning", "南宁", "Paris", "san", "berlin", "東京", "Tokyo", "sao paulo",
            "Zhangjiagang", "zhangjiajie", "kyiv", "new york", "mun", "Hà Nội", "bangkok", "cape town", "lima", "京",
            "海"]


def ms(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 2), "p95_ms": round(float(np.percentile(values, 95)), 2),
            "n": len(samples)}


def compare(product: float, anchor: float, target: float | None = None, unit: str = "") -> dict[str, Any]:
    ratio = product / anchor if anchor else float("inf")
    out: dict[str, Any] = {"product": round(product, 4), "anchor": round(anchor, 4), "ratio": round(ratio, 2)}
    if unit:
        out["unit"] = unit
    if target is not None:
        out |= {"target_ratio_at_most": target, "met": ratio <= target}
    return out


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def raw_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The anchor's read: the same rows with a plain sqlite3 connection."""
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT id, kind, data FROM nodes ORDER BY id").fetchall(),
                conn.execute("SELECT id, src, dst, type, data FROM edges ORDER BY id").fetchall())
    finally:
        conn.close()


def networkx_graph(nodes: list[tuple], edges: list[tuple]) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from((row[0], {"kind": row[1]}) for row in nodes)
    graph.add_edges_from((row[1], row[2], row[0], {"type": row[3]}) for row in edges)
    return graph


def build_figures(store: SQLiteStore, path: Path) -> tuple[Projection, dict[str, Any]]:
    gc.collect()
    started = time.perf_counter()
    rows = store.snapshot_rows()
    read_s = time.perf_counter() - started
    proj = Projection.from_rows(rows)
    total_s = time.perf_counter() - started
    del rows
    started = time.perf_counter()
    nodes, edges = raw_rows(path)
    select_s = time.perf_counter() - started
    graph_s = timed(lambda: networkx_graph(nodes, edges))
    build = compare(total_s, select_s + graph_s, 2.0, "s") | {
        "of_which_snapshot_rows_s": round(read_s, 3), "of_which_indexes_s": round(total_s - read_s, 3),
        "anchor_raw_select_s": round(select_s, 3), "anchor_networkx_s": round(graph_s, 3),
    }
    return proj, build


def memory_figures(store: SQLiteStore, path: Path) -> dict[str, Any]:
    """Retained bytes per edge, each structure built alone under tracemalloc (slow, so not timed)."""
    rows = store.snapshot_rows()
    n_edges = len(rows.edges)
    gc.collect()
    tracemalloc.start()
    proj = Projection.from_rows(rows)
    del rows
    gc.collect()
    product = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del proj
    nodes, edges = raw_rows(path)
    gc.collect()
    tracemalloc.start()
    graph = networkx_graph(nodes, edges)
    anchor = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del graph, nodes, edges
    gc.collect()
    figures = compare(product / n_edges / 1024, anchor / n_edges / 1024, None, "KB per edge")
    return figures | {"target_kb_per_edge_at_most": 1.5, "met": product / n_edges / 1024 <= 1.5, "edges": n_edges}


def search_figures(store: SQLiteStore, rounds: int = 5) -> dict[str, Any]:
    from graph_service.store.sqlite import _phrase
    from graph_service.text import is_cjk, normalise

    def anchor(q: str) -> list:
        query = normalise(q)
        if len(query) >= 3:
            sql = ("SELECT n.data FROM nodes_fts f JOIN nodes n ON n.rowid = f.rowid WHERE nodes_fts MATCH ? "
                   "ORDER BY f.rank LIMIT 20")
            return store._conn.execute(sql, (_phrase(query),)).fetchall()
        assert is_cjk(query)
        sql = ("SELECT n.data FROM nodes_cjk f JOIN nodes n ON n.rowid = f.rowid WHERE nodes_cjk MATCH ? "
               "ORDER BY f.rank LIMIT 20")
        return store._conn.execute(sql, (_phrase(" ".join(query)),)).fetchall()

    product, raw = [], []
    for _ in range(rounds):
        for q in SEARCHES:
            product.append(timed(lambda q=q: store.find_nodes(q, limit=20)))
            raw.append(timed(lambda q=q: anchor(q)))
    p, a = ms(product), ms(raw)
    return {"queries": len(SEARCHES), "rounds": rounds, "product": p, "anchor_fts5": a,
            "p95_ratio": round(p["p95_ms"] / a["p95_ms"], 2), "target_p95_ratio_at_most": 2.0,
            "met": p["p95_ms"] <= 2 * a["p95_ms"]}


def write_then_suggest(store: SQLiteStore, cities: list[str], strategy) -> dict[str, Any]:
    warm, after = [], []
    for city in cities:
        suggest(projection(store), city, strategy=strategy)
        warm.append(timed(lambda city=city: suggest(projection(store), city, strategy=strategy)))
        edge = next(iter(projection(store).partners(city).values()))
        status = Status.DORMANT if edge.status is not Status.DORMANT else Status.ACTIVE
        store.upsert_edges([edge.model_copy(update={"status": status})], action="bench_patch")
        after.append(timed(lambda city=city: suggest(projection(store), city, strategy=strategy)))
        assert projection(store).revision == store.revision()
    w, a = ms(warm), ms(after)
    return {"product": a, "anchor_warm_suggest": w, "p50_ratio": round(a["p50_ms"] / w["p50_ms"], 2),
            "target_ratio_at_most": 3.0, "met": a["p50_ms"] <= 3 * w["p50_ms"]}


COLD = """
import time, sys
from graph_service.store.sqlite import SQLiteStore
from graph_service.analysis import projection, suggest
store = SQLiteStore(sys.argv[1])
suggest(projection(store), sys.argv[2])
with open("/proc/self/status") as status:
    print(next(x for x in status if x.startswith("VmRSS:")).split()[1])
"""
FLOOR = """
import sys, sqlite3
import graph_service.analysis, graph_service.store.sqlite  # the same imports
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT id, kind, data FROM nodes").fetchall()
conn.execute("SELECT id, src, dst, type, data FROM edges").fetchall()
"""


def cold_start(path: Path, city: str, runs: int = 3) -> tuple[dict[str, Any], float]:
    """The cold start against its floor (medians), and the RSS (MB) of the cold process at its end."""
    rss: list[float] = []

    def run(code: str) -> float:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code, str(path), city], check=True, cwd=ROOT,
                              capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if done.stdout.strip():
            rss.append(int(done.stdout.split()[-1]) / 1024)
        return elapsed

    product = sorted(run(COLD) for _ in range(runs))[runs // 2]
    floor = sorted(run(FLOOR) for _ in range(runs))[runs // 2]
    return compare(product, floor, 2.0, f"s (median of {runs})"), round(sorted(rss)[len(rss) // 2], 1)


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store", type=Path, help="a SQLite file holding the world (built there when empty)")
    args = parser.parse_args()
    report: dict[str, Any] = {"benchmark": "analysis", "machine": machine()}
    with tempfile.TemporaryDirectory() as tmp:
        path = args.store or Path(tmp) / "world.db"
        store = SQLiteStore(path)
        if not store.counts()["nodes"]:
            load_geo(store)
            import_pairs(store, PAIRS.read_bytes())
        counts = store.counts()
        report["graph"] = {"nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values())}
        report["projection_memory"] = memory_figures(store, path)
        proj, report["build"] = build_figures(store, path)
        rng = np.random.default_rng(args.seed)
        with_partners = sorted(c for c in proj.cities.ids if proj.partners(c))
        sample = [with_partners[i] for i in rng.choice(len(with_partners), min(args.cities, len(with_partners)),
                                                       replace=False)]
        strategy = load_strategy("nanning-2012")
        del proj
        suggest(projection(store), sample[0], strategy=strategy)
        suggest_times = [timed(lambda c=c: suggest(projection(store), c, limit=20, strategy=strategy)) for c in sample]
        gap_times = [timed(lambda c=c: gap_report(projection(store), c, strategy=strategy)) for c in sample]
        hubs = sorted(with_partners, key=lambda c: (-len(projection(store).partners(c)), c))[:20]
        for c in hubs:
            suggest(projection(store), c, strategy=strategy)
        hub_times = [timed(lambda c=c: suggest(projection(store), c, limit=20, strategy=strategy)) for c in hubs]
        report["suggest"] = ms(suggest_times) | {"strategy": "nanning-2012", "limit": 20}
        report["suggest_20_largest_hubs"] = ms(hub_times)
        report["gaps"] = ms(gap_times)
        report["search"] = search_figures(store)
        report["cold_start"], rss = cold_start(path, sample[0])
        report["rss_mb_fresh_process"] = {"product": rss, "target_at_most": 300, "met": rss <= 300}
        report["write_then_suggest"] = write_then_suggest(store, sample[:40], strategy)
        store.close()
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
