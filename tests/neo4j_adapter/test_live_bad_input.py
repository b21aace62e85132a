"""Bad input on the Neo4j adapter against the live server: what the recording driver can only
assume (a refused write rolls back every batch already sent, a kind never changes, injection text
stays text in the database, an unreachable server is a clear ``StoreUnavailable``)."""

from __future__ import annotations

import pytest
from neo4j import GraphDatabase

from graph_service.api.live import free_port
from graph_service.errors import InvalidInput, KindConflict, MissingNodes, StoreUnavailable
from graph_service.model import Edge, Node
from graph_service.store.neo4j import Neo4jStore

from .test_bad_input import INJECTIONS


@pytest.fixture
def small_batches(neo4j_server, neo4j_store):
    """The live (emptied) database through a store that sends two rows per statement."""
    driver = GraphDatabase.driver(neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password))
    yield Neo4jStore(driver, neo4j_server.database, batch_size=2)
    driver.close()


def cities(*ids: str) -> list[Node]:
    return [Node(id=i, kind="City", name=f"City {i}", country="FR") for i in ids]


def test_a_refused_batch_rolls_back_the_batches_already_sent(small_batches):
    small_batches.upsert_nodes(cities("a", "b", "c", "d", "e"))
    before = (small_batches.revision(), small_batches.counts(), len(small_batches.read_audit()))
    good = [Edge(src="a", dst=x, type="SISTER_CITY") for x in "bcde"]
    with pytest.raises(MissingNodes, match="ghost"):
        small_batches.upsert_edges([*good, Edge(src="e", dst="ghost", type="SISTER_CITY")])
    assert (small_batches.revision(), small_batches.counts(), len(small_batches.read_audit())) == before


def test_a_node_keeps_its_kind_and_the_whole_batch_is_refused(small_batches):
    small_batches.upsert_nodes(cities("a"))
    school = Node(id="a", kind="School", name="Lycée A")
    with pytest.raises(KindConflict, match="node 'a' is a City; it cannot become a School"):
        small_batches.upsert_nodes([*cities("b", "c", "d"), school])
    assert small_batches.counts()["nodes"] == {"City": 1}
    assert small_batches.get_node("a").kind.value == "City"


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_text_in_every_argument_is_only_ever_data(neo4j_store, text):
    neo4j_store.upsert_nodes([*cities("a", "b"), Node(id="c", kind="City", name=text, notes=text, attrs={"m": text})])
    neo4j_store.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY", notes=text)])
    assert [n.id for n in neo4j_store.find_nodes(text)] == ["c"]
    assert neo4j_store.find_nodes(text, kind="School") == []
    assert neo4j_store.delete_nodes([text]) == 0
    assert neo4j_store.delete_edges([text, f"a|SISTER_CITY|{text}"]) == 0
    assert neo4j_store.list_edges(node=text) == []
    stored = neo4j_store.get_node("c")
    assert (stored.name, stored.notes, stored.attrs) == (text, text, {"m": text})
    assert neo4j_store.counts() == {"nodes": {"City": 3}, "edges": {"SISTER_CITY": 1}}


def test_a_malformed_edge_id_is_refused_readably(neo4j_store):
    with pytest.raises(InvalidInput, match="edge id"):
        neo4j_store.get_edge("a|SISTER_CITY")
    assert neo4j_store.get_edge("a|SISTER_CITY|b") is None


def test_an_unreachable_server_is_a_clear_error():
    uri = f"bolt://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailable, match=f"Neo4j at {uri} \\(database 'neo4j'\\) is unavailable"):
        Neo4jStore.connect(uri, "neo4j", "secret")
