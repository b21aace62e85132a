"""Issue 11, acceptance 1: the projection kept current write by write equals a fresh rebuild.

Random sequences of writes (new cities, moves, population and country changes, ties of both tiers
with every status, tier changes, deletes of ties and of cities, located-in and region edges, exchanges,
emptying the store) go through a real SQLite store, and a few through the live Neo4j. After each write
the projection that ``projection(store)`` applied from the change feed is compared, part by part, with
one built from scratch: every index analysis reads, and the suggestions, gaps and metrics computed from it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_service.analysis import gap_report, load_strategy, metrics, projection, suggest
from graph_service.analysis.projection import Projection
from graph_service.errors import MissingNodes
from graph_service.model import Edge, EdgeType, Node
from graph_service.store.sqlite import SQLiteStore

CITY_IDS = [f"c{i}" for i in range(8)]
COUNTRY_CODES = ["CN", "TH", "VN", "JP"]
REGION_IDS = ["continent:AS", "ASEAN"]
STATUSES = [None, "proposed", "signed", "active", "dormant", "ended"]
STRATEGY = load_strategy("nanning-2012")

city_write = st.builds(
    lambda i, cc, where, pop, tags: ("city", Node(
        id=CITY_IDS[i], kind="City", name=f"City {i}", country=cc, population=pop, tags=tags,
        lat=where[0] if where else None, lon=where[1] if where else None)),
    st.integers(0, len(CITY_IDS) - 1), st.sampled_from([None, *COUNTRY_CODES]),
    st.one_of(st.none(), st.tuples(st.floats(10, 40), st.floats(95, 125))),
    st.one_of(st.none(), st.integers(0, 10_000_000)),
    st.lists(st.sampled_from(["port", "tea"]), max_size=2, unique=True))
country_write = st.builds(
    lambda cc, neighbours, continent: ("node", Node(id=cc, kind="Country", name=f"Country {cc}", continent=continent,
                                                    neighbours=[n for n in neighbours if n != cc])),
    st.sampled_from(COUNTRY_CODES), st.lists(st.sampled_from(COUNTRY_CODES), max_size=3, unique=True),
    st.sampled_from([None, "AS"]))
region_write = st.builds(lambda r: ("node", Node(id=r, kind="Region", name=r)), st.sampled_from(REGION_IDS))
pair = st.tuples(st.sampled_from(CITY_IDS), st.sampled_from(CITY_IDS)).filter(lambda p: p[0] != p[1])
tie_write = st.builds(
    lambda p, kind, status: ("edge", Edge(src=p[0], dst=p[1], type=kind, status=status)),
    pair, st.sampled_from(["SISTER_CITY", "FRIENDLY_EXCHANGE"]), st.sampled_from(STATUSES))
located_write = st.builds(lambda c, cc: ("edge", Edge(src=c, dst=cc, type="LOCATED_IN")),
                          st.sampled_from(CITY_IDS), st.sampled_from(COUNTRY_CODES))
in_region_write = st.builds(lambda cc, r: ("edge", Edge(src=cc, dst=r, type="IN_REGION")),
                            st.sampled_from(COUNTRY_CODES), st.sampled_from(REGION_IDS))
exchange_write = st.builds(lambda p, year: ("edge", Edge(src=p[0], dst=p[1], type="EXCHANGE", date=str(year),
                                                         title="visit")), pair, st.integers(2015, 2024))
delete_node = st.builds(lambda i: ("delete_node", i), st.sampled_from(CITY_IDS + COUNTRY_CODES))
delete_tie = st.builds(lambda p, kind: ("delete_edge", Edge(src=p[0], dst=p[1], type=kind).id),
                       pair, st.sampled_from(["SISTER_CITY", "FRIENDLY_EXCHANGE"]))
write = st.one_of(city_write, city_write, country_write, region_write, tie_write, tie_write, tie_write, tie_write,
                  located_write, in_region_write, exchange_write, delete_node, delete_tie, delete_tie,
                  st.just(("delete_all", None)).filter(lambda _: True))


def apply(store: SQLiteStore, op: tuple[str, object]) -> None:
    kind, item = op
    try:
        if kind in ("city", "node"):
            store.upsert_nodes([item])
        elif kind == "edge":
            store.upsert_edges([item])
        elif kind == "delete_node":
            store.delete_nodes([item])
        elif kind == "delete_edge":
            store.delete_edges([item])
        else:
            store.delete_all()
    except MissingNodes:
        pass  # an edge to a node not (or no longer) there: refused, nothing written


def same_array(a, b) -> bool:
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")


def assert_same(live: Projection, fresh: Projection) -> None:
    assert live.revision == fresh.revision
    assert sorted(live.nodes) == sorted(fresh.nodes)
    assert all(live.nodes[i] == fresh.nodes[i] and live.name(i) == fresh.name(i) for i in fresh.nodes)
    assert all(live.country_of(i) == fresh.country_of(i) for i in fresh.nodes)
    assert (live.countries.codes, live.countries.position) == (fresh.countries.codes, fresh.countries.position)
    assert live.countries.nodes == fresh.countries.nodes
    assert same_array(live.countries.borders(), fresh.countries.borders())
    assert dict(live.regions.members) == dict(fresh.regions.members)
    assert all(live.regions.regions_of(cc) == fresh.regions.regions_of(cc) for cc in fresh.countries.codes)
    assert (live.cities.ids, live.cities.position) == (fresh.cities.ids, fresh.cities.position)
    for part in ("country", "population", "lat", "lon"):
        assert same_array(getattr(live.cities, part), getattr(fresh.cities, part)), part
    assert (live.cities.by_country, live.cities.tags) == (fresh.cities.by_country, fresh.cities.tags)
    assert {a: list(ps.items()) for a, ps in live.ties.by_city.items()} == \
        {a: list(ps.items()) for a, ps in fresh.ties.by_city.items()}
    for c in fresh.cities.ids:
        assert list(live.partners(c).items()) == list(fresh.partners(c).items())
    for part in ("src", "dst", "degree"):
        assert same_array(getattr(live.ties, part), getattr(fresh.ties, part)), part
    n = len(fresh.cities)
    assert all(same_array(live.ties.adjacency[i], fresh.ties.adjacency[i]) for i in range(n))
    for ci in range(len(fresh.countries.codes)):
        assert same_array(live.ties.partner_counts_in(ci), fresh.ties.partner_counts_in(ci))
        assert same_array(live.ties.country_shares(ci, len(fresh.countries.codes)),
                          fresh.ties.country_shares(ci, len(fresh.countries.codes)))
    assert live.geo.ids == fresh.geo.ids and same_array(live.geo.lats, fresh.geo.lats)
    for i in range(n):
        for got, want in zip(live.geo.near(i, 1500), fresh.geo.near(i, 1500), strict=True):
            assert same_array(got, want)
    assert (live.links.rows, live.links.out, live.links.into) == (fresh.links.rows, fresh.links.out, fresh.links.into)
    assert all(live.out_edges(i) == fresh.out_edges(i) and live.in_edges(i) == fresh.in_edges(i) for i in fresh.nodes)
    assert sorted(live.exchanges(), key=repr) == sorted(fresh.exchanges(), key=repr)
    assert sorted(live.graph.edges(keys=True)) == sorted(fresh.graph.edges(keys=True))


def assert_same_results(live: Projection, fresh: Projection) -> None:
    for c in fresh.cities.ids:
        assert suggest(live, c, strategy=STRATEGY) == suggest(fresh, c, strategy=STRATEGY)
        assert gap_report(live, c, strategy=STRATEGY) == gap_report(fresh, c, strategy=STRATEGY)
    assert metrics(live) == metrics(fresh)


def check_writes(store, ops) -> None:
    """Seed ``store`` (empty), apply ``ops`` one by one, and compare the projection kept current with a
    fresh rebuild after each."""
    store.upsert_nodes([Node(id=cc, kind="Country", name=cc, continent="AS") for cc in COUNTRY_CODES])
    store.upsert_nodes([Node(id=r, kind="Region", name=r) for r in REGION_IDS])
    store.upsert_nodes([Node(id=c, kind="City", name=c.upper(), country=COUNTRY_CODES[i % 4], lat=20.0 + i,
                             lon=100.0 + i) for i, c in enumerate(CITY_IDS)])
    before = projection(store)
    for op in ops:
        apply(store, op)
        live = projection(store)
        assert live.revision == store.revision()
        assert live is before or live.revision > before.revision
        fresh = Projection.from_store(store)
        assert_same(live, fresh)
        city = CITY_IDS[len(before.nodes) % len(CITY_IDS)]  # memoised parts carried over must still hold
        if city in fresh.cities.position:
            assert suggest(live, city, strategy=STRATEGY) == suggest(fresh, city, strategy=STRATEGY)
            assert gap_report(live, city, strategy=STRATEGY) == gap_report(fresh, city, strategy=STRATEGY)
        before = live
    assert_same_results(before, Projection.from_store(store))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(write, min_size=1, max_size=30))
def test_applied_writes_equal_a_fresh_rebuild(ops):
    store = SQLiteStore(":memory:")
    try:
        check_writes(store, ops)
    finally:
        store.close()


@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(write, min_size=1, max_size=15))
def test_on_neo4j_applied_writes_equal_a_fresh_rebuild(neo4j_server, ops):
    """The same on the live Neo4j: its change feed (``:Change`` records) gives what SQLite's does. A
    store of its own per example, so no projection cached for an earlier database state is reused."""
    store = neo4j_server.connect()
    try:
        store.wipe_for_tests()
        check_writes(store, ops)
    finally:
        store.close()


def test_a_write_is_applied_not_rebuilt(monkeypatch):
    store = SQLiteStore(":memory:")
    store.upsert_nodes([Node(id="a", kind="City", name="A", country="CN"), Node(id="b", kind="City", name="B")])
    first = projection(store)
    monkeypatch.setattr(Projection, "from_store", classmethod(lambda cls, s: pytest.fail("rebuilt")))
    store.upsert_edges([Edge(src="a", dst="b", type=EdgeType.SISTER_CITY)])
    second = projection(store)
    assert set(second.partners("a")) == {"b"} and first.partners("a") == {}
    assert second.nodes is first.nodes and second.geo is first.geo  # no node changed, nothing moved: both kept


class WithoutFeed:
    """A store that cannot say what changed (any GraphStore without a change feed): only the GraphStore port."""

    def __init__(self, store: SQLiteStore):
        self._store = store

    def __getattr__(self, name: str):
        if name in ("changes_since", "snapshot_rows"):
            raise AttributeError(name)
        return getattr(self._store, name)


def test_without_a_change_feed_the_previous_revision_serves_while_a_rebuild_runs():
    import time

    store = WithoutFeed(SQLiteStore(":memory:"))
    store.upsert_nodes([Node(id="a", kind="City", name="A"), Node(id="b", kind="City", name="B")])
    first = projection(store)
    store.upsert_edges([Edge(src="a", dst="b", type=EdgeType.SISTER_CITY)])
    assert projection(store) is first  # not waited for: the rebuild runs in the background
    deadline = time.monotonic() + 30
    while projection(store).revision != store.revision() and time.monotonic() < deadline:
        time.sleep(0.01)
    rebuilt = projection(store)
    assert rebuilt.revision == store.revision() and set(rebuilt.partners("a")) == {"b"}
