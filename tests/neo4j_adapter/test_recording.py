"""What the Neo4j adapter sends: statements, parameters, database, routing and transactions."""

from __future__ import annotations

import pytest

from graph_service.errors import (
    KindConflict,
    MissingNodes,
    OutsideClosedSet,
    StoreError,
    StoreUnavailable,
    WrongEndpointKind,
)
from graph_service.model import Edge, EdgeType, Node, NodeKind
from graph_service.store import open_store
from graph_service.store.cypher import STATEMENTS
from graph_service.store.neo4j import (
    SCHEMA_STEPS,
    Neo4jStore,
    edge_from_properties,
    edge_properties,
    node_from_properties,
    node_properties,
)

from .conftest import DATABASE
from .recording_driver import RecordingDriver


def city(id_: str, name: str, country: str = "CN", **extra) -> Node:
    return Node(id=id_, kind=NodeKind.CITY, name=name, country=country, **extra)


def kinds_of(**kinds: str):
    """A ``node_kinds`` responder: these ids exist, with these kinds."""
    return lambda driver, params: [{"id": i, "kind": kinds[i]} for i in params["ids"] if i in kinds]


def test_bulk_upsert_unwinds_in_batches_in_one_write_transaction(store, driver):
    nodes = [city("a", "Nanning", name_zh="南宁"), city("b", "Khon Kaen", "TH"), city("c", "Udon Thani", "TH")]
    result = store.upsert_nodes(nodes, actor="key-1")

    assert (result.created, result.updated, result.unchanged, result.revision) == (3, 0, 0, 1)
    assert driver.direct == [] and len(driver.transactions) == 1
    tx = driver.transactions[0]
    assert (tx.routing, tx.database, tx.outcome) == ("w", DATABASE, "committed")
    assert [c.name for c in tx.calls] == [
        "bump_revision", "stored_nodes", "stored_nodes", "upsert_nodes", "upsert_nodes", "append_audit",
    ]
    writes = [c for c in tx.calls if c.name == "upsert_nodes"]
    assert [c.params["rows"] for c in writes] == [[node_properties(n) for n in nodes[:2]], [node_properties(nodes[2])]]
    assert all(c.text == STATEMENTS["upsert_nodes"].render(NodeKind.CITY) and ":City" in c.text for c in writes)
    assert writes[0].params["rows"][0]["search_keys"] == ["nanning", "南宁"]
    audit = tx.calls[-1].params
    assert (audit["actor"], audit["action"], audit["revision"]) == ("key-1", "upsert_nodes", 1)
    assert '"created":3' in audit["summary"]


def test_one_statement_per_kind_label(store, driver):
    store.upsert_nodes([city("a", "Nanning"), Node(id="s1", kind=NodeKind.SCHOOL, name="No. 2 Middle School")])
    texts = [c.text for c in driver.calls if c.name == "upsert_nodes"]
    assert texts == [
        STATEMENTS["upsert_nodes"].render(NodeKind.CITY),
        STATEMENTS["upsert_nodes"].render(NodeKind.SCHOOL),
    ]


def test_unchanged_nodes_are_not_rewritten(driver):
    stored = node_properties(city("a", "Nanning"))
    driver.responses["stored_nodes"] = lambda d, p: [{"props": stored}]
    result = Neo4jStore(driver).upsert_nodes([city("a", "Nanning")])
    assert (result.created, result.unchanged) == (0, 1)
    assert "upsert_nodes" not in driver.names()


def test_changing_a_kind_rolls_back(driver):
    stored = node_properties(Node(id="a", kind=NodeKind.SCHOOL, name="Nanning"))
    driver.responses["stored_nodes"] = lambda d, p: [{"props": stored}]
    with pytest.raises(KindConflict, match="is a School"):
        Neo4jStore(driver).upsert_nodes([city("a", "Nanning")])
    assert driver.transactions[0].outcome == "rolled back"
    assert "upsert_nodes" not in driver.names() and "append_audit" not in driver.names()


