"""The local Neo4j launcher as a user drives it: ``scripts/neo4j-local.sh start|status|stop`` with a
data folder that survives a restart, and a clear refusal of a bad argument."""

from __future__ import annotations

import os
import subprocess

import pytest

from graph_service.api.live import free_port
from graph_service.model import Node
from graph_service.store.neo4j import Neo4jStore
from tests.neo4j_live import LAUNCHER_SCRIPT, TEST_JAVA_OPTS, missing_tools

pytestmark = [
    pytest.mark.neo4j_live,
    pytest.mark.skipif(bool(missing_tools()), reason=f"the launcher needs {' and '.join(missing_tools())}"),
]


def local(command: str, data, port: int) -> subprocess.CompletedProcess:
    env = os.environ | {"NEO4J_LOCAL_DATA": str(data), "NEO4J_LOCAL_PORT": str(port),
                        "NEO4J_LOCAL_JAVA_OPTS": TEST_JAVA_OPTS}
    return subprocess.run(["bash", str(LAUNCHER_SCRIPT), command], env=env, capture_output=True, text=True,
                          timeout=300)


def test_an_unknown_argument_is_refused_with_the_usage():
    result = subprocess.run(["bash", str(LAUNCHER_SCRIPT), "run", "--colour", "blue"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "unknown argument --colour; usage: Launcher [--port N] [--data DIR]" in result.stderr
    assert result.stdout == ""


@pytest.mark.slow
def test_start_status_stop_and_the_data_folder_survives_a_restart(tmp_path):
    data, port = tmp_path / "neo4j", free_port()
    uri = f"bolt://127.0.0.1:{port}"
    try:
        started = local("start", data, port)
        assert started.returncode == 0, started.stderr
        assert f"running at {uri}" in started.stdout
        assert local("status", data, port).returncode == 0
        store = Neo4jStore.connect(uri, "neo4j", "any password", database="neo4j")
        store.upsert_nodes([Node(id="nanning", kind="City", name="Nanning", name_zh="南宁", country="CN")])
        revision = store.revision()
        store.close()

        stopped = local("stop", data, port)
        assert (stopped.returncode, stopped.stdout.strip()) == (0, "neo4j-local: stopped")
        status = local("status", data, port)
        assert (status.returncode, status.stdout.strip()) == (3, "neo4j-local: not running")
        assert "neo4j launcher: stopped" in (data / "launcher.log").read_text(), "a clean shutdown on SIGTERM"

        assert local("start", data, port).returncode == 0
        store = Neo4jStore.connect(uri, "neo4j", "", database="neo4j")
        assert store.get_node("nanning").name_zh == "南宁"
        assert store.revision() == revision
        store.close()
    finally:
        local("stop", data, port)
    assert local("status", data, port).returncode == 3
