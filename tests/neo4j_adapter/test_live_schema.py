"""Schema upgrades on the live server: a database written before version 3 (own and alternate names'
search keys in one list) is rewritten when partner-graph connects, and then ranks like SQLite; one
written before version 4 (no change feed) gets the feed from its next write on."""

from __future__ import annotations

from graph_service.model import Edge, Node, NodeKind
from graph_service.store.cypher import STATEMENTS
from graph_service.store.neo4j import SCHEMA_VERSION, node_properties
from graph_service.text import search_keys


def test_version_2_search_keys_are_split_on_connect(neo4j_server, neo4j_store):
    qujing = Node(id="qujing", kind="City", name="Qujing", name_zh="曲靖", alt_names=["Nanning"], country="CN",
                  population=5_000_000)
    nanning = Node(id="nanning", kind="City", name="Nanning", name_zh="南宁", country="CN", population=100)
    driver = neo4j_store._driver
    for node in (qujing, nanning):
        old = node_properties(node) | {"search_keys": search_keys(node.name, [node.name_zh or "", *node.alt_names])}
        del old["search_alt_keys"]
        driver.execute_query(STATEMENTS["upsert_nodes"].render(NodeKind.CITY), {"rows": [old]}, database_="neo4j")
    driver.execute_query(STATEMENTS["set_schema_version"].render(), {"version": 2}, database_="neo4j")
    assert [n.id for n in neo4j_store.find_nodes("nanning")] == ["qujing", "nanning"], "the old keys rank badly"

    upgraded = neo4j_server.connect()
    try:
        assert upgraded._read("schema_version")[0]["version"] == SCHEMA_VERSION == 5
        assert [n.id for n in upgraded.find_nodes("nanning")] == ["nanning", "qujing"]
        assert upgraded.get_node("qujing") == qujing
        assert upgraded.revision() == 0, "a schema upgrade is not a graph write"
    finally:
        upgraded.close()


def test_writes_before_version_4_have_no_feed_and_later_ones_do(neo4j_server, neo4j_store):
    neo4j_store.upsert_nodes([Node(id="a", kind="City", name="Nanning"), Node(id="b", kind="City", name="Hue")])
    driver = neo4j_store._driver
    driver.execute_query("MATCH (c:Change) DELETE c", database_="neo4j")  # as a version-3 database has none
    driver.execute_query(STATEMENTS["set_schema_version"].render(), {"version": 3}, database_="neo4j")

    upgraded = neo4j_server.connect()
    try:
        assert upgraded._read("schema_version")[0]["version"] == SCHEMA_VERSION and upgraded.revision() == 1
        assert upgraded.changes_since(0) is None, "revision 1 has no record: the projection is rebuilt"
        upgraded.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY")])
        change = upgraded.changes_since(1)
        assert change is not None and change.revision == 2 and set(change.edges) == {"a|SISTER_CITY|b"}
    finally:
        upgraded.close()