def test_edge_upsert_checks_endpoints_then_merges_by_type(store, driver):
    driver.responses["node_kinds"] = kinds_of(a="City", b="City", s="School", t="School")
    edges = [Edge(src="b", dst="a", type="SISTER_CITY", status="active"), Edge(src="s", dst="t", type="PARTNER_SCHOOL")]
    result = store.upsert_edges(edges)
    assert result.created == 2
    assert driver.names() == [
        "bump_revision",
        "node_kinds",
        "node_kinds",
        "stored_edges",
        "upsert_edges",
        "upsert_edges",
        "append_audit",
    ]
    kinds_lookup = [c.params["ids"] for c in driver.calls if c.name == "node_kinds"]
    assert kinds_lookup == [["a", "b"], ["s", "t"]]
    assert [c.params["rows"] for c in driver.calls if c.name == "stored_edges"] == [
        [{"src": "a", "id": "a|SISTER_CITY|b"}, {"src": "s", "id": "s|PARTNER_SCHOOL|t"}]
    ]
    writes = [c for c in driver.calls if c.name == "upsert_edges"]
    assert [c.text for c in writes] == [
        STATEMENTS["upsert_edges"].render(EdgeType.SISTER_CITY),
        STATEMENTS["upsert_edges"].render(EdgeType.PARTNER_SCHOOL),
    ]
    assert writes[0].params["rows"] == [edge_properties(edges[0])]
    assert writes[0].params["rows"][0] | {} == {
        "src": "a",
        "dst": "b",
        "type": "SISTER_CITY",
        "status": "active",
        "id": "a|SISTER_CITY|b",
    }


def test_edge_to_missing_node_rolls_back_before_any_data_write(store, driver):
    driver.responses["node_kinds"] = kinds_of(a="City")
    with pytest.raises(MissingNodes, match="ghost"):
        store.upsert_edges([Edge(src="a", dst="ghost", type="SISTER_CITY")])
    assert driver.transactions[0].outcome == "rolled back"
    assert driver.names() == ["bump_revision", "node_kinds"]


def test_find_by_text_is_one_read_routed_query(store, driver):
    driver.responses["search_nodes"] = lambda d, p: [{"props": node_properties(city("a", "Nanning", name_zh="南宁"))}]
    found = store.find_nodes("Nan Ning", kind=NodeKind.CITY, country="CN", limit=5, offset=10)
    assert [n.name_zh for n in found] == ["南宁"]
    (call,) = driver.calls
    assert (call.name, call.routing, call.database, call.transaction) == ("search_nodes", "r", DATABASE, None)
    assert call.params == {
        "text": "nan ning",
        "compact": "nanning",
        "kind": "City",
        "country": "CN",
        "limit": 5,
        "offset": 10,
        "han_first": None,
    }


def test_a_query_in_han_characters_ranks_chinese_places_first(store, driver):
    store.find_nodes("北海")
    assert driver.calls[0].params["han_first"] == ["CN", "HK", "MO", "TW"]


def test_find_without_text_lists_by_population(store, driver):
    store.find_nodes(country="TH")
    (call,) = driver.calls
    assert call.name == "list_nodes" and call.routing == "r"
    assert call.params == {"kind": None, "country": "TH", "limit": 50, "offset": 0}


def test_neighbourhood_walks_hop_by_hop_with_read_routing(store, driver):
    hops = {"a": ["b"], "b": ["a", "c"], "c": ["b", "d"]}
    driver.responses["node_kinds"] = kinds_of(a="City")
    driver.responses["neighbour_ids"] = lambda d, p: [{"id": m} for i in p["ids"] for m in hops.get(i, [])]
    driver.responses["stored_nodes"] = lambda d, p: [{"props": node_properties(city(i, i.upper()))} for i in p["ids"]]
    driver.responses["edges_among"] = lambda d, p: [
        {"props": edge_properties(Edge(src="a", dst="b", type="SISTER_CITY"))},
    ]
    sub = store.neighbourhood("a", depth=2, types=[EdgeType.SISTER_CITY])
    assert {n.id for n in sub.nodes} == {"a", "b", "c"} and [e.id for e in sub.edges] == ["a|SISTER_CITY|b"]
    assert [(c.name, c.params) for c in driver.calls] == [
        ("node_kinds", {"ids": ["a"]}),
        ("neighbour_ids", {"ids": ["a"], "types": ["SISTER_CITY"]}),
        ("neighbour_ids", {"ids": ["b"], "types": ["SISTER_CITY"]}),
        ("stored_nodes", {"ids": ["a", "b"]}),
        ("stored_nodes", {"ids": ["c"]}),
        ("edges_among", {"ids": ["a", "b", "c"], "types": ["SISTER_CITY"]}),
    ]
    assert {(c.routing, c.database) for c in driver.calls} == {("r", DATABASE)}


