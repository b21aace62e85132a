import numpy as np

from graph_service.analysis import projection
from graph_service.analysis.geo import GeoIndex
from graph_service.geodesy import haversine_km
from graph_service.model import Node


def test_projection_is_cached_until_a_write(world):
    first = projection(world)
    assert projection(world) is first
    world.upsert_nodes([Node(id="new", kind="City", name="Newtown", country="FR", lat=1.0, lon=2.0)])
    second = projection(world)
    assert second is not first
    assert "new" in second.graph and "new" not in first.graph
    assert second.revision == world.revision()


def test_projection_holds_every_node_and_edge(world):
    proj = projection(world)
    snap = world.snapshot()
    assert proj.graph.number_of_nodes() == len(snap.nodes)
    assert proj.graph.number_of_edges() == len(snap.edges)
    # a symmetric tie is one edge, stored under its id in the id's order (the store sorts its ends)
    assert proj.graph.has_edge("kk", "nn", key="kk|SISTER_CITY|nn")
    assert not proj.graph.has_edge("nn", "kk")


def test_partners_leave_out_ended_ties_unless_asked(world):
    proj = projection(world)
    assert set(proj.partners("nn")) == {"kk", "hp"}
    assert set(proj.partners("nn", include_ended=True)) == {"kk", "hp", "mn"}


def test_geo_index_covers_cities_with_coordinates_only(world):
    proj = projection(world)
    assert "nocoord" not in proj.geo.position and "nn" in proj.geo.position
    near = dict(proj.geo.within(16.45, 102.83, 200))
    assert set(near) == {"kk", "ud", "vte"}
    assert 100 < near["ud"] < 115


def test_haversine_known_distance():
    # Paris to London is about 344 km.
    d = haversine_km(48.8566, 2.3522, np.array([51.5074]), np.array([-0.1278]))[0]
    assert 340 < d < 348
    index = GeoIndex(["a", "b", "c"], [0, 0, 0], [0, 1, 2])
    assert [i for i, _ in index.nearest(0, 1.9, k=2)] == ["c", "b"]


def test_concurrent_suggestions_share_one_projection(world):
    from concurrent.futures import ThreadPoolExecutor

    from graph_service.analysis import suggest

    proj = projection(world)
    expected = [s.id for s in suggest(projection(world), "nn").suggestions]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: [s.id for s in suggest(projection(world), "nn").suggestions], range(32)))
    assert all(r == expected for r in results) and projection(world) is proj
