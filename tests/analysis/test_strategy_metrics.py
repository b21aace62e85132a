import json
import os
import subprocess
import sys
from datetime import date

import pytest

from graph_service.analysis import list_strategies, load_strategy, metrics, projection
from graph_service.analysis.metrics import communities, dormant_ties, pagerank
from graph_service.errors import StrategyError
from graph_service.model import Edge
from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records

LOUVAIN = """
import json, sys
from graph_service.analysis import projection
from graph_service.analysis.metrics import communities
from graph_service.store.sqlite import SQLiteStore
print(json.dumps([sorted(c) for c in communities(projection(SQLiteStore(sys.argv[1])))]))
"""


def test_shipped_profiles_load():
    assert {"default", "nanning-2012"} <= set(list_strategies())
    nanning = load_strategy("nanning-2012")
    assert set(nanning.gap_countries) == {"KH", "LA", "MM", "JP", "CL", "BR", "DE", "FR", "ES"}
    assert [t.name for t in nanning.targets] == ["Bogor", "Los Angeles County"]
    assert nanning.groups[0].regions == ["ASEAN"] and "NO" in nanning.groups[2].countries


@pytest.mark.parametrize("text, message", [
    ("name: x\nfeature_weights: {warp_drive: 1}\n", "unknown feature"),
    ("name: x\ngap_countries: {KH: 3}\n", "[0, 1]"),
    ("name: x\nradius_km: -5\n", "radius_km"),
    ("name: x\ngap_countries: {Cambodia: 1}\n", "country code"),
    ("[1, 2]\n", "mapping"),
    ("name: [unclosed\n", "not valid YAML"),
    ("name: x\nsurprise: 1\n", "surprise"),
])
def test_bad_profiles_are_refused_with_a_clear_message(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(StrategyError, match=message.replace("[", r"\[")):
        load_strategy(path)


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(StrategyError, match="nanning-2012"):
        load_strategy("atlantis")


def test_pagerank_sums_to_one_and_favours_hubs(world):
    proj = projection(world)
    rank = pagerank(proj)
    assert rank.sum() == pytest.approx(1.0)
    assert rank[proj.cities.position["kk"]] > rank[proj.cities.position["os"]]


def test_louvain_is_deterministic(world):
    """Two projections of two stores, loaded in opposite orders, each run Louvain on their own (no
    shared memo) and find the same communities: the modularity optimum of the live ties (0.296, against
    0.204 for the next best split), where the ended Nanning-Munich tie does not count."""
    nodes, edges = canonical_records()
    reversed_store = SQLiteStore(":memory:")
    reversed_store.upsert_nodes(nodes[::-1])
    reversed_store.upsert_edges(edges[::-1])
    first, second = projection(world), projection(reversed_store)
    assert first is not second
    found = communities(first), communities(second)
    assert found[0] == found[1] == [{"kk", "sz", "vte"}, {"gl", "os"}, {"nn", "hp"}]


def test_louvain_gives_one_answer_in_two_processes_on_the_real_pairs(pairs_db):
    """On the shared pairs file (1,400+ communities, where Louvain's random node order does matter),
    two processes with different string hashing (``PYTHONHASHSEED``, so any set iterates in another
    order) each build their own projection and find the same communities."""
    runs = [subprocess.Popen([sys.executable, "-c", LOUVAIN, str(pairs_db.path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=os.environ | {"PYTHONHASHSEED": seed})
            for seed in ("1", "2")]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    first, second = (json.loads(out) for out, _ in outputs)
    assert len(first) > 1_000 and first == second


def test_dormant_ties_follow_exchanges(world):
    world.upsert_edges(
        [Edge(src="nn", dst="kk", type="EXCHANGE", field="education", date="2024-05-01", title="Youth camp")]
    )
    proj = projection(world)
    dormant = dormant_ties(proj, years=5, city="nn", today=date(2026, 1, 1))
    assert [(t.b, t.last_exchange) for t in dormant] == [("hp", None)]
    assert {t.b for t in dormant_ties(proj, years=1, city="nn", today=date(2026, 1, 1))} == {"hp", "kk"}
    result = metrics(projection(world), city="nn")
    assert result.city_community is not None and {r.id for r in result.central_partners} == {"kk", "hp"}
