"""The CLI a planner meets: one default store wherever it runs, clear words when nothing is found,
ids never cut at 80 columns, gap lists by priority with their notation spelled out, dormant ties listed.

Commands run as real subprocesses of this environment's ``partner-graph``, in folders other than the
project's, with the user's data folder moved to a tmp dir (``XDG_DATA_HOME``, ``HOME``), so no test
touches the real home folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph_service.config import default_store
from tests.browser.server import free_port

CLI = str(Path(sys.executable).with_name("partner-graph"))
NANNING = "geonames:1799869"


@pytest.fixture
def user(tmp_path) -> dict[str, str]:
    """An environment whose user data folder is under tmp_path and that names no store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_GRAPH_")}
    env |= {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg"), "COLUMNS": "80",
            "NO_COLOR": "1"}
    return env


def default_db(env: dict[str, str]) -> Path:
    """Where the default store lies for ``env``: platformdirs' user data folder on Linux."""
    return Path(env["XDG_DATA_HOME"]) / "partner-graph" / "partner-graph.db"


def run(env, cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    cwd.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"partner-graph {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def test_default_store_lives_in_the_user_data_folder(user, tmp_path):
    probe = "from graph_service.config import default_store; print(default_store())"
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=user, capture_output=True, text=True)
    assert result.stdout.strip() == f"sqlite:///{tmp_path / 'xdg' / 'partner-graph' / 'partner-graph.db'}"
    moved = default_store({"PARTNER_GRAPH_HOME": str(tmp_path / "pg")})
    assert moved == f"sqlite:///{tmp_path / 'pg'}/partner-graph.db"


def test_find_on_an_empty_store_names_the_store_and_how_to_load_data(user, tmp_path):
    result = run(user, tmp_path / "anywhere", "find", "Nanning", check=False)
    assert result.returncode == 1
    text = " ".join((result.stdout + result.stderr).split())
    assert "No node matches 'Nanning'" in text
    assert f"store: sqlite:///{default_db(user)}" in text
    assert "This store is empty" in text and "partner-graph demo" in text and "import pairs" in text
    assert "Traceback" not in text


def test_unknown_city_on_an_empty_store_says_the_same(user, tmp_path):
    result = run(user, tmp_path / "anywhere", "partners", "Nanning", check=False)
    text = " ".join(result.stderr.split())
    assert result.returncode == 1 and "no City named 'Nanning'" in text
    assert f"sqlite:///{default_db(user)}" in text and "partner-graph demo" in text


