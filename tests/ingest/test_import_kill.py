"""A pairs import killed with SIGKILL half-way leaves a consistent store, and a re-run completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from graph_service.store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow
IMPORT = "from graph_service.cli import app; app()"


def graph(store: SQLiteStore):
    snap = store.snapshot()
    return {n.id: n for n in snap.nodes}, {e.id: e for e in snap.edges}


def start_import(db, csv_path):
    return subprocess.Popen(
        [sys.executable, "-c", IMPORT, "--store", f"sqlite:///{db}", "import", "pairs", str(csv_path), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_sigkill_half_way_then_rerun_matches_uninterrupted_run(tmp_path, shared_data, pairs_db):
    csv_path = shared_data / "sister_pairs.csv"
    reference = pairs_db.open()  # the same command, uninterrupted, on an empty store
    expected_counts = reference.counts()
    expected_nodes, expected_edges = graph(reference)
    reference.close()

    half = expected_counts["edges"]["SISTER_CITY"] // 2
    db = tmp_path / "killed.db"
    proc = start_import(db, csv_path)
    store = None
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                store = store or SQLiteStore(db)
                if store.counts()["edges"].get("SISTER_CITY", 0) >= half:
                    break
            time.sleep(0.02)
        assert proc.poll() is None, "the import finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    if store is not None:
        store.close()

    store = SQLiteStore(db)
    partial = store.counts()["edges"].get("SISTER_CITY", 0)
    assert 0 < partial < expected_counts["edges"]["SISTER_CITY"], "the kill did not land half-way"
    revision = store.revision()
    assert revision > 0 and revision == store.read_audit(limit=1)[0].revision
    nodes, edges = graph(store)
    assert all(e.src in nodes and e.dst in nodes for e in edges.values()), "an edge lost an endpoint"
    assert all(edges[i] == expected_edges[i] for i in edges if "SISTER_CITY" in i), "a pair was half-written"
    store.close()

    rerun = subprocess.run(
        [sys.executable, "-c", IMPORT, "--store", f"sqlite:///{db}", "import", "pairs", str(csv_path), "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["rows_read"] == report["rows_imported"] + report["duplicates"] + report["rows_rejected"]
    store = SQLiteStore(db)
    assert store.counts() == expected_counts
    nodes, edges = graph(store)
    assert nodes.keys() == expected_nodes.keys() and edges.keys() == expected_edges.keys()
    assert nodes == expected_nodes and edges == expected_edges
