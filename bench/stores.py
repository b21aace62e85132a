"""The same operations on SQLite and on a live Neo4j, side by side: prints one JSON document.

Neo4j is the server ``NEO4J_URI`` names (a scratch database: it is emptied), or else the local
launcher (``scripts/neo4j-local.sh``, Neo4j 5.26 Community in-process, full JIT) started for the run
and stopped after it. Both stores get, in order:

- ``seed``: the demo scenario on an empty store;
- ``import_pairs``: ``import pairs`` of the shared file ``../shared/data/sister_pairs.csv`` (read in
  place) on top of the seed;
- ``snapshot`` and ``snapshot_plus_projection``: every node and edge read, and the analysis projection
  built from them (what the first analysis request after a write pays);
- ``find``: one ``find_nodes`` call, median over a fixed list of names in several scripts;
- ``neighbourhood``: Nanning's depth-1 and depth-2 neighbourhoods, median;
- ``write_then_suggest``: one new partnership for Nanning, then its next suggestions (the write, the
  projection rebuilt at the new revision, the ranking), median.

Every figure is in seconds, with SQLite as its anchor: ``{"sqlite": s, "neo4j": n, "ratio": n / s}``
(how many times slower Neo4j is, from the same run). The loads run once; the latencies run
``--repeat`` times after one warm-up call. Neo4j's figures are a warm server's: the launcher's start
and a first seed on the fresh JVM (which plans and compiles every statement) are reported apart, under
``neo4j.cold_start_seconds``, and the database is emptied before the measured run.

    .venv/bin/python bench/stores.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph_service.analysis.projection import Projection  # noqa: E402
from graph_service.ingest.pairs import import_pairs  # noqa: E402
from graph_service.model import Edge  # noqa: E402
from graph_service.services import analysis, transfer  # noqa: E402
from graph_service.store import Store  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402
from tests import neo4j_live  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
NANNING = "geonames:1799869"
SEARCHES = ["nanning", "南宁", "paris", "san", "halle", "springfield", "são paulo", "köln", "khon kaen", "osaka"]


def seconds(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def median_seconds(fn: Callable[[int], Any], repeat: int) -> float:
    """The median time of ``fn(i)`` for i in 1..repeat, after a warm-up call ``fn(0)``."""
    fn(0)
    return statistics.median(seconds(lambda i=i: fn(i))[0] for i in range(1, repeat + 1))


def nanning_id(store: Store) -> str:
    """Nanning as the pairs file names it (its Wikidata id), else the seed's GeoNames id."""
    found = [n.id for n in store.find_nodes("nanning", kind="City", country="CN", limit=5)]
    return NANNING if NANNING in found else found[0]


def measure(store: Store, raw: bytes, repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Every figure for one (empty) store, and the counts that show both stores did the same work."""
    figures: dict[str, float] = {}
    figures["seed"], _ = seconds(lambda: transfer.load_demo_scenario(store))
    figures["import_pairs"], report = seconds(lambda: import_pairs(store, raw, source="bench"))
    figures["snapshot"], snapshot = seconds(store.snapshot)
    figures["snapshot_plus_projection"], _ = seconds(lambda: Projection.from_store(store))
    figures["find"] = median_seconds(lambda i: store.find_nodes(SEARCHES[i % len(SEARCHES)], limit=20), repeat)
    home = nanning_id(store)
    figures["neighbourhood_depth_1"] = median_seconds(lambda i: store.neighbourhood(home, 1), repeat)
    figures["neighbourhood_depth_2"] = median_seconds(lambda i: store.neighbourhood(home, 2), repeat)
    partners = [n.id for n in store.find_nodes(kind="City", country="FR", limit=repeat + 1)]

    def write_then_suggest(i: int) -> None:
        tie = Edge(src=home, dst=partners[i], type="SISTER_CITY", status="proposed", notes=f"bench {time.time()}")
        store.upsert_edges([tie])
        analysis.city_suggestions(store, home, limit=10)

    figures["write_then_suggest"] = median_seconds(write_then_suggest, repeat)
    work = {"pairs_rows_imported": report.rows_imported, "nodes": len(snapshot.nodes),
            "edges": len(snapshot.edges), "home": home}
    return figures, work


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def run(repeat: int) -> dict[str, Any]:
    raw = PAIRS.read_bytes()
    info = {"benchmark": "stores", "machine": machine(), "pairs_file": str(PAIRS), "repeat": repeat}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = SQLiteStore(Path(tmp) / "bench.db")
        on_sqlite, work_sqlite = measure(sqlite, raw, repeat)
        sqlite.close()
        print("sqlite done", file=sys.stderr)
        started, server = seconds(lambda: neo4j_live.from_environment()
                                  or neo4j_live.start_launcher(Path(tmp) / "neo4j.log", java_opts=""))
        try:
            store = server.connect()
            store.wipe_for_tests()
            agent = store.server_agent()
            # A fresh JVM plans and compiles every statement once: timed apart, so the figures below
            # are a warm server's, as a long-running Neo4j serves them.
            first_seed, _ = seconds(lambda: transfer.load_demo_scenario(store))
            store.wipe_for_tests()
            on_neo4j, work_neo4j = measure(store, raw, repeat)
            store.close()
        finally:
            server.stop()
    info["neo4j"] = {"uri": server.uri, "server": agent, "launched_for_this_run": server.process is not None,
                     "cold_start_seconds": {"start_until_bolt_uri": round(started, 2),
                                            "first_seed_on_the_fresh_server": round(first_seed, 2)}}
    info["same_work"] = {"sqlite": work_sqlite, "neo4j": work_neo4j}
    info["seconds"] = {
        name: {"sqlite": round(on_sqlite[name], 4), "neo4j": round(on_neo4j[name], 4),
               "ratio": round(on_neo4j[name] / on_sqlite[name], 2), "anchor": "sqlite"}
        for name in on_sqlite
    }
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per latency figure (default 5)")
    args = parser.parse_args()
    print(json.dumps(run(args.repeat), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
