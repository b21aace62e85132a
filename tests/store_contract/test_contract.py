"""The GraphStore contract, run against every adapter (see conftest)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph_service.errors import InvalidInput, MissingNodes, WrongEndpointKind
from graph_service.model import Edge, EdgeType, Node, NodeKind


def city(id_: str, name: str, country: str = "CN", **extra) -> Node:
    return Node(id=id_, kind=NodeKind.CITY, name=name, country=country, **extra)


def sister(a: str, b: str, **extra) -> Edge:
    return Edge(src=a, dst=b, type=EdgeType.SISTER_CITY, **extra)


@pytest.fixture
def chain(store):
    """a — b — c — d, a path of sister cities, plus a school located in a."""
    store.upsert_nodes([
        city("a", "Nanning", name_zh="南宁"),
        city("b", "Khon Kaen", "TH"),
        city("c", "Udon Thani", "TH"),
        city("d", "Vientiane", "LA"),
        Node(id="s1", kind=NodeKind.SCHOOL, name="Nanning No. 2 Middle School"),
    ])
    store.upsert_edges([sister("a", "b"), sister("c", "b"), sister("c", "d"),
                        Edge(src="s1", dst="a", type=EdgeType.LOCATED_IN)])
    return store


def test_upsert_is_idempotent(store):
    nodes = [city("a", "Nanning"), city("b", "Khon Kaen", "TH")]
    first = store.upsert_nodes(nodes)
    second = store.upsert_nodes(nodes)
    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    store.upsert_edges([sister("a", "b", status="active")])
    again = store.upsert_edges([sister("a", "b", status="active")])
    assert (again.created, again.unchanged) == (0, 1)
    assert store.counts() == {"nodes": {"City": 2}, "edges": {"SISTER_CITY": 1}}


def test_upsert_replaces_changed_properties(store):
    store.upsert_nodes([city("a", "Nanning")])
    result = store.upsert_nodes([city("a", "Nanning", population=3_839_800)])
    assert result.updated == 1
    assert store.get_node("a").population == 3_839_800


def test_symmetric_edges_dedupe(store):
    store.upsert_nodes([city("a", "Nanning"), city("b", "Khon Kaen", "TH")])
    store.upsert_edges([sister("b", "a", status="signed")])
    result = store.upsert_edges([sister("a", "b", status="signed")])
    assert result.unchanged == 1
    snap = store.snapshot()
    assert [(e.src, e.dst, e.type) for e in snap.edges] == [("a", "b", EdgeType.SISTER_CITY)]


def test_directed_edges_keep_direction(store):
    store.upsert_nodes([city("a", "Nanning"), Node(id="co", kind=NodeKind.CONSULATE, name="Consulate of Viet Nam"),
                        Node(id="VN", kind=NodeKind.COUNTRY, name="Vietnam")])
    store.upsert_edges([Edge(src="co", dst="a", type=EdgeType.LOCATED_IN),
                        Edge(src="co", dst="VN", type=EdgeType.REPRESENTS)])
    assert {(e.src, e.dst) for e in store.snapshot().edges} == {("co", "a"), ("co", "VN")}


def test_find_by_text_any_language(chain):
    assert [n.id for n in chain.find_nodes("南宁")] == ["a"]
    assert [n.id for n in chain.find_nodes("nanning", kind=NodeKind.CITY)] == ["a"]
    assert chain.find_nodes("NANNING")[0].id == "a"
    assert {n.id for n in chain.find_nodes("thani")} == {"c"}
    assert {n.id for n in chain.find_nodes(country="TH")} == {"b", "c"}
    assert chain.find_nodes("no such place") == []


def test_find_paginates(chain):
    everything = [n.id for n in chain.find_nodes(kind=NodeKind.CITY, limit=100)]
    pages = [n.id for offset in range(0, 4, 2) for n in chain.find_nodes(kind=NodeKind.CITY, limit=2, offset=offset)]
    assert sorted(pages) == sorted(everything) and len(everything) == 4


def test_neighbourhood_depth_one_and_two(chain):
    one = chain.neighbourhood("a", depth=1)
    assert {n.id for n in one.nodes} == {"a", "b", "s1"}
    assert {e.id for e in one.edges} == {"a|SISTER_CITY|b", "s1|LOCATED_IN|a"}
    two = chain.neighbourhood("a", depth=2, types=[EdgeType.SISTER_CITY])
    assert {n.id for n in two.nodes} == {"a", "b", "c"}
    assert {e.id for e in two.edges} == {"a|SISTER_CITY|b", "b|SISTER_CITY|c"}
    assert chain.neighbourhood("nowhere").nodes == []


def test_delete_cascades_to_edges(chain):
    assert chain.delete_nodes(["b"]) == 1
    assert chain.get_node("b") is None
    assert {e.id for e in chain.snapshot().edges} == {"c|SISTER_CITY|d", "s1|LOCATED_IN|a"}
    assert chain.delete_edges(["c|SISTER_CITY|d", "not-an-edge"]) == 1
    assert chain.counts()["edges"] == {"LOCATED_IN": 1}


def test_get_edge_finds_a_symmetric_edge_by_either_order(chain):
    edge = chain.get_edge("b|SISTER_CITY|a")
    assert edge is not None and (edge.src, edge.dst, edge.type) == ("a", "b", EdgeType.SISTER_CITY)
    assert chain.get_edge("a|SISTER_CITY|b") == edge
    assert chain.get_edge("s1|LOCATED_IN|a").type is EdgeType.LOCATED_IN
    assert chain.get_edge("a|LOCATED_IN|s1") is None, "a directed edge is found in its own direction only"
    assert chain.get_edge("a|SISTER_CITY|d") is None
    with pytest.raises(InvalidInput):
        chain.get_edge("a|NOT_A_TYPE|b")


def test_list_edges_pages_by_id_and_filters_by_node_and_type(chain):
    every = [e.id for e in chain.list_edges(limit=100)]
    assert every == sorted(every) and len(every) == 4
    assert [e.id for e in chain.list_edges(limit=2)] + [e.id for e in chain.list_edges(limit=2, offset=2)] == every
    assert [e.id for e in chain.list_edges(node="a")] == ["a|SISTER_CITY|b", "s1|LOCATED_IN|a"]
    assert [e.id for e in chain.list_edges(node="c", type=EdgeType.SISTER_CITY)] == [
        "b|SISTER_CITY|c",
        "c|SISTER_CITY|d",
    ]
    assert [e.id for e in chain.list_edges(type=EdgeType.LOCATED_IN)] == ["s1|LOCATED_IN|a"]
    assert chain.list_edges(node="nowhere") == []


def test_delete_all_empties_the_graph_but_keeps_the_audit_log(chain):
    audited = len(chain.read_audit(limit=1000))
    assert chain.delete_all(actor="test") == 5
    assert chain.counts() == {"nodes": {}, "edges": {}}
    entries = chain.read_audit(limit=1000)
    assert len(entries) == audited + 1 and (entries[0].action, entries[0].actor) == ("delete_all", "test")


def test_revision_grows_on_every_write_and_never_on_reads(chain):
    before = chain.revision()
    chain.get_node("a")
    chain.find_nodes("nan")
    chain.neighbourhood("a", 2)
    chain.snapshot()
    chain.counts()
    chain.read_audit()
    chain.get_nodes(["a", "b"])
    chain.api_keys()
    assert chain.revision() == before
    seen = [before]
    chain.upsert_nodes([city("e", "Hanoi", "VN")])
    seen.append(chain.revision())
    chain.upsert_edges([sister("a", "e")])
    seen.append(chain.revision())
    chain.delete_edges(["a|SISTER_CITY|e"])
    seen.append(chain.revision())
    chain.delete_nodes(["e"])
    seen.append(chain.revision())
    chain.append_audit("k1", "note", "graph", {"why": "test"})
    seen.append(chain.revision())
    assert seen == sorted(set(seen)), seen


def test_audit_log_records_each_write(store):
    store.upsert_nodes([city("a", "Nanning"), city("b", "Khon Kaen", "TH")], actor="key-1")
    store.upsert_edges([sister("a", "b")], actor="key-2")
    store.delete_edges(["a|SISTER_CITY|b"], actor="key-3")
    store.delete_nodes(["b"], actor="key-4")
    entries = store.read_audit(limit=10)
    assert [(e.actor, e.action) for e in entries] == [
        ("key-4", "delete_nodes"),
        ("key-3", "delete_edges"),
        ("key-2", "upsert_edges"),
        ("key-1", "upsert_nodes"),
    ]
    assert entries[-1].summary["created"] == 2 and entries[-1].summary["ids"] == ["a", "b"]
    assert entries[0].revision == store.revision()
    assert [e.seq for e in store.read_audit(limit=2, offset=2)] == [entries[2].seq, entries[3].seq]


def test_edge_to_missing_node_writes_nothing(store):
    store.upsert_nodes([city("a", "Nanning")])
    revision = store.revision()
    with pytest.raises(MissingNodes, match="ghost"):
        store.upsert_edges([sister("a", "ghost")])
    assert store.counts()["edges"] == {}
    assert store.revision() == revision


def test_edge_between_wrong_kinds_writes_nothing(store):
    store.upsert_nodes([city("a", "Nanning"), Node(id="s", kind=NodeKind.SCHOOL, name="School")])
    with pytest.raises(WrongEndpointKind):
        store.upsert_edges([sister("a", "s")])
    assert store.counts()["edges"] == {}


def test_batch_with_one_bad_edge_writes_none(store):
    store.upsert_nodes([city("a", "Nanning"), city("b", "Khon Kaen", "TH")])
    with pytest.raises(MissingNodes):
        store.upsert_edges([sister("a", "b"), sister("a", "ghost")])
    assert store.counts()["edges"] == {}


INJECTIONS = [
    "'; DROP TABLE node;--",
    "'; DROP TABLE nodes;--",
    "})-[:X]->() DETACH DELETE n //",
    "Robert'); MATCH (n) DETACH DELETE n; //",
    "名字 \" ' ` \\ $param {x}",
]


def test_partial_own_names_rank_before_partial_alternate_names(store):
    store.upsert_nodes([
        city("hcm", "Ho Chi Minh City", "VN", population=14_000_000),
        city("d1", "District 1 (Ho Chi Minh City)", "VN"),
        city("hz", "Hezhou", name_zh="贺州", alt_names=["Ho-chiu Chhi"], population=1_000_000),
        city("by", "Baiyin", name_zh="白银", alt_names=["Aho Chia Chuan"], population=300_000),
    ])
    assert [n.id for n in store.find_nodes("ho chi")] == ["hcm", "d1", "hz", "by"]


@pytest.mark.parametrize("name", INJECTIONS)
def test_injection_strings_are_stored_verbatim(store, name):
    store.upsert_nodes([city("a", name, notes=name, alt_names=[name])])
    store.upsert_nodes([city("b", "Khon Kaen", "TH")])
    store.upsert_edges([sister("a", "b", notes=name)])
    assert store.get_node("a").name == name
    assert store.get_node("a").alt_names == [name]
    assert store.snapshot().edges[0].notes == name
    assert store.counts() == {"nodes": {"City": 2}, "edges": {"SISTER_CITY": 1}}
    assert [n.id for n in store.find_nodes(name)] == ["a"]


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "Planet"},
        {"lat": 91, "lon": 0},
        {"country": "XX1"},
        {"id": ""},
        {"name": "Nan\x00ning"},
        {"name": "Nan\x1bning"},
        {"notes": "x" * (10 * 1024 * 1024)},
    ],
    ids=["unknown-kind", "lat-91", "country-XX1", "empty-id", "nul", "escape", "10MB"],
)
def test_bad_nodes_never_reach_the_store(store, bad):
    record = {"id": "a", "kind": "City", "name": "Nanning", "country": "CN"} | bad
    with pytest.raises(ValidationError):
        store.upsert_nodes([Node.model_validate(record)])
    assert store.counts()["nodes"] == {} and store.revision() == 0


def test_unknown_edge_type_is_refused(store):
    with pytest.raises(ValidationError):
        Edge.model_validate({"src": "a", "dst": "b", "type": "ENEMY_OF"})
    store.upsert_nodes([city("a", "Nanning"), city("b", "Khon Kaen", "TH")])
    forged = Edge.model_construct(src="a", dst="b", type="ENEMY_OF", key="")
    with pytest.raises(ValueError, match="unknown edge type"):
        store.upsert_edges([forged])
    assert store.counts()["edges"] == {}


def test_forged_node_kind_is_refused(store):
    forged = Node.model_construct(id="a", kind="Planet", name="X")
    with pytest.raises(ValueError, match="unknown node kind"):
        store.upsert_nodes([forged])
    assert store.counts()["nodes"] == {}


def session(id_hash: str, key_id: str = "k1", expires: str = "2030-01-01T00:00:00+00:00"):
    from graph_service.store.base import SessionRecord

    return SessionRecord(id_hash=id_hash, key_id=key_id, csrf=f"csrf-{id_hash}", created="2026-01-01T00:00:00+00:00",
                         expires=expires)


def test_sessions_are_saved_found_ended_and_purged_without_a_revision(store):
    store.save_session(session("a" * 64))
    store.save_session(session("b" * 64, "k2", expires="2026-01-01T01:00:00+00:00"))
    assert store.get_session("a" * 64) == session("a" * 64)
    assert store.get_session("c" * 64) is None
    store.save_session(session("a" * 64, "k3"))
    assert store.get_session("a" * 64).key_id == "k3", "saving again replaces"
    assert store.purge_sessions("2026-06-01T00:00:00+00:00") == 1
    assert store.get_session("b" * 64) is None and store.get_session("a" * 64) is not None
    assert store.delete_session("a" * 64) == 1
    assert store.delete_session("a" * 64) == 0
    assert store.get_session("a" * 64) is None
    assert store.revision() == 0 and store.read_audit() == []


def _state(store) -> tuple[int, list]:
    return store.revision(), [(e.seq, e.action) for e in store.read_audit()]


def test_a_write_that_changes_nothing_leaves_revision_and_audit_alone(chain):
    before = _state(chain)
    same_node = chain.upsert_nodes([city("a", "Nanning", name_zh="南宁")])
    same_edge = chain.upsert_edges([sister("b", "a")])
    assert (same_node.unchanged, same_node.revision) == (1, before[0])
    assert (same_edge.unchanged, same_edge.revision) == (1, before[0])
    assert chain.delete_nodes(["no-such-node"]) == 0
    assert chain.delete_edges(["a|SISTER_CITY|d"]) == 0
    assert _state(chain) == before


def test_a_write_that_changes_something_bumps_once_and_audits_once(chain):
    revision, audit = _state(chain)
    result = chain.upsert_nodes([city("a", "Nanning", name_zh="南宁"), city("e", "Hanoi", "VN")])
    assert (result.created, result.unchanged, result.revision) == (1, 1, revision + 1)
    after, entries = _state(chain)
    assert after == revision + 1 and entries[1:] == audit and entries[0][1] == "upsert_nodes"


def test_delete_all_of_an_empty_store_is_no_write(store):
    assert store.delete_all() == 0
    assert _state(store) == (0, [])


def test_saving_the_same_key_record_twice_is_one_write(store):
    from graph_service.store.base import ApiKeyRecord

    record = ApiKeyRecord(id="k1", hash="ab" * 32, role="viewer", created="2025-01-01T00:00:00+00:00")
    store.save_api_key(record)
    state = _state(store)
    store.save_api_key(record)
    assert _state(store) == state
    store.save_api_key(record.model_copy(update={"revoked": True}))
    assert store.revision() == state[0] + 1


def test_upsert_graph_writes_nodes_and_the_edges_among_them_in_one_write(store):
    result = store.upsert_graph([city("a", "Nanning"), city("b", "Khon Kaen", "TH")], [sister("a", "b")],
                                actor="key:t", action="import_graph")
    assert (result.nodes.created, result.edges.created, result.revision) == (2, 1, 1)
    assert store.counts() == {"nodes": {"City": 2}, "edges": {"SISTER_CITY": 1}}
    (entry,) = store.read_audit()
    assert (entry.action, entry.revision) == ("import_graph", 1)
    assert entry.summary["nodes"]["created"] == 2 and entry.summary["edges"]["ids"] == ["a|SISTER_CITY|b"]
    again = store.upsert_graph([city("a", "Nanning")], [sister("b", "a")])
    assert (again.nodes.unchanged, again.edges.unchanged) == (1, 1)


@pytest.mark.parametrize(
    "bad_edges",
    [
        [Edge(src="a", dst="s1", type=EdgeType.SISTER_CITY)],
        [Edge(src="a", dst="ghost", type=EdgeType.SISTER_CITY)],
        [Edge(src="a", dst="b", type=EdgeType.SISTER_CITY), Edge(src="a", dst="b", type=EdgeType.IN_REGION)],
    ],
    ids=["wrong-kind-endpoint", "missing-endpoint", "second-edge-wrong-kind"],
)
def test_a_failing_upsert_graph_writes_nothing(store, bad_edges):
    store.upsert_nodes([Node(id="s1", kind=NodeKind.SCHOOL, name="No. 2 Middle School")])
    before = (store.counts(), store.revision(), len(store.read_audit()))
    with pytest.raises((MissingNodes, WrongEndpointKind)):
        store.upsert_graph([city("a", "Nanning"), city("b", "Khon Kaen", "TH")], bad_edges)
    assert (store.counts(), store.revision(), len(store.read_audit())) == before
    assert store.get_node("a") is None, "the valid node of the failed write is not stored"


def test_a_kind_conflict_in_upsert_graph_writes_nothing(store):
    from graph_service.errors import KindConflict

    store.upsert_nodes([city("a", "Nanning")])
    with pytest.raises(KindConflict):
        store.upsert_graph([city("b", "Khon Kaen", "TH"), Node(id="a", kind=NodeKind.SCHOOL, name="A")], [])
    assert store.get_node("b") is None and store.revision() == 1


def test_audit_entries_carry_before_and_after_of_changed_fields(store):
    store.upsert_nodes([city("a", "Nanning", population=1), city("b", "Khon Kaen", "TH")])
    created = store.read_audit(limit=1)[0].summary["changes"]
    assert created["a"]["name"] == {"before": None, "after": "Nanning"}
    store.upsert_nodes([city("a", "Nanning", population=3_839_800), city("b", "Khon Kaen", "TH")])
    assert store.read_audit(limit=1)[0].summary["changes"] == {
        "a": {"population": {"before": 1, "after": 3_839_800}},
    }
    store.upsert_edges([sister("a", "b", status="active")])
    store.upsert_edges([sister("a", "b", status="ended", since="2012")])
    assert store.read_audit(limit=1)[0].summary["changes"] == {
        "a|SISTER_CITY|b": {"since": {"before": None, "after": "2012"},
                            "status": {"before": "active", "after": "ended"}},
    }
    store.delete_edges(["a|SISTER_CITY|b"])
    gone = store.read_audit(limit=1)[0].summary["changes"]["a|SISTER_CITY|b"]
    assert gone["status"] == {"before": "ended", "after": None}
    store.delete_nodes(["b"])
    assert store.read_audit(limit=1)[0].summary["changes"]["b"]["country"] == {"before": "TH", "after": None}


def test_bulk_audit_entries_list_at_most_twenty_records(store):
    store.upsert_nodes([city(f"c{i:03}", f"City {i}") for i in range(100)])
    entry = store.read_audit(limit=1)[0]
    assert entry.summary["created"] == 100 and len(entry.summary["changes"]) == 20


def test_iter_nodes_and_edges_page_through_everything_in_id_order(chain):
    pages = list(chain.iter_nodes(page=2))
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [n.id for p in pages for n in p] == ["a", "b", "c", "d", "s1"]
    edges = [e.id for p in chain.iter_edges(page=3) for e in p]
    assert edges == sorted(e.id for e in chain.snapshot().edges) and len(edges) == 4


# -- combined writes, lifecycle fields, remembered column mappings (issue 10) ----------------------
def test_a_combined_write_is_one_audited_transaction(chain):
    """An upgrade: the friendly-exchange tie out and the sister-city tie in, with a new city, at once."""
    chain.upsert_edges([Edge(src="a", dst="d", type=EdgeType.FRIENDLY_EXCHANGE, since="2015")])
    revision = chain.revision()
    result = chain.upsert_graph(
        [city("e", "Bundaberg", "AU")],
        [sister("a", "d", since="2021-05-01", friendly_since="2015"), sister("a", "e")],
        delete_edges=["d|FRIENDLY_EXCHANGE|a"], actor="key:k1", action="upgrade_partnership",
    )
    assert (result.nodes.created, result.edges.created, result.edges.deleted) == (1, 2, 1)
    assert result.revision == revision + 1
    assert chain.revision() == revision + 1
    assert chain.get_edge("a|FRIENDLY_EXCHANGE|d") is None
    upgraded = chain.get_edge("a|SISTER_CITY|d")
    assert (upgraded.since, upgraded.friendly_since) == ("2021-05-01", "2015")
    entry = chain.read_audit(limit=1)[0]
    assert (entry.actor, entry.action, entry.summary["deleted_edges"]) == (
        "key:k1", "upgrade_partnership", {"deleted": 1, "ids": ["a|FRIENDLY_EXCHANGE|d"]})
    assert entry.summary["nodes"]["ids"] == ["e"] and entry.summary["edges"]["created"] == 2
    assert entry.summary["changes"]["a|FRIENDLY_EXCHANGE|d"]["since"] == {"before": "2015", "after": None}


def test_a_combined_write_with_one_bad_part_writes_nothing(chain):
    before, revision = chain.snapshot(), chain.revision()
    with pytest.raises(MissingNodes):
        chain.upsert_graph([city("e", "Bundaberg", "AU")], [sister("e", "ghost")], delete_edges=["a|SISTER_CITY|b"])
    with pytest.raises(WrongEndpointKind):
        chain.upsert_graph([city("e", "Bundaberg", "AU")], [Edge(src="e", dst="s1", type=EdgeType.SISTER_CITY)],
                           delete_edges=["a|SISTER_CITY|b"])
    with pytest.raises(InvalidInput):
        chain.upsert_graph([city("e", "Bundaberg", "AU")], [], delete_edges=["not an edge id"])
    assert chain.snapshot() == before and chain.revision() == revision


def test_a_combined_write_deletes_nodes_with_their_edges(chain):
    result = chain.upsert_graph([], [], delete_nodes=["s1"], action="delete_institution")
    assert result.nodes.deleted == 1 and chain.get_node("s1") is None
    entry = chain.read_audit(limit=1)[0]
    assert (entry.action, entry.target, entry.summary["deleted_nodes"]) == (
        "delete_institution", "s1", {"deleted": 1, "ids": ["s1"]})
    assert chain.list_edges(node="a", type=EdgeType.LOCATED_IN) == []


def test_lifecycle_and_exchange_fields_round_trip(chain):
    tie = Edge(src="a", dst="b", type=EdgeType.FRIENDLY_EXCHANGE, status="signed", proposed_on="2019-03",
               negotiating_on="2019-10-02", since="2020-01-15", approved_on="2020-06", notes="MoU",
               source="office files")
    trip = Edge(src="a", dst="b", type=EdgeType.EXCHANGE, field="education", date="2023-05-10", title="Teachers",
                direction="outbound", participants=12, head_of_delegation="Li Wei (李伟)", outcome="MoU on exchange")
    chain.upsert_edges([tie, trip])
    assert chain.get_edge(tie.id) == tie and chain.get_edge(trip.id) == trip


def test_column_mappings_are_remembered_per_header_and_leave_the_graph_alone(store):
    revision = store.revision()
    assert store.column_mapping("城市,国家") is None
    store.save_column_mapping("城市,国家", {"城市": "partner_zh", "国家": "partner_country"})
    store.save_column_mapping("a,b", {"a": "home_en"})
    store.save_column_mapping("城市,国家", {"城市": "partner_en", "国家": "partner_country"})
    assert store.column_mapping("城市,国家") == {"城市": "partner_en", "国家": "partner_country"}
    assert store.column_mapping("a,b") == {"a": "home_en"}
    assert store.revision() == revision and store.counts() == {"nodes": {}, "edges": {}}


def test_a_combined_write_that_changes_nothing_is_no_write(chain):
    before = (chain.revision(), len(chain.read_audit(limit=1000)))
    result = chain.upsert_graph([city("a", "Nanning", name_zh="南宁")], [sister("b", "a")],
                                delete_edges=["a|FRIENDLY_EXCHANGE|b"], delete_nodes=["no-such-node"])
    assert (result.nodes.unchanged, result.edges.unchanged, result.revision) == (1, 1, before[0])
    assert (result.nodes.deleted, result.edges.deleted) == (0, 0)
    assert (chain.revision(), len(chain.read_audit(limit=1000))) == before
