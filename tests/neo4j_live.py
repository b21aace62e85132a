"""A live Neo4j for the test suite and the benchmarks: the server ``NEO4J_URI`` names, or else the local
launcher (``scripts/neo4j-local.sh run``, Neo4j 5.26 Community in-process) started on a free port.

The launcher is started with ``--stop-when-stdin-closes`` and a pipe as its standard input, so it
stops when ``stop()`` closes the pipe, and also when the Python process that started it dies: a test
session can never leave a JVM running.
"""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph_service.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER_SCRIPT = ROOT / "scripts" / "neo4j-local.sh"
LAUNCHER_CLASSES = ROOT / "scripts" / "neo4j" / "target" / "lib" / ".complete"
TEST_JAVA_OPTS = "-XX:TieredStopAtLevel=1"
"""The suite's launcher JVM compiles with C1 only: a short-lived test server spends less CPU on JIT."""
START_TIMEOUT = 300.0
"""Seconds to wait for the Bolt URI; the first start may build the launcher (Maven downloads)."""


@dataclass
class LiveNeo4j:
    """A reachable Neo4j: its Bolt URI, credentials and database, and the launcher process if we
    started one (None for a server named by ``NEO4J_URI``)."""

    uri: str
    user: str = "neo4j"
    password: str = "local"
    database: str = "neo4j"
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def connect(self) -> Neo4jStore:
        """A new store (one driver) on this server; the schema is brought up to date."""
        return Neo4jStore.connect(self.uri, self.user, self.password, database=self.database)

    def env(self) -> dict[str, str]:
        """The environment that points ``partner-graph`` (CLI or server) at this database."""
        return {
            "PARTNER_GRAPH_STORE": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60) -> None:
        """Stop the launcher we started (close its stdin; SIGTERM if it lingers); a no-op otherwise."""
        if self.process is None or self.process.poll() is not None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout)


def from_environment() -> LiveNeo4j | None:
    """The server ``NEO4J_URI`` names (with ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``), if set."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return LiveNeo4j(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


def missing_tools() -> list[str]:
    """The tools the launcher needs that this machine lacks: java always, mvn until the first build."""
    needed = ["java"] if LAUNCHER_CLASSES.exists() else ["java", "mvn"]
    return [tool for tool in needed if shutil.which(tool) is None]


def start_launcher(log_path: Path, timeout: float = START_TIMEOUT, java_opts: str | None = None) -> LiveNeo4j:
    """Start the local launcher (building it first if needed), impermanent, on a free loopback port.
    ``java_opts`` goes to the JVM; by default ``NEO4J_LOCAL_JAVA_OPTS`` or else ``TEST_JAVA_OPTS``.

    Raises ``RuntimeError`` with the end of the launcher's log if it exits or prints no URI in time.
    """
    log = open(log_path, "ab")  # noqa: SIM115 - the launcher writes to it for its whole life
    process = subprocess.Popen(
        ["bash", str(LAUNCHER_SCRIPT), "run", "--port", "0", "--stop-when-stdin-closes"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=ROOT,
        env=os.environ | {
            "NEO4J_LOCAL_JAVA_OPTS": java_opts if java_opts is not None
            else os.environ.get("NEO4J_LOCAL_JAVA_OPTS", TEST_JAVA_OPTS)
        },
    )
    log.close()
    server = LiveNeo4j(uri="", process=process, log_path=log_path)
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if selector.select(timeout=1.0):
                line = process.stdout.readline().decode().strip()
                if line.startswith("bolt://"):
                    server.uri = line
                    return server
                if not line and process.poll() is not None:
                    break
    server.stop(timeout=10)
    raise RuntimeError(
        f"the Neo4j launcher gave no Bolt URI (exit code {process.poll()}); its log {log_path} ends:\n"
        + server.log_tail()
    )
