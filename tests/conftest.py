"""Suite-wide fixtures: the real data folder, the session's world datasets and its live Neo4j; the
``slow``, ``neo4j_live`` and ``real_data`` marking of tests that use them; and the CI guard (under
``CI=true`` a run fails when the Cypher lint, the browser tests, the non-editable install test, the live
Neo4j tests or the tests on the real data in ``../shared/data`` were skipped, or did not run at all).

World datasets
--------------
Loading the world is the costly part of this suite (GeoNames geography is ~34,000 cities; the shared
pairs file is 28,723 rows), so each world state is built **once per session**, as a SQLite file under
the session's tmp dir, by the same CLI commands a user runs:

============== ==============================================================================
fixture        contents
============== ==============================================================================
world_geo_db   ``partner-graph geo``: 252 countries, 8 regions, every city of 15,000+ people
pairs_db       ``partner-graph import pairs sister_pairs.csv`` on an empty store (no geography)
world_db       ``world_geo_db`` plus ``import pairs sister_pairs.csv``: the real world network
world_demo_db  ``partner-graph demo`` on an empty store: the seed scenario plus world geography
============== ==============================================================================

Each yields a ``WorldStore``: its ``path``, the ``reports`` the commands printed while building it
(tests of the loaders assert on those instead of loading again), and the ``revision`` it was left at.
A test that only reads opens the shared file (``world.open()``, or serves ``world.path``); a test
that writes takes its own copy first (``world.copy_to(tmp_path)``). At the end of the session each
shared file must still be at its revision, or the fixture fails: a write to it would leak into
every later test.

Every test that uses one of these fixtures is marked ``slow`` automatically, so
``pytest -m "not slow"`` is the quick loop and never builds the world.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph_service.cli import app
from graph_service.store.neo4j import Neo4jStore
from graph_service.store.sqlite import SQLiteStore
from tests import neo4j_live

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
REQUIRED_ON_CI = ("cypher_lint", "browser", "wheel_install", "neo4j_live", "real_data")
WORLD_FIXTURES = ("world_geo_db", "pairs_db", "world_db", "world_demo_db")

_outcomes: Counter[tuple[str, str]] = Counter()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: real sister-city files, read in place and never copied into the project."""
    if not (SHARED_DATA / "sister_pairs.csv").exists():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


