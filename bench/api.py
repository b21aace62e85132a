"""Benchmark the service over real HTTP, served by uvicorn with 1 and with 2 workers. Prints one JSON document.

For each worker count:

- ``cold_first_suggestion_ms``: the first suggestion request after the server starts, which waits for
  that worker's first projection build; reported on its own, never mixed into the latencies;
- every worker is then warmed: requests go out until ``/health`` shows each worker (by process id)
  holding a projection at the store's revision;
- ``memory``: RSS of each worker process once warm;
- the load client runs as **its own process** (never threads of the benchmark beside the server):
  ``single_client`` latency per endpoint is the primary figure, ``clients_8`` the concurrent one;
- ``city_pages_while_writing``: one client reads ``/city/{id}`` pages while 8 writer clients (another
  process) PATCH partnership statuses through the API; the reader's p95 against the issue-11 target
  (300 ms) and beside its anchor, the same pages without writers in the same run (``single_client``),
  and how many writes went through.

The world dataset is built with the CLI, as a user would: ``partner-graph geo`` then
``partner-graph import pairs ../shared/data/sister_pairs.csv``. Every request goes to 127.0.0.1.

    .venv/bin/python bench/api.py                      # world dataset, built in a temp dir
    .venv/bin/python bench/api.py --store /tmp/w.db    # reuse (or build once into) a store file
    .venv/bin/python bench/api.py --dataset seed --seconds 3   # quick smoke run on the demo data
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from graph_service.api.live import LiveServer
from graph_service.model import PARTNERSHIP_TYPES
from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "data" / "sister_pairs.csv"
SEARCHES = ["Shanghai", "上海", "shanghai", "nanning", "南宁", "Paris", "san", "berlin", "東京", "Tokyo", "sao paulo",
            "Zhangjiagang", "zhangjiajie", "kyiv", "new york", "mun", "Hà Nội", "bangkok", "cape town", "lima"]

CLIENT = r'''
import json, statistics, sys, threading, time
from collections import Counter
import httpx

url, clients, seconds, paths, key, body = json.loads(sys.argv[1])
latencies, errors, lock = [], Counter(), threading.Lock()
deadline = time.perf_counter() + seconds

def client(offset):
    mine, errs, i = [], Counter(), offset
    headers = {"X-API-Key": key} if key else {}
    with httpx.Client(base_url=url, timeout=120, headers=headers) as http:
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            start = time.perf_counter()
            if body is None:
                status = http.get(path).status_code
            else:
                status = http.patch(path, json=body[i % len(body)]).status_code
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errs[str(status)] += 1
            i += 1
    with lock:
        latencies.extend(mine)
        errors.update(errs)

started = time.perf_counter()
threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - started
cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
print(json.dumps({"requests": len(latencies), "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(cuts[49], 1),
                  "p95_ms": round(cuts[94], 1), "max_ms": round(max(latencies, default=0.0), 1),
                  "errors": dict(errors)}))
'''


def client_process(url: str, clients: int, seconds: float, paths: list[str], key: str | None = None,
                   body: list[dict] | None = None) -> subprocess.Popen:
    """The load client as its own process; its JSON result is read with ``result``."""
    args = json.dumps([url, clients, seconds, paths, key, body])
    return subprocess.Popen([sys.executable, "-c", CLIENT, args], stdout=subprocess.PIPE, text=True)


def result(process: subprocess.Popen) -> dict[str, Any]:
    out, _ = process.communicate(timeout=600)
    return json.loads(out)


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


def sample_cities(store_path: Path, count: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """The busiest cities plus a random sample of other cities with partners; and partnership edge ids."""
    store = SQLiteStore(store_path)
    degree: Counter[str] = Counter()
    ties = []
    for edge in store.snapshot().edges:
        if edge.type in PARTNERSHIP_TYPES:
            degree.update((edge.src, edge.dst))
            ties.append(edge.id)
    store.close()
    busiest = [city for city, _ in degree.most_common(count // 2)]
    rest = sorted(set(degree) - set(busiest))
    return busiest + random.Random(seed).sample(rest, min(len(rest), count - len(busiest))), ties


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return round(int(line.split()[1]) / 1024, 1)


def warm_every_worker(url: str, path: str, workers: int, limit_s: float = 600) -> dict[str, Any]:
    """Request ``path`` until every worker's ``/health`` shows a projection at the store's revision."""
    started = time.perf_counter()
    warm: dict[int, int] = {}
    while len(warm) < workers and time.perf_counter() - started < limit_s:
        # a new connection each time, so the kernel spreads them over the workers
        httpx.get(url + path, timeout=600, headers={"Connection": "close"})
        health = httpx.get(url + "/health", timeout=600, headers={"Connection": "close"}).json()
        if health["analysis_revision"] == health["revision"]:
            warm[health["worker"]] = health["revision"]
    return {"warm_s": round(time.perf_counter() - started, 1), "workers_warm": sorted(warm)}


def bench(store_path: Path, workers: int, cities: list[str], ties: list[str], seconds: float) -> dict:
    env = {"PARTNER_GRAPH_PUBLIC_READS": "true"}
    store = SQLiteStore(store_path)
    key, _ = create_key(store, "editor", label="bench")
    store.close()
    endpoints = {
        "partners": [f"/api/v1/cities/{c}/partners" for c in cities],
        "suggestions": [f"/api/v1/cities/{c}/suggestions?limit=20" for c in cities],
        "search": [f"/api/v1/nodes?q={q}&limit=20" for q in SEARCHES],
        "city_page": [f"/city/{c}" for c in cities],
    }
    with LiveServer(f"sqlite:///{store_path}", env=env, workers=workers, access_log=False) as server:
        started = time.perf_counter()
        httpx.get(server.url + endpoints["suggestions"][0], timeout=600)
        out: dict[str, Any] = {"cold_first_suggestion_ms": round((time.perf_counter() - started) * 1000, 1)}
        out |= warm_every_worker(server.url, endpoints["suggestions"][1 % len(cities)], workers)
        out["memory"] = {"rss_mb_per_worker": [rss_mb(pid) for pid in out["workers_warm"]],
                         "target_rss_mb_at_most": 300}
        out["single_client"] = {name: result(client_process(server.url, 1, seconds, paths))
                                for name, paths in endpoints.items()}
        out["clients_8"] = {name: result(client_process(server.url, 8, seconds, paths))
                            for name, paths in endpoints.items() if name != "city_page"}
        sample = random.Random(7).sample(ties, min(len(ties), 400))
        statuses = [{"status": s} for s in ("active", "dormant", "signed")]
        writers = client_process(server.url, 8, seconds, [f"/api/v1/edges/{t.replace('|', '%7C')}" for t in sample],
                                 key=key, body=statuses)
        reader = result(client_process(server.url, 1, seconds, endpoints["city_page"]))
        written = result(writers)
        alone = out["single_client"]["city_page"]
        out["city_pages_while_writing"] = {
            "reader": reader, "writers_8": written, "target_p95_ms_at_most": 300, "met": reader["p95_ms"] <= 300,
            "anchor_no_writers_p95_ms": alone["p95_ms"],
            "ratio_p95_to_anchor": round(reader["p95_ms"] / alone["p95_ms"], 2) if alone["p95_ms"] else None}
        out["memory"]["rss_mb_per_worker_after_writes"] = [rss_mb(pid) for pid in out["workers_warm"]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=["world", "seed"], default="world")
    parser.add_argument("--store", type=Path, help="SQLite file to use (built there when empty; the bench writes)")
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint and worker count")
    parser.add_argument("--cities", type=int, default=40, help="cities the per-city endpoints cycle through")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store_path = args.store or Path(tmp) / f"{args.dataset}.db"
        built = build(store_path, args.dataset)
        store = SQLiteStore(store_path)
        counts = store.counts()
        store.close()
        cities, ties = sample_cities(store_path, args.cities)
        report = {
            "benchmark": "api",
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                        "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
            "dataset": args.dataset,
            "nodes": sum(counts["nodes"].values()),
            "edges": sum(counts["edges"].values()),
            **built,
            "seconds_per_endpoint": args.seconds,
            "cities_sampled": len(cities),
            "workers": {str(w): bench(store_path, w, cities, ties, args.seconds) for w in (1, 2)},
        }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
