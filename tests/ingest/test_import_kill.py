"""A killed ``import pairs`` leaves a consistent store, and re-running it gives exactly what an
uninterrupted import gives: every node kind and edge type in the same number, the same records.

Two ways to kill it:

- **between any two writes** (in process, every boundary in turn): a store that dies before its
  n-th write, on an empty store and on one that holds geography (``geo``);
- **with SIGKILL** (a real ``partner-graph import pairs`` process), at several points, killed twice on
  the same store and then re-run.

Each batch of the import is one transaction (its cities, their ``LOCATED_IN`` edges and its pairs),
so no kill can leave a city without its country: before, 749 cities of the shared file lost theirs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph_service.ingest.geo import load_geo
from graph_service.ingest.pairs import import_pairs
from graph_service.store.sqlite import SQLiteStore

IMPORT = "from graph_service.cli import app; app()"


class Killed(BaseException):
    """The process died here (a BaseException, like the KeyboardInterrupt of a real interruption)."""


class DyingStore(SQLiteStore):
    """A real SQLite store whose process dies just before its ``dies_before``-th write (1-based)."""

    def __init__(self, path: Path, dies_before: int):
        super().__init__(path)
        self.dies_before, self.writes = dies_before, 0

    def _maybe_die(self) -> None:
        self.writes += 1
        if self.writes == self.dies_before:
            raise Killed

    def upsert_nodes(self, *args, **kwargs):
        self._maybe_die()
        return super().upsert_nodes(*args, **kwargs)

    def upsert_edges(self, *args, **kwargs):
        self._maybe_die()
        return super().upsert_edges(*args, **kwargs)

    def upsert_graph(self, *args, **kwargs):
        self._maybe_die()
        return super().upsert_graph(*args, **kwargs)


def sample(shared_data: Path, every: int) -> bytes:
    """Every ``every``-th row of the shared pairs file (all countries, all kinds of rows), as CSV bytes."""
    with (shared_data / "sister_pairs.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([rows[0], *rows[1::every]])
    return out.getvalue().encode("utf-8")


def graph(store: SQLiteStore) -> tuple[dict, dict, dict]:
    snap = store.snapshot()
    return store.counts(), {n.id: n for n in snap.nodes}, {e.id: e for e in snap.edges}


def assert_same_graph(store: SQLiteStore, expected: tuple[dict, dict, dict], where: str) -> None:
    counts, nodes, edges = graph(store)
    assert counts == expected[0], f"{where}: counts differ from an uninterrupted import"
    assert nodes == expected[1] and edges == expected[2], f"{where}: records differ from an uninterrupted import"


def assert_consistent(store: SQLiteStore) -> None:
    """Every edge has both ends, and every city the import created has its country."""
    _, nodes, edges = graph(store)
    assert all(e.src in nodes and e.dst in nodes for e in edges.values()), "an edge lost an endpoint"
    located = {e.src for e in edges.values() if e.type.value == "LOCATED_IN"}
    homeless = [n for n in nodes.values() if n.kind.value == "City" and n.country in nodes and n.id not in located]
    assert homeless == [], f"{len(homeless)} cities without their LOCATED_IN edge"


@pytest.mark.parametrize("with_geo", [False, True], ids=["empty-store", "after-geo"])
def test_killed_between_any_two_writes_then_rerun_matches_an_uninterrupted_import(tmp_path, shared_data, with_geo):
    raw = sample(shared_data, 60)
    base = tmp_path / "base.db"
    store = SQLiteStore(base)
    if with_geo:
        load_geo(store, 1_000_000)
    store.close()

    def fresh(name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(base.read_bytes())
        return path

    reference = DyingStore(fresh("reference.db"), dies_before=0)
    report = import_pairs(reference, raw, batch=60)
    expected, writes = graph(reference), reference.writes
    reference.close()
    assert report.pairs_created > 300 and writes >= 6, "the sample spans several batches"

    for point in range(1, writes + 1):
        dying = DyingStore(fresh(f"killed-{point}.db"), dies_before=point)
        with pytest.raises(Killed):
            import_pairs(dying, raw, batch=60)
        dying.close()
        store = SQLiteStore(tmp_path / f"killed-{point}.db")
        assert_consistent(store)
        import_pairs(store, raw, batch=60)
        assert_same_graph(store, expected, f"killed before write {point} of {writes}")
        store.close()


def start_import(db: Path, csv_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORT, "--store", f"sqlite:///{db}", "import", "pairs", str(csv_path), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def kill_after(db: Path, csv_path: Path, more_writes: int) -> None:
    """Start ``import pairs`` and SIGKILL it once it has committed ``more_writes`` more writes."""
    start = SQLiteStore(db).revision() if db.exists() else 0
    proc = start_import(db, csv_path)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                store = SQLiteStore(db)
                try:
                    done = store.revision() - start
                finally:
                    store.close()
                if done >= more_writes:
                    break
            time.sleep(0.01)
        assert proc.poll() is None, "the import finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_sigkill_at_several_points_then_rerun_matches_an_uninterrupted_import(tmp_path, shared_data):
    csv_path = tmp_path / "sample.csv"
    csv_path.write_bytes(sample(shared_data, 5))
    reference = SQLiteStore(tmp_path / "reference.db")
    import_pairs(reference, csv_path.read_bytes(), source=f"pairs import ({csv_path.name})", actor="cli")
    expected = graph(reference)
    reference.close()

    db = tmp_path / "killed.db"
    kill_after(db, csv_path, 2)
    kill_after(db, csv_path, 4)
    store = SQLiteStore(db)
    partial = store.counts()["edges"].get("SISTER_CITY", 0)
    assert 0 < partial < expected[0]["edges"]["SISTER_CITY"], "the kills landed part-way"
    assert store.revision() == store.read_audit(limit=1)[0].revision
    assert_consistent(store)
    store.close()

    rerun = subprocess.run(
        [sys.executable, "-c", IMPORT, "--store", f"sqlite:///{db}", "import", "pairs", str(csv_path), "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["rows_read"] == report["rows_imported"] + report["duplicates"] + report["rows_rejected"]
    store = SQLiteStore(db)
    assert_same_graph(store, expected, "after two SIGKILLs and a re-run")
    store.close()