def test_neighbourhood_of_unknown_node_stops_after_one_read(store, driver):
    assert store.neighbourhood("nowhere", depth=3).nodes == []
    assert driver.names() == ["node_kinds"]


def test_delete_nodes_collects_edges_then_detach_deletes_in_one_transaction(store, driver):
    driver.responses["delete_nodes"] = lambda d, p: [{"ids": p["ids"]}]
    driver.responses["node_edge_ids"] = lambda d, p: [
        {"ids": [f"{i}|SISTER_CITY|x" for i in p["ids"]] + ["a|SISTER_CITY|c"]}]
    assert store.delete_nodes(["c", "a", "b", "a"], actor="key-9") == 3
    (tx,) = driver.transactions
    assert [(c.name, c.params.get("ids")) for c in tx.calls[1:-1]] == [
        ("stored_nodes", ["a", "b", "c"]),
        ("node_edge_ids", ["a", "b"]),
        ("node_edge_ids", ["c"]),
        ("delete_nodes", ["a", "b"]),
        ("delete_nodes", ["c"]),
    ]
    audit = tx.calls[-1].params
    assert '"edges_deleted":4' in audit["summary"] and tx.outcome == "committed"  # a|SISTER_CITY|c counted once
    assert audit["nodes"] == ["a", "b", "c"] and not audit["reset"]
    assert audit["edges"] == ["a|SISTER_CITY|c", "a|SISTER_CITY|x", "b|SISTER_CITY|x", "c|SISTER_CITY|x"]


def test_delete_edges_sends_source_and_id_and_skips_malformed_ids(store, driver):
    driver.responses["delete_edges"] = lambda d, p: [{"ids": [row["id"] for row in p["rows"]]}]
    assert store.delete_edges(["a|SISTER_CITY|b", "not-an-edge", "a|ENEMY_OF|b", "s|EXCHANGE|c|k1"]) == 2
    (call,) = [c for c in driver.calls if c.name == "delete_edges"]
    assert call.params == {"rows": [{"src": "a", "id": "a|SISTER_CITY|b"}, {"src": "s", "id": "s|EXCHANGE|c|k1"}]}
    audit = next(c for c in driver.calls if c.name == "append_audit").params
    assert (audit["nodes"], audit["edges"]) == ([], ["a|SISTER_CITY|b", "s|EXCHANGE|c|k1"])


def test_get_edge_looks_up_the_canonical_id_from_its_source(store, driver):
    stored = edge_properties(Edge(src="a", dst="b", type=EdgeType.SISTER_CITY, status="active"))
    driver.responses["stored_edges"] = lambda d, p: [{"props": stored}] if p["rows"][0]["id"] == stored["id"] else []
    assert store.get_edge("b|SISTER_CITY|a").status.value == "active"
    assert store.get_edge("a|FRIENDLY_EXCHANGE|b") is None
    assert [c.params for c in driver.calls] == [
        {"rows": [{"src": "a", "id": "a|SISTER_CITY|b"}]},
        {"rows": [{"src": "a", "id": "a|FRIENDLY_EXCHANGE|b"}]},
    ]


def test_list_edges_pages_with_one_statement_per_shape(store, driver):
    store.list_edges(limit=10, offset=20)
    store.list_edges(node="a", type=EdgeType.EXCHANGE, limit=5)
    assert [(c.name, c.params) for c in driver.calls] == [
        ("list_edges", {"type": None, "limit": 10, "offset": 20}),
        ("list_node_edges", {"node": "a", "type": "EXCHANGE", "limit": 5, "offset": 0}),
    ]
    assert {(c.routing, c.database) for c in driver.calls} == {("r", DATABASE)}


