"""Eight client threads mix writes and reads over real HTTP against two uvicorn workers sharing one
store (for 20 seconds on a SQLite file, 10 on the live Neo4j, where concurrent writers meet lock
waits and deadlock retries): no request fails, and the final counts equal what was written."""

from __future__ import annotations

import threading
import time
from collections import Counter

import httpx
import pytest

from .support import city, start_api, start_neo4j_api, stop_api

pytestmark = pytest.mark.slow
THREADS = 8
SECONDS = {"sqlite": 20, "neo4j": 10}


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def busy_api(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("busy")
    if request.param == "sqlite":
        live = start_api(tmp, workers=2)
    else:
        live = start_neo4j_api(tmp, request.getfixturevalue("neo4j_server"), workers=2)
    yield live, SECONDS[request.param]
    stop_api(live)


def worker(url: str, key: str, index: int, deadline: float, written: Counter, errors: list[str]) -> None:
    """Create cities and sister ties between consecutive ones; read each back and search for it."""
    with httpx.Client(base_url=url + "/api/v1", headers={"X-API-Key": key}, timeout=60) as client:
        previous, step = None, 0
        while time.monotonic() < deadline:
            node_id = f"w{index}-{step}"
            calls = [("POST", "/nodes", {"json": city(node_id, name=f"Worker {index} city {step}")}, 201)]
            if previous:
                calls.append(
                    ("POST", "/edges", {"json": {"src": previous, "dst": node_id, "type": "SISTER_CITY"}}, 201)
                )
            calls += [
                ("GET", f"/nodes/{node_id}", {}, 200),
                ("GET", "/nodes", {"params": {"q": f"worker {index} city {step}"}}, 200),
                ("GET", f"/cities/{node_id}/partners", {}, 200),
                ("GET", "/stats", {}, 200),
            ]
            for method, path, kwargs, status in calls:
                try:
                    response = client.request(method, path, **kwargs)
                except httpx.HTTPError as exc:
                    errors.append(f"{method} {path}: {exc!r}")
                    return
                if response.status_code != status:
                    errors.append(f"{method} {path}: {response.status_code} {response.text[:300]}")
                    return
                if method == "POST":
                    written["nodes" if path == "/nodes" else "edges"] += 1
            previous, step = node_id, step + 1


def test_mixed_writes_and_reads_from_eight_threads(busy_api):
    busy_api, seconds = busy_api
    before = busy_api.client("admin").get("/stats").json()
    written: Counter[str] = Counter()
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=worker, args=(busy_api.url, busy_api.keys["editor"], i, deadline, written, errors))
        for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    after = busy_api.client("admin").get("/stats").json()
    print(
        f"concurrency: {written['nodes']} nodes and {written['edges']} edges written by {THREADS} threads "
        f"in {seconds} s"
    )
    assert not errors, errors[:5]
    assert written["nodes"] > THREADS and written["edges"] > 0
    assert after["total_nodes"] == before["total_nodes"] + written["nodes"]
    assert after["total_edges"] == before["total_edges"] + written["edges"]
    assert "Traceback" not in busy_api.log_text()
