"""The change feed (``ChangeFeed``: ``snapshot_rows`` and ``changes_since``) on every adapter: what the
analysis projection reads to apply each write instead of rebuilding. Both adapters must name the same
touched rows in the same form, so one projection code path serves both."""

from __future__ import annotations

import json

import pytest

from graph_service.analysis.projection import Projection, snapshot_rows
from graph_service.model import Edge, EdgeType, Node
from graph_service.store.base import ApiKeyRecord, ChangeFeed

from .test_contract import city, sister


@pytest.fixture
def cities(store):
    store.upsert_nodes([
        city("nn", "Nanning", name_zh="南宁", population=8_000_000, alt_names=["邕"], attrs={"since": 1958}),
        city("tk", "Tokyo", "JP", name_zh="东京", alt_names=["東京"]),
        city("ss", "Busan", "KR", alt_names=["부산"], lat=35.1, lon=129.0),
    ])
    return store


def test_both_adapters_have_a_change_feed(store):
    assert isinstance(store, ChangeFeed)


def test_snapshot_rows_are_the_stored_records_in_id_order(cities):
    cities.upsert_edges([sister("nn", "tk", status="active", since="1990"), sister("nn", "ss")])
    rows = cities.snapshot_rows()
    assert rows.revision == cities.revision() == 2
    assert [r[:2] for r in rows.nodes] == [("nn", "City"), ("ss", "City"), ("tk", "City")]
    assert json.loads(rows.nodes[0][2]) == cities.get_node("nn").props()  # no search keys, attrs a map
    assert [r[:4] for r in rows.edges] == [("nn|SISTER_CITY|ss", "nn", "ss", "SISTER_CITY"),
                                           ("nn|SISTER_CITY|tk", "nn", "tk", "SISTER_CITY")]
    assert json.loads(rows.edges[1][4]) == cities.get_edge("nn|SISTER_CITY|tk").props()


def test_change_feed_names_every_touched_row(cities):
    start = cities.revision()
    cities.upsert_edges([sister("nn", "tk"), sister("nn", "ss")])
    cities.upsert_nodes([city("hn", "Hanoi", "VN")])
    cities.delete_nodes(["tk"])
    change = cities.changes_since(start)
    assert change.revision == start + 3 and not change.reset
    assert set(change.nodes) == {"hn", "tk"} and change.nodes["tk"] is None
    assert change.nodes["hn"][:2] == ("hn", "City")
    assert set(change.edges) == {"nn|SISTER_CITY|tk", "nn|SISTER_CITY|ss"}
    assert change.edges["nn|SISTER_CITY|tk"] is None, "taken with its node"
    assert change.edges["nn|SISTER_CITY|ss"][:4] == ("nn|SISTER_CITY|ss", "nn", "ss", "SISTER_CITY")
    assert cities.changes_since(cities.revision()).nodes == {}


def test_changed_rows_are_the_rows_a_snapshot_gives(cities):
    start = cities.revision()
    cities.upsert_nodes([city("nn", "Nanning", name_zh="南宁", population=8_900_000, attrs={"since": 1958})])
    cities.upsert_edges([sister("nn", "tk", status="signed")])
    change = cities.changes_since(start)
    rows = cities.snapshot_rows()
    assert change.nodes["nn"] == next(r for r in rows.nodes if r[0] == "nn")
    assert change.edges["nn|SISTER_CITY|tk"] == next(r for r in rows.edges if r[0] == "nn|SISTER_CITY|tk")


def test_an_edge_delete_and_a_write_that_changes_nothing(cities):
    cities.upsert_edges([sister("nn", "tk")])
    start = cities.revision()
    cities.upsert_edges([sister("nn", "tk")])  # no-op: no revision, no record
    assert cities.revision() == start
    assert cities.delete_edges(["tk|SISTER_CITY|nn", "nn|SISTER_CITY|nowhere"]) == 1
    change = cities.changes_since(start)
    assert (change.revision, change.nodes, change.edges) == (start + 1, {}, {"nn|SISTER_CITY|tk": None})


def test_writes_outside_the_graph_keep_the_feed_whole(cities):
    start = cities.revision()
    cities.save_api_key(ApiKeyRecord(id="k1", hash="h" * 64, role="editor", created="2026-01-01T00:00:00+00:00"))
    cities.append_audit("local", "note", "graph", {"why": "test"})
    cities.upsert_nodes([city("bj", "Beijing")])
    change = cities.changes_since(start)
    assert change.revision == start + 3 and set(change.nodes) == {"bj"} and change.edges == {}


def test_change_feed_reports_a_reset_and_its_limits(cities, monkeypatch):
    start = cities.revision()
    cities.delete_all()
    cities.upsert_nodes([city("x", "Xian")])
    change = cities.changes_since(start)
    assert change.reset and set(change.nodes) == {"x"}
    monkeypatch.setattr(f"{type(cities).__module__}.CHANGES_KEPT", 1)
    cities.upsert_nodes([city("y", "Yan'an")])
    assert cities.changes_since(start) is None, "the feed no longer reaches back: the reader rebuilds"
    assert set(cities.changes_since(cities.revision() - 1).nodes) == {"y"}
    assert cities.changes_since(cities.revision() + 5) is None, "a revision the store never had"


def test_a_projection_applied_from_the_feed_equals_a_rebuild(cities):
    before = Projection.from_rows(snapshot_rows(cities))
    cities.upsert_nodes([city("hn", "Hanoi", "VN", lat=21.0, lon=105.8),
                         Node(id="VN", kind="Country", name="Viet Nam")])
    cities.upsert_edges([sister("nn", "hn", status="active"), sister("tk", "ss"),
                         Edge(src="hn", dst="VN", type=EdgeType.LOCATED_IN)])
    cities.delete_nodes(["ss"])
    applied = before.applied(cities.changes_since(before.revision))
    fresh = Projection.from_rows(snapshot_rows(cities))
    assert applied.revision == fresh.revision == cities.revision()
    assert applied.cities.ids == fresh.cities.ids == ["hn", "nn", "tk"]
    assert set(applied.partners("nn")) == set(fresh.partners("nn")) == {"hn"}
    assert applied.partners("tk") == fresh.partners("tk") == {}
    assert applied.country_of("hn") == fresh.country_of("hn") == "VN"
    assert dict(applied.links.rows) == dict(fresh.links.rows)