def test_every_read_uses_read_routing_and_the_database(store, driver):
    driver.responses["read_audit"] = lambda d, p: [
        {
            "seq": 3,
            "at": "2026-01-01T00:00:00+00:00",
            "actor": "k",
            "action": "a",
            "target": "t",
            "summary": '{"n":1}',
            "revision": 3,
        }
    ]
    store.get_node("a")
    store.get_nodes(["a", "b"])
    store.find_nodes("x")
    store.find_nodes()
    store.neighbourhood("a")
    store.counts()
    store.revision()
    store.api_keys()
    store.snapshot()
    assert store.read_audit(limit=1)[0].summary == {"n": 1}
    assert {(c.routing, c.database) for c in driver.calls} == {("r", DATABASE)}
    assert [(t.routing, t.outcome) for t in driver.transactions] == [("r", "committed")]
    assert None not in driver.names()


@pytest.mark.parametrize(
    "forged",
    [
        lambda s: s.upsert_nodes([city("a", "Nanning"), Node.model_construct(id="p", kind="Planet", name="X")]),
        lambda s: s.upsert_edges([Edge.model_construct(src="a", dst="b", type="ENEMY_OF", key="")]),
        lambda s: s.upsert_edges(
            [Edge.model_construct(src="a", dst="b", type="SISTER_CITY) DETACH DELETE (n", key="")]
        ),
        lambda s: s.find_nodes("x", kind="Planet"),
        lambda s: s.neighbourhood("a", types=["ENEMY_OF"]),
    ],
    ids=["node-kind", "edge-type", "edge-type-injection", "find-kind", "neighbourhood-type"],
)
def test_labels_and_types_outside_the_closed_sets_are_refused_before_sending(store, driver, forged):
    with pytest.raises(ValueError):
        forged(store)
    assert driver.calls == [] and driver.transactions == []


def test_templates_only_take_members_of_their_closed_set():
    upsert = STATEMENTS["upsert_nodes"]
    for bad in ("Planet", "City", EdgeType.SISTER_CITY, None):
        with pytest.raises(OutsideClosedSet):
            upsert.render(bad)
    with pytest.raises(OutsideClosedSet):
        STATEMENTS["upsert_edges"].render(NodeKind.CITY)
    assert "__" not in upsert.render(NodeKind.HONORARY_CITIZEN)


def test_adapter_passes_exactly_the_declared_parameters(store):
    with pytest.raises(TypeError, match="takes"):
        store._read("revision", extra=1)


def test_connect_migrates_the_schema_once(driver):
    store = Neo4jStore(driver, database=DATABASE)
    store.migrate()
    schema = [c for c in driver.direct if c.name in {n for step in SCHEMA_STEPS for n in step}]
    expected = sum(len(STATEMENTS[n].variants()) for step in SCHEMA_STEPS for n in step)
    assert len(schema) == expected == 1 + len(NodeKind) + len(EdgeType) + 8 + 1  # v5: column mappings
    assert {c.text for c in schema if c.name == "kind_id_unique"} == {
        f"CREATE CONSTRAINT {k}_id_unique IF NOT EXISTS FOR (n:{k}) REQUIRE n.id IS UNIQUE" for k in NodeKind
    }
    assert driver.direct[-1].name == "set_schema_version" and driver.direct[-1].params == {"version": len(SCHEMA_STEPS)}
    assert {c.database for c in driver.direct} == {DATABASE}

    driver.responses["schema_version"] = lambda d, p: [{"version": len(SCHEMA_STEPS)}]
    driver.direct.clear()
    store.migrate()
    assert driver.names() == ["schema_version"]


def test_a_newer_schema_is_refused(driver):
    driver.responses["schema_version"] = lambda d, p: [{"version": 99}]
    with pytest.raises(StoreError, match="Upgrade partner-graph"):
        Neo4jStore(driver).migrate()


def test_open_store_makes_one_driver_from_settings(monkeypatch):
    from graph_service.config import Settings
    from graph_service.store import neo4j as adapter

    made = []

    def fake_driver(uri, auth, **options):
        made.append((uri, auth, options))
        return RecordingDriver()

    monkeypatch.setattr(adapter.GraphDatabase, "driver", fake_driver)
    settings = Settings(neo4j_user="u", neo4j_password="p", neo4j_database="graphs")
    store = open_store("neo4j://db.example:7687", settings)
    assert isinstance(store, Neo4jStore) and store.database == "graphs"
    assert made == [("neo4j://db.example:7687", ("u", "p"), {"notifications_min_severity": "OFF"})]
    store.close()
    assert store._driver.closed


