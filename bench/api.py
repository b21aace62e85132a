"""Benchmark the read endpoints over real HTTP: requests/s and latency percentiles of ``partners``,
``suggestions`` and ``search``, served by uvicorn with 1 and with 2 workers. Prints one JSON document.

The world dataset is built with the CLI, as a user would: ``partner-graph geo`` then
``partner-graph import pairs ../shared/data/sister_pairs.csv``. Client threads run on the same
machine as the server, so the figures are a floor for what separate client machines would see.

    .venv/bin/python bench/api.py                      # world dataset, built in a temp dir
    .venv/bin/python bench/api.py --store /tmp/w.db    # reuse (or build once into) a store file
    .venv/bin/python bench/api.py --dataset seed --seconds 3   # quick smoke run on the demo data
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from graph_service.api.live import LiveServer
from graph_service.model import PARTNERSHIP_TYPES
from graph_service.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
SEARCHES = ["Shanghai", "上海", "shanghai", "nanning", "南宁", "Paris", "san", "berlin", "東京", "Tokyo", "sao paulo",
            "Zhangjiagang", "zhangjiajie", "kyiv", "new york", "mun", "Hà Nội", "bangkok", "cape town", "lima"]


def cli(store_url: str, *args: str) -> dict:
    command = [str(Path(sys.executable).parent / "partner-graph"), "--store", store_url, *args]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout) if "--json" in args else {}


def build(store_path: Path, dataset: str) -> dict:
    """Fill an empty store with the dataset; a store that has nodes already is used as it is."""
    url = f"sqlite:///{store_path}"
    store = SQLiteStore(store_path)
    empty = not store.counts()["nodes"]
    store.close()
    started = time.perf_counter()
    if empty and dataset == "world":
        cli(url, "geo", "--json")
        cli(url, "import", "pairs", str(PAIRS), "--json")
    elif empty:
        cli(url, "seed", "--json")
    return {"built": empty, "build_s": round(time.perf_counter() - started, 1)}


def sample_cities(store_path: Path, count: int, seed: int = 7) -> list[str]:
    """The busiest cities by partner count plus a random sample of other cities with partners."""
    store = SQLiteStore(store_path)
    degree: Counter[str] = Counter()
    for edge in store.snapshot().edges:
        if edge.type in PARTNERSHIP_TYPES:
            degree.update((edge.src, edge.dst))
    store.close()
    busiest = [city for city, _ in degree.most_common(count // 2)]
    rest = sorted(set(degree) - set(busiest))
    return busiest + random.Random(seed).sample(rest, min(len(rest), count - len(busiest)))


def load(url: str, paths: list[str], threads: int, seconds: float) -> dict:
    """``threads`` clients request ``paths`` round-robin for ``seconds``; latency in milliseconds."""
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        mine, errs, i = [], Counter(), offset
        with httpx.Client(base_url=url, timeout=120) as http:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                status = http.get(paths[i % len(paths)]).status_code
                mine.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errs[str(status)] += 1
                i += 1
        with lock:
            latencies.extend(mine)
            errors.update(errs)

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n * 7,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "errors": dict(errors),
    }


def warm_up(url: str, path: str, requests: int) -> None:
    """Concurrent first requests, so every worker builds its analysis projection before timing starts."""

    def get() -> None:
        httpx.get(url + path, timeout=600)

    threads = [threading.Thread(target=get) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def bench(store_path: Path, workers: int, cities: list[str], threads: int, seconds: float) -> dict:
    env = {"PARTNER_GRAPH_PUBLIC_READS": "true"}
    endpoints = {
        "partners": [f"/api/v1/cities/{c}/partners" for c in cities],
        "suggestions": [f"/api/v1/cities/{c}/suggestions?limit=20" for c in cities],
        "search": [f"/api/v1/nodes?q={q}&limit=20" for q in SEARCHES],
    }
    with LiveServer(f"sqlite:///{store_path}", env=env, workers=workers, access_log=False) as server:
        warm = time.perf_counter()
        warm_up(server.url, endpoints["suggestions"][0], workers * 4)
        result = {"warmup_s": round(time.perf_counter() - warm, 1)}
        for name, paths in endpoints.items():
            result[name] = load(server.url, paths, threads, seconds)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=["world", "seed"], default="world")
    parser.add_argument("--store", type=Path, help="SQLite file to use (built there when empty)")
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint and worker count")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--cities", type=int, default=40, help="cities the per-city endpoints cycle through")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = args.store or Path(tmp) / f"{args.dataset}.db"
        built = build(store_path, args.dataset)
        store = SQLiteStore(store_path)
        counts = store.counts()
        store.close()
        cities = sample_cities(store_path, args.cities)
        report = {
            "dataset": args.dataset,
            "nodes": sum(counts["nodes"].values()),
            "edges": sum(counts["edges"].values()),
            **built,
            "client_threads": args.threads,
            "seconds_per_endpoint": args.seconds,
            "cities_sampled": len(cities),
            "workers": {str(w): bench(store_path, w, cities, args.threads, args.seconds) for w in (1, 2)},
        }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
