"""Issue 16, acceptance 1: a non-editable ``pip install .`` works from any folder.

The project is installed into a fresh virtualenv (pip's cache keeps this to about 10 s). From an
unrelated folder, with the store in a temporary directory, that install's ``partner-graph`` then
seeds, suggests and serves, and its Neo4j adapter loads every statement of the repository's
``cypher/``: the data files reached the wheel (``graph_service/resources``) and nothing reads the
source tree.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.browser.server import serve

ROOT = Path(__file__).resolve().parents[1]
NANNING = "geonames:1799869"
PROBE = """
import json, graph_service, graph_service.store.neo4j
from graph_service.store.cypher import STATEMENTS
from graph_service.resources import cypher_dir, scenario_dir, strategies_dir
print(json.dumps({
    "package": graph_service.__file__,
    "statements": len(STATEMENTS),
    "adapter": graph_service.store.neo4j.Neo4jStore.__name__,
    "resources": {d.name: {p.name: p.read_text(encoding="utf-8") for p in d.iterdir()}
                  for d in (cypher_dir(), strategies_dir(), scenario_dir())},
}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtualenv holding ``pip install <repository>`` (not editable); its ``bin`` folder.

    The venv gets no pip of its own: this environment's pip installs into it (``--python``), which
    halves the time (no ensurepip, a current pip with its cache).
    """
    venv = tmp_path_factory.mktemp("install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                             "--quiet", "--no-compile", "--disable-pip-version-check", str(ROOT)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path) -> tuple[Path, dict[str, str]]:
    """An unrelated working folder, and an environment with no trace of the repository or its .venv."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PARTNER_GRAPH_", "PYTHON", "VIRTUAL_ENV")) and k != "NEO4J_URI"}
    env["PARTNER_GRAPH_STORE"] = f"sqlite:///{tmp_path / 'store' / 'graph.db'}"
    return folder, env


def run(bin_dir: Path, args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


@pytest.mark.slow
@pytest.mark.wheel_install
def test_installed_package_seeds_suggests_serves_and_loads_its_statements(installed, elsewhere, tmp_path):
    folder, env = elsewhere

    probe = json.loads(run(installed, ["python", "-c", PROBE], folder, env))
    venv = installed.parent.resolve()
    assert Path(probe["package"]).resolve().is_relative_to(venv), probe["package"]
    headers = sum(len(re.findall(r"^//\s*name:", p.read_text(encoding="utf-8"), re.M))
                  for p in (ROOT / "cypher").glob("*.cypher"))
    assert probe["statements"] == headers > 30
    assert probe["adapter"] == "Neo4jStore"
    shipped = probe["resources"]
    for name, source, pattern in (("cypher", ROOT / "cypher", "*.cypher"),
                                  ("strategies", ROOT / "seed" / "strategies", "*.yaml"),
                                  ("scenario", ROOT / "seed" / "scenario", "*.json")):
        assert shipped[name] == {p.name: p.read_text(encoding="utf-8") for p in source.glob(pattern)}, name

    seeded = json.loads(run(installed, ["partner-graph", "seed", "--json"], folder, env))
    assert sorted(seeded) == sorted(p.name for p in (ROOT / "seed" / "scenario").glob("*.json"))
    assert sum(r["nodes_created"] for r in seeded.values()) > 50
    assert (tmp_path / "store" / "graph.db").is_file()

    report = json.loads(run(installed, ["partner-graph", "suggest", "Nanning", "--strategy", "nanning-2012", "--json"],
                            folder, env))
    assert (report["city"]["id"], report["city"]["name"], report["strategy"]) == (NANNING, "Nanning", "nanning-2012")
    assert len(report["suggestions"]) >= 5
    assert all(s["reasons"] and s["country"] not in {"CN", "TW", "HK", "MO"} for s in report["suggestions"])
    assert any(r["kind"] == "strategy_region" and "ASEAN" in r["evidence"]
               for s in report["suggestions"] for r in s["reasons"])

    store = tmp_path / "store" / "graph.db"
    with serve(store, tmp_path / "serve.log", command=[str(installed / "partner-graph")], cwd=folder, env=env) as base:
        health = json.loads(get(base + "/health"))
        assert health["status"] == "ok"
        page = get(f"{base}/city/{NANNING}?lang=zh&strategy=nanning-2012")
        top = report["suggestions"][0]
        assert "南宁" in page and (top["name_zh"] or top["name"]) in page
        network = get(f"{base}/network/city/{NANNING}?lang=zh")  # viz's template, read from the installed viz
        assert 'id="mynetwork"' in network and f'"id": "{NANNING}"' in network
    assert not list(folder.iterdir()), "the commands wrote into the working folder"