def test_stored_properties_round_trip_to_the_same_records():
    node = city(
        "a",
        "Nanning",
        name_zh="南宁",
        alt_names=["Yongzhou"],
        lat=22.8,
        lon=108.3,
        population=3_839_800,
        tags=["port"],
        attrs={"gdp_rank": 3, "motto": "绿城"},
        demo=True,
    )
    edge = Edge(src="a", dst="b", type="EXCHANGE", field="education", date="2019-05", attrs={"delegates": 12})
    assert all(not isinstance(value, dict) for value in node_properties(node).values())
    assert node_from_properties(node_properties(node)) == node
    assert edge_from_properties(edge_properties(edge)) == edge


def test_driver_failures_become_store_errors(monkeypatch):
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from graph_service.store import neo4j as adapter

    def unreachable(driver, params):
        raise ServiceUnavailable("Couldn't connect to db.example:7687")

    driver = RecordingDriver({"search_nodes": unreachable, "stored_nodes": unreachable})
    store = Neo4jStore(driver)
    with pytest.raises(StoreUnavailable, match="unavailable: Couldn't connect"):
        store.find_nodes("x")
    with pytest.raises(StoreUnavailable):
        store.upsert_nodes([city("a", "Nanning")])
    assert driver.transactions[0].outcome == "rolled back"

    refused = RecordingDriver()
    refused.verify_connectivity = lambda: (_ for _ in ()).throw(AuthError("The client is unauthorized"))
    monkeypatch.setattr(adapter.GraphDatabase, "driver", lambda uri, auth, **options: refused)
    with pytest.raises(StoreError, match="refused the request: The client is unauthorized"):
        Neo4jStore.connect("neo4j://db.example:7687", "neo4j", "wrong")
    assert refused.closed


def test_sessions_are_plain_writes_without_revision_or_audit(store, driver):
    from graph_service.store.base import SessionRecord

    driver.responses["delete_session"] = lambda d, p: [{"deleted": 1}]
    driver.responses["purge_sessions"] = lambda d, p: [{"deleted": 0}]
    record = SessionRecord(id_hash="h" * 64, key_id="k1", csrf="c", created="2026-01-01T00:00:00+00:00",
                           expires="2026-01-01T08:00:00+00:00")
    store.save_session(record)
    assert store.get_session("h" * 64) is None, "the recording driver answers no rows"
    assert store.delete_session("h" * 64) == 1
    assert store.purge_sessions("2026-01-02T00:00:00+00:00") == 0
    assert [(c.name, c.routing) for c in driver.calls] == [
        ("save_session", "w"), ("get_session", "r"), ("delete_session", "w"), ("purge_sessions", "w"),
    ]
    assert driver.calls[0].params == record.model_dump()
    assert driver.transactions == [] and store.revision() == 0


def test_a_write_that_changes_nothing_rolls_back_its_revision_bump(driver):
    stored = node_properties(city("a", "Nanning"))
    driver.responses["stored_nodes"] = lambda d, p: [{"props": stored}]
    result = Neo4jStore(driver).upsert_nodes([city("a", "Nanning")])
    assert [tx.outcome for tx in driver.transactions] == ["rolled back"]
    assert "append_audit" not in driver.names()
    assert result.unchanged == 1


def test_deleting_nothing_writes_no_audit_entry(driver):
    Neo4jStore(driver).delete_nodes(["ghost"])
    assert [tx.outcome for tx in driver.transactions] == ["rolled back"]
    assert "append_audit" not in driver.names()


def test_upsert_graph_writes_nodes_then_edges_in_one_transaction(store, driver):
    driver.responses["node_kinds"] = kinds_of(a="City", b="City")
    result = store.upsert_graph([city("a", "Nanning"), city("b", "Khon Kaen")],
                                [Edge(src="a", dst="b", type="SISTER_CITY")], actor="key:1", action="import_graph")
    (tx,) = driver.transactions
    assert tx.outcome == "committed" and result.revision == 1
    assert [c.name for c in tx.calls] == [
        "bump_revision", "stored_nodes", "upsert_nodes", "node_kinds", "stored_edges", "upsert_edges", "append_audit",
    ]
    assert tx.calls[-1].params["action"] == "import_graph"