# -- world datasets --------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorldStore:
    """A SQLite store built once per session, and what the commands that built it reported.

    ``reports`` maps a step name (``"geo"``, ``"pairs"``, ``"demo"``) to the parsed ``--json`` report
    of that command, or to its console output where the command has no ``--json`` (``demo``).
    """

    path: Path
    revision: int
    reports: Mapping[str, Any] = field(default_factory=dict)

    def open(self) -> SQLiteStore:
        """The shared store, for reading only (copy it with ``copy_to`` before any write)."""
        return SQLiteStore(self.path)

    def copy_to(self, directory: Path, name: str | None = None) -> Path:
        """A private copy in ``directory``, made with SQLite's backup API (consistent even with a WAL)."""
        target = directory / (name or self.path.name)
        with closing(sqlite3.connect(self.path)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target


def run_cli(db: Path, *args: str) -> str:
    """``partner-graph --store sqlite:///db ARGS`` in this process; its output, or a failed test."""
    result = CliRunner().invoke(app, ["--store", f"sqlite:///{db}", *args])
    assert result.exit_code == 0, f"partner-graph {' '.join(args)} failed:\n{result.output}"
    return result.output


def _built(path: Path, reports: dict[str, Any]) -> WorldStore:
    store = SQLiteStore(path)
    try:
        return WorldStore(path=path, revision=store.revision(), reports=reports)
    finally:
        store.close()


def _unchanged(world: WorldStore) -> Iterator[WorldStore]:
    """Yield ``world``; afterwards fail if any test wrote to the shared file."""
    yield world
    store = SQLiteStore(world.path)
    try:
        revision = store.revision()
    finally:
        store.close()
    assert revision == world.revision, (
        f"a test wrote to the shared {world.path.name} (revision {world.revision} -> {revision}); "
        "tests that write must take world.copy_to(tmp_path) first")


@pytest.fixture(scope="session")
def world_geo_db(tmp_path_factory) -> Iterator[WorldStore]:
    """World geography only, as ``partner-graph geo --json`` loads it on an empty store.

    252 countries, 8 regions (six continents, ASEAN, EU27) and every GeoNames city of 15,000+ people,
    each ``LOCATED_IN`` its country. ``reports["geo"]`` is the load's report (``nodes_created`` …).
    """
    path = tmp_path_factory.mktemp("world") / "world-geo.db"
    report = json.loads(run_cli(path, "geo", "--json"))
    yield from _unchanged(_built(path, {"geo": report}))


@pytest.fixture(scope="session")
def pairs_db(shared_data, tmp_path_factory) -> Iterator[WorldStore]:
    """The shared pairs file alone, as ``partner-graph import pairs sister_pairs.csv --json`` writes it
    on an empty store: every city is created from the file. ``reports["pairs"]`` is the import report."""
    path = tmp_path_factory.mktemp("world") / "pairs.db"
    report = json.loads(run_cli(path, "import", "pairs", str(shared_data / "sister_pairs.csv"), "--json"))
    yield from _unchanged(_built(path, {"pairs": report}))


@pytest.fixture(scope="session")
def world_db(world_geo_db, shared_data, tmp_path_factory) -> Iterator[WorldStore]:
    """The real world network: ``world_geo_db`` plus the shared pairs file imported on top of it, so
    the pairs' cities merge into GeoNames cities (Nanning is ``geonames:1799869``).

    ``reports["geo"]`` is the geography load's report, ``reports["pairs"]`` the import's report.
    """
    path = world_geo_db.copy_to(tmp_path_factory.mktemp("world"), "world.db")
    report = json.loads(run_cli(path, "import", "pairs", str(shared_data / "sister_pairs.csv"), "--json"))
    yield from _unchanged(_built(path, {**world_geo_db.reports, "pairs": report}))


@pytest.fixture(scope="session")
def world_demo_db(tmp_path_factory) -> Iterator[WorldStore]:
    """What a planner's first ``partner-graph demo`` builds on an empty store: the seed scenario
    (``seed/``: Nanning and its partners, demo records marked ``demo``) plus world geography.

    The server ``demo`` would start is left out; ``reports["demo"]`` is the command's console output.
    """
    from graph_service.cli import serve_commands

    path = tmp_path_factory.mktemp("world") / "world-demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serve_commands, "_serve", lambda ctx, host, port: None)
        output = run_cli(path, "demo")
    yield from _unchanged(_built(path, {"demo": output}))


# -- live Neo4j -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory) -> Iterator[neo4j_live.LiveNeo4j]:
    """One live Neo4j for the whole session: the server ``NEO4J_URI`` names, else the local launcher
    (``scripts/neo4j-local.sh``, Neo4j 5.26 Community) started once on a free port and stopped at the
    end. Skips only when neither is possible (no java, or no mvn before the first build); under
    ``CI=true`` the CI guard turns those skips into a failed run. A launcher that fails to start
    errors every test that needs it."""
    server = neo4j_live.from_environment()
    if server is None:
        missing = neo4j_live.missing_tools()
        if missing:
            pytest.skip(f"live Neo4j tests skipped: NEO4J_URI is not set and {' and '.join(missing)} "
                        "(for scripts/neo4j-local.sh) not found; README, section 'Live Neo4j', says how")
        server = neo4j_live.start_launcher(tmp_path_factory.mktemp("neo4j") / "launcher.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server) -> Iterator[Neo4jStore]:
    """The session's one ``Neo4jStore`` (one driver) on the live server."""
    store = neo4j_server.connect()
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_session_store) -> Neo4jStore:
    """The live store, emptied (revision and audit log included) for this test."""
    neo4j_session_store.wipe_for_tests()
    return neo4j_session_store


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that uses a world dataset; ``neo4j_live`` every test that uses the live
    Neo4j (before ``-m`` deselects): through the ``neo4j_server`` fixture, or as the ``neo4j`` case of a
    fixture parametrised over both stores (``store``, ``api``, ``demo``: they reach the server with
    ``getfixturevalue``), so the CI guard counts those too; and ``real_data`` every test that reads
    ``../shared/data``."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if set(WORLD_FIXTURES) & fixtures:
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if "neo4j_server" in fixtures or (callspec is not None and "neo4j" in callspec.params.values()):
            item.add_marker(pytest.mark.neo4j_live)
        if "shared_data" in fixtures:
            item.add_marker(pytest.mark.real_data)


# -- CI guard --------------------------------------------------------------------------------------
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for marker in REQUIRED_ON_CI:
        if marker in report.keywords and (report.when == "call" or report.skipped):
            _outcomes[(marker, report.outcome)] += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() != "true" or exitstatus not in (0, 1):
        return
    problems = []
    for marker in REQUIRED_ON_CI:
        if _outcomes[(marker, "skipped")]:
            problems.append(f"{_outcomes[(marker, 'skipped')]} '{marker}' test(s) were skipped")
        if not _outcomes[(marker, "passed")] and not _outcomes[(marker, "failed")]:
            problems.append(f"no '{marker}' test ran")
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "CI=true: " + "; ".join(problems) + ". This run counts as a failure.", red=True)
        session.exitstatus = 1
