"""A full disk, a read-only file and a locked file give clear errors that name the database file:
a store error in process, 507 or 503 from the API, one line and exit code 1 on the CLI, never a
traceback, and nothing half-written. A new database file is readable by its owner only.

The full and read-only cases use a real small filesystem (a 4 MB tmpfs, remounted read-only), which
needs root (as the CI runs); SQLite's own size limit (``max_page_count``) covers "full" everywhere.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
from contextlib import closing, contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from graph_service.api.live import LiveServer
from graph_service.cli import app
from graph_service.errors import StoreFull, StoreLocked, StoreReadOnly
from graph_service.model import Node
from graph_service.store.sqlite import SQLiteStore


def city(i: int, size: int = 0) -> Node:
    return Node(id=f"c{i}", kind="City", name=f"City {i}", country="FR", notes="x" * size or None)


def as_root(command: list[str], what: str) -> None:
    """Run ``command``; skip the test where it cannot run (it needs root, as the CI has)."""
    if os.geteuid() != 0:
        pytest.skip(f"to {what} needs root (the CI runs as root)")
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot {what} here: {done.stderr.decode()[:200]}")


@contextmanager
def small_disk(tmp_path: Path, size: str = "4m"):
    """A real filesystem of ``size`` bytes (tmpfs), mounted under ``tmp_path``; unmounted after."""
    mount = tmp_path / "disk"
    mount.mkdir()
    as_root(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], "mount a small filesystem")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> None:
    """Fill the filesystem to the last byte."""
    with (disk / "filler").open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass


def read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


@contextmanager
def immutable(file: Path):
    """``file`` made read-only for everyone, root included (``chattr +i``), in a writable folder; made
    writable again after."""
    as_root(["chattr", "+i", str(file)], "make a file immutable")
    try:
        yield file
    finally:
        subprocess.run(["chattr", "-i", str(file)], check=False)


def test_a_new_database_file_is_private(tmp_path):
    store = SQLiteStore(tmp_path / "data" / "new.db")
    store.upsert_nodes([city(1)])
    for name in ("new.db", "new.db-wal"):
        assert stat.S_IMODE((tmp_path / "data" / name).stat().st_mode) == 0o600, name
    store.close()


def test_sqlite_size_limit_is_store_full_and_writes_nothing(tmp_path):
    store = SQLiteStore(tmp_path / "limit.db")
    store.upsert_nodes([city(0)])
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(StoreFull, match=r"limit\.db is full") as caught:
        store.upsert_nodes([city(i, 20_000) for i in range(1, 60)])
    assert "rollback" not in str(caught.value)
    assert store.revision() == 1 and store.counts()["nodes"] == {"City": 1}
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.upsert_nodes([city(1)]).created == 1, "the store works again once there is room"
    store.close()


def test_a_full_disk_is_store_full_then_works_again(tmp_path):
    with small_disk(tmp_path) as disk:
        store = SQLiteStore(disk / "full.db")
        store.upsert_nodes([city(0)])
        fill(disk)
        with pytest.raises(StoreFull, match=re.escape(f"{disk / 'full.db'} is full")):
            for batch in range(40):
                store.upsert_nodes([city(batch * 100 + i, 5_000) for i in range(1, 100)])
        revision = store.revision()
        assert store.read_audit(limit=1)[0].revision == revision, "no write was half-done"
        (disk / "filler").unlink()
        assert store.upsert_nodes([city(999_999)]).created == 1
        store.close()


def test_a_locked_file_is_store_locked_after_the_busy_timeout(tmp_path):
    path = tmp_path / "locked.db"
    SQLiteStore(path).close()
    store = SQLiteStore(path, busy_seconds=0.2)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreLocked, match=r"locked\.db is locked by another program"):
            store.upsert_nodes([city(1)])
        other.execute("ROLLBACK")
    assert store.upsert_nodes([city(1)]).created == 1
    store.close()


def cli(db: Path, *args: str):
    return CliRunner().invoke(app, ["--store", f"sqlite:///{db}", *args])


COMMANDS = [("seed",), ("find", "Nanning"), ("partners", "Nanning"), ("keys", "list"),
            ("keys", "create", "--role", "viewer"), ("gaps", "Nanning"), ("export", "{out}", "--format", "json"),
            ("serve", "--port", "1")]


def test_every_cli_command_on_a_read_only_file_prints_one_clear_line(tmp_path):
    with small_disk(tmp_path) as disk:
        db = disk / "ro.db"
        assert cli(db, "seed").exit_code == 0
        read_only(disk)
        with pytest.raises(StoreReadOnly, match=r"ro\.db is read-only"):
            SQLiteStore(db)
        for command in COMMANDS:
            args = [arg.format(out=tmp_path / "out.json") for arg in command]
            result = cli(db, *args)
            assert result.exit_code == 1, (command, result.output)
            assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), command
            assert f"the database file {db} is read-only" in result.output, (command, result.output)


def test_every_cli_write_on_a_full_disk_prints_one_clear_line(tmp_path):
    with small_disk(tmp_path) as disk:
        db = disk / "full.db"
        assert cli(db, "keys", "create", "--role", "viewer").exit_code == 0
        fill(disk)
        for command in (("seed",), ("geo", "--min-population", "100000")):
            result = cli(db, *command)
            assert result.exit_code == 1, (command, result.output)
            assert "Traceback" not in result.output and "rollback" not in result.output
            assert isinstance(result.exception, SystemExit), (command, result.exception)
            assert f"the database file {db} is full" in result.output, (command, result.output)


def test_the_api_answers_507_when_full_and_503_when_locked(tmp_path):
    with small_disk(tmp_path, "8m") as disk:
        db = disk / "api.db"
        SQLiteStore(db).close()
        env = {"PARTNER_GRAPH_SQLITE_BUSY_SECONDS": "0.3"}
        with LiveServer(f"sqlite:///{db}", env=env, log_path=tmp_path / "server.log") as server:
            from graph_service.services.keys import create_key

            store = SQLiteStore(db)
            key = create_key(store, "admin")[0]
            store.close()
            client = httpx.Client(base_url=server.url + "/api/v1", headers={"X-API-Key": key}, timeout=30)
            with closing(client), closing(sqlite3.connect(db, isolation_level=None)) as other:
                other.execute("BEGIN EXCLUSIVE")
                locked = client.post("/nodes", json=city(1).props())
                other.execute("ROLLBACK")
                assert locked.status_code == 503 and locked.json()["error"] == "store_locked", locked.text
                assert str(db) in locked.json()["message"]
                zh = client.post("/nodes?lang=zh", json=city(1).props())
                assert zh.status_code == 201, "the lock is gone: the same write succeeds"
                fill(disk)
                full = client.post("/nodes/batch", json={"nodes": [city(i, 19_000).props() for i in range(2, 300)]})
                assert full.status_code == 507 and full.json()["error"] == "store_full", full.text
                assert str(db) in full.json()["message"] and "rollback" not in full.text
                assert client.get("/nodes/c2").status_code == 404, "nothing of the refused batch was written"
        assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_a_read_only_file_serves_reads_and_answers_writes_with_a_503_naming_it(tmp_path):
    """A database file nobody may write (its folder writable): the server starts, reads work, and every
    write is a 503 that names the file, in English and in Chinese; the CLI's writes print one line."""
    db = tmp_path / "ro.db"
    assert cli(db, "seed").exit_code == 0
    store = SQLiteStore(db)
    from graph_service.services.keys import create_key

    key = create_key(store, "admin")[0]
    store.close()
    with immutable(db), LiveServer(f"sqlite:///{db}", log_path=tmp_path / "server.log") as server, \
            httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=30) as client:
        refused = client.post("/api/v1/nodes", json=city(1).props())
        assert refused.status_code == 503 and refused.json()["error"] == "store_read_only", refused.text
        assert f"the database file {db} is read-only" in refused.json()["message"]
        zh = client.post("/api/v1/nodes?lang=zh", json=city(1).props())
        assert zh.status_code == 503 and f"数据库文件 {db} 为只读" in zh.json()["message"], zh.text
        assert client.get("/api/v1/nodes/geonames:1799869").status_code == 200
        assert client.get("/city/geonames:1799869?lang=zh").status_code == 200
        assert client.get("/api/v1/nodes/c1").status_code == 404, "nothing was written"
        result = cli(db, "keys", "create", "--role", "viewer")
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"the database file {db} is read-only" in result.output, result.output
    assert "Traceback" not in (tmp_path / "server.log").read_text()