def test_demo_then_find_nanning_from_another_folder(user, tmp_path, world_geo_db):
    """Acceptance 3: ``demo`` (run in one folder) loads the default store; ``find Nanning`` and
    ``partners Nanning`` run in another folder find what it loaded. The store starts as a copy of the
    session's world geography, so ``demo`` loads only the seed scenario (its first-run geography load is
    what ``world_demo_db`` checks)."""
    store = default_db(user)
    store.parent.mkdir(parents=True)
    world_geo_db.copy_to(store.parent, store.name)
    port = free_port()
    demo_dir = tmp_path / "demo-here"
    demo_dir.mkdir()
    server = subprocess.Popen([CLI, "demo", "--port", str(port)], cwd=demo_dir, env=user,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output = ""
        for line in server.stdout:  # demo prints the store it loaded, then serves
            output += line
            if "partner-graph on http://" in line:
                break
        assert f"Demo scenario loaded into sqlite:///{store}" in output, output
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not (demo_dir / "data").exists(), "demo made no store in the folder it ran in"

    elsewhere = tmp_path / "somewhere" / "else"
    found = json.loads(run(user, elsewhere, "find", "Nanning", "--json").stdout)
    assert found[0]["id"] == NANNING and found[0]["name_zh"] == "南宁"
    partners = json.loads(run(user, elsewhere, "partners", "Nanning", "--json").stdout)["partners"]
    assert "Khon Kaen" in {p["name"] for p in partners}, "the seed scenario's ties are in the same store"
    assert not (elsewhere / "data").exists()


@pytest.fixture
def seeded(user, tmp_path) -> dict[str, str]:
    run(user, tmp_path / "anywhere", "seed")
    return user


def table_ids(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+:[\w:.-]+", text))


def test_ids_are_never_cut_at_80_columns(seeded, tmp_path):
    found = run(seeded, tmp_path, "find", "Nanning").stdout
    assert max(len(line) for line in found.splitlines()) <= 80
    assert "…" not in found
    expected = {n["id"] for n in json.loads(run(seeded, tmp_path, "find", "Nanning", "--json").stdout)}
    assert "org:nanning-friendship-association" in expected
    assert expected <= table_ids(found)

    listed = run(seeded, tmp_path, "partners", "Nanning").stdout
    assert max(len(line) for line in listed.splitlines()) <= 80
    assert {"city:us:los-angeles-county", "geonames:1609776"} <= table_ids(listed)


def test_gaps_by_country_sort_by_priority_and_spell_out_their_notation(seeded, tmp_path):
    text = run(seeded, tmp_path, "gaps", "Nanning", "--by", "country", "--strategy", "nanning-2012").stdout
    rows = [line for line in text.splitlines() if line.startswith("│")]
    order = [re.search(r"\((\w\w)\)", row).group(1) for row in rows if re.search(r"\((\w\w)\)", row)]
    report = json.loads(run(seeded, tmp_path, "gaps", "Nanning", "--by", "country", "--strategy", "nanning-2012",
                            "--json").stdout)
    gaps = [(g["gap_countries"][0]["priority"] or 0, g["gap_countries"][0]["peer_coverage"], g["id"])
            for g in report["groups"] if g["gap_countries"]]
    priorities = [p for p, _, _ in gaps]
    assert len(set(priorities)) > 1, "the demo strategy gives gap countries different priorities"
    first = order[:len(gaps)]
    ranked = {cc: (p, peers) for p, peers, cc in gaps}
    assert set(first) == set(ranked), "gap countries come first"
    keys = [ranked[cc] for cc in first]
    assert keys == sorted(keys, key=lambda k: (-k[0], -k[1])), first
    assert order[:2] == ["KH", "VN"] and order[2] == "DE"
    assert "priority: the strategy profile's weight" in " ".join(text.split())
    assert " p0." not in text and "·2" not in text, "no unexplained notation"


def test_gaps_by_region_list_each_gap_country_spelled_out(seeded, tmp_path):
    env = seeded | {"COLUMNS": "160"}
    text = run(env, tmp_path, "gaps", "Nanning", "--strategy", "nanning-2012").stdout
    assert "Germany (DE): priority 0.8, 2 peer cities" in text
    assert "Kazakhstan (KZ): 1 peer city" in text


def test_metrics_lists_the_dormant_ties(seeded, tmp_path):
    text = run(seeded | {"COLUMNS": "160"}, tmp_path, "metrics", "Nanning").stdout
    report = json.loads(run(seeded, tmp_path, "metrics", "Nanning", "--json").stdout)
    dormant = report["dormant_ties"]
    assert dormant, "the demo scenario has ties without recent exchanges"
    assert f"{len(dormant)} dormant ties" in text
    table = text[text.index("dormant ties"):]
    for tie in dormant[:20]:
        assert re.search(rf"{re.escape(tie['a_name'])}\s+│\s+{re.escape(tie['b_name'])}", table), tie


def test_suggestions_at_80_columns_keep_every_id_and_cut_no_reason(seeded, tmp_path):
    text = run(seeded, tmp_path, "suggest", "Nanning", "--limit", "8").stdout
    report = json.loads(run(seeded, tmp_path, "suggest", "Nanning", "--limit", "8", "--json").stdout)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert {s["id"] for s in report["suggestions"]} <= table_ids(text)
    assert "…" not in text, "reasons wrap instead of ending in an ellipsis"