def test_upsert_graph_with_a_wrong_kind_endpoint_rolls_back_its_nodes(store, driver):
    driver.responses["node_kinds"] = kinds_of(a="City", s="School")
    with pytest.raises(WrongEndpointKind):
        store.upsert_graph([city("a", "Nanning")], [Edge(src="a", dst="s", type="SISTER_CITY")])
    (tx,) = driver.transactions
    assert tx.outcome == "rolled back" and "upsert_nodes" in [c.name for c in tx.calls]
    assert "append_audit" not in [c.name for c in tx.calls]


def test_iter_nodes_pages_by_id_with_read_routing_until_a_page_is_empty(store, driver):
    pages = {"": ["a", "b"], "b": ["c"], "c": []}
    driver.responses["node_page"] = lambda d, p: [{"props": node_properties(city(i, i.upper()))}
                                                  for i in pages[p["after"]]]
    assert [[n.id for n in page] for page in store.iter_nodes(page=2)] == [["a", "b"], ["c"]]
    assert [(c.name, c.params, c.routing) for c in driver.calls] == [
        ("node_page", {"after": "", "limit": 2}, "r"),
        ("node_page", {"after": "b", "limit": 2}, "r"),
        ("node_page", {"after": "c", "limit": 2}, "r"),
    ]


def test_an_upgrade_runs_every_part_of_upsert_graph_in_one_transaction(store, driver):
    """The sister-city tie in, the friendly-exchange tie out, a new city: one transaction, one entry."""
    driver.responses["node_kinds"] = kinds_of(a="City", b="City", e="City")
    driver.responses["delete_edges"] = lambda d, p: [{"ids": [row["id"] for row in p["rows"]]}]
    result = store.upsert_graph([city("e", "Bundaberg", "AU")],
                                [Edge(src="a", dst="b", type="SISTER_CITY", friendly_since="2015")],
                                delete_edges=["b|FRIENDLY_EXCHANGE|a"], actor="key:k1", action="upgrade_partnership")
    assert (result.nodes.created, result.edges.created, result.edges.deleted) == (1, 1, 1)
    assert len(driver.transactions) == 1 and driver.transactions[0].outcome == "committed"
    assert driver.names() == ["bump_revision", "stored_nodes", "upsert_nodes", "node_kinds", "stored_edges",
                              "upsert_edges", "stored_edges", "delete_edges", "append_audit"]
    deletes = [c.params["rows"] for c in driver.calls if c.name == "delete_edges"]
    assert deletes == [[{"src": "a", "id": "a|FRIENDLY_EXCHANGE|b"}]]
    audit = driver.calls[-1].params
    assert (audit["action"], audit["target"]) == ("upgrade_partnership", "a|SISTER_CITY|b")
    assert '"deleted_edges":{"deleted":1,"ids":["a|FRIENDLY_EXCHANGE|b"]}' in audit["summary"]


def test_an_upsert_graph_with_a_missing_end_rolls_back_everything(store, driver):
    driver.responses["node_kinds"] = kinds_of(e="City")
    with pytest.raises(MissingNodes):
        store.upsert_graph([city("e", "Bundaberg", "AU")], [Edge(src="e", dst="x", type="SISTER_CITY")])
    assert driver.transactions[0].outcome == "rolled back"
    assert "append_audit" not in driver.names()


def test_column_mappings_go_to_their_own_nodes_outside_the_graph(driver):
    driver.responses["column_mapping"] = lambda d, p: [{"mapping": '{"城市":"partner_zh"}'}]
    store = Neo4jStore(driver, database=DATABASE)
    store.save_column_mapping("城市,国家", {"城市": "partner_zh"})
    assert store.column_mapping("城市,国家") == {"城市": "partner_zh"}
    saved, read = driver.direct
    assert (saved.name, saved.params["header"], saved.params["mapping"]) == (
        "save_column_mapping", "城市,国家", '{"城市":"partner_zh"}')
    assert ":ColumnMapping" in saved.text and ":Node" not in saved.text
    assert (read.name, read.routing, read.database) == ("column_mapping", "r", DATABASE)
    assert driver.transactions == [] and "bump_revision" not in driver.names()
