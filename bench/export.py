"""Benchmark whole-graph exports over real HTTP on the world dataset: the server's RSS growth while six
clients export at once, and how long an export takes built and cached. Prints one JSON document.

Each run serves the world store with uvicorn (one worker) twice: with the default export limit (2:
the other four clients get 429) and with the limit raised to 6 (all six are served: one build, five
waiting on it, then six streams of the same file). The server's RSS is sampled every 20 ms.

Anchors, from the same run: the 300 MB growth budget of issue 12, and the peak RSS of one export built
the old way (the whole graph in memory, NetworkX's writer) in a child process.

    .venv/bin/python bench/export.py                    # world dataset, built in a temp dir
    .venv/bin/python bench/export.py --store /tmp/w.db  # reuse (or build once into) a store file
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

from graph_service.api.live import LiveServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import build  # bench/api.py: the world dataset, built as a user builds it

CLIENTS = 6
BUDGET_MB = 300
OLD_WAY = """
import resource, sys
from graph_service.store.sqlite import SQLiteStore
from graph_service.ingest.exports import export_bytes
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = export_bytes(SQLiteStore(sys.argv[1]), sys.argv[2])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, len(data))
"""


def rss_mb(process: psutil.Process) -> float:
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 2**20


def wave(url: str, fmt: str, process: psutil.Process) -> dict:
    """Six clients export at once; the server's RSS before, at its peak and after, and the statuses."""
    statuses: Counter[int] = Counter()
    sizes: set[int] = set()
    before = rss_mb(process)
    peak, running = before, True

    def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, rss_mb(process))
            time.sleep(0.02)

    def client() -> None:
        with httpx.Client(timeout=600) as http:
            response = http.get(f"{url}/api/v1/export", params={"format": fmt})
            statuses[response.status_code] += 1
            if response.status_code == 200:
                sizes.add(len(response.content))

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    seconds = time.perf_counter() - started
    running = False
    sampler.join()
    after = rss_mb(process)
    return {"statuses": dict(statuses), "bytes": sorted(sizes), "seconds": round(seconds, 2),
            "rss_before_mb": round(before, 1), "rss_peak_mb": round(peak, 1), "rss_after_mb": round(after, 1),
            "growth_mb": round(peak - before, 1), "growth_vs_budget": round((peak - before) / BUDGET_MB, 3)}


def serve(db: Path, tmp: Path, slots: int, fmt: str) -> dict:
    env = {"PARTNER_GRAPH_MAX_CONCURRENT_EXPORTS": str(slots), "PARTNER_GRAPH_EXPORT_CACHE_DIR": str(tmp / f"c{slots}")}
    with LiveServer(f"sqlite:///{db}", env=env, access_log=False) as server:
        assert server.process is not None
        process = psutil.Process(server.process.pid)
        httpx.get(server.url + "/api/v1/stats", timeout=120)
        first = wave(server.url, fmt, process)
        cached = wave(server.url, fmt, process)
    return {"slots": slots, "first_wave": first, "cached_wave": cached}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store file to use (built with the world dataset if empty)")
    parser.add_argument("--format", default="graphml", choices=["json", "graphml", "gexf"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = args.store or tmp / "world.db"
        setup = build(db, "world")
        old = subprocess.run([sys.executable, "-c", OLD_WAY, str(db), args.format], capture_output=True, text=True,
                             check=True).stdout.split()
        old_growth = float(old[0])
        runs = [serve(db, tmp, slots, args.format) for slots in (2, CLIENTS)]
    for run in runs:
        for name in ("first_wave", "cached_wave"):
            run[name]["growth_vs_one_old_export"] = round(run[name]["growth_mb"] / old_growth, 3)
    print(json.dumps({
        "dataset": "world (geo + shared pairs file)", "format": args.format, "clients": CLIENTS, **setup,
        "anchors": {"budget_mb": BUDGET_MB, "one_old_export_growth_mb": round(old_growth, 1),
                    "export_bytes": int(old[1])},
        "runs": runs,
    }, indent=2))


if __name__ == "__main__":
    main()
