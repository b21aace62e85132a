"""Network pictures that stay readable, on small graphs with known answers: partners of partners
grouped by country with counts (at most 60 nodes drawn, every direct partner labelled), label size by
importance, province and region styles; the map's labels, arcs and land outlines."""

from __future__ import annotations

import json
from itertools import pairwise

from graph_service.model import Edge, Node, Subgraph
from graph_service.resources import resource
from viz import ego_network, geo_network, render
from viz.ego import MAX_DRAWN, MAX_GROUPS, aggregate_edges
from viz.network import GEO_SCALE
from viz.styles import KIND_COLOURS


def country(code, continent):
    return Node(id=code, kind="Country", name=f"Country {code}", continent=continent)


def star(partners_by_country: dict[str, int], second_per_partner: int) -> tuple[Subgraph, list[str]]:
    """A centre with partners in the given countries; each partner has its own partners in a country
    of its own (``Z<letter>``: ``ZA``, ``ZB`` …), ``second_per_partner`` each."""
    nodes = [Node(id="c", kind="City", name="Centre", country="CN"), country("CN", "AS")]
    edges, direct = [], []
    for cc, n in partners_by_country.items():
        nodes.append(country(cc, "EU" if cc < "M" else "AS"))
        for i in range(n):
            pid = f"{cc}-{i}"
            direct.append(pid)
            nodes.append(Node(id=pid, kind="City", name=f"Partner {cc} {i}", country=cc))
            edges.append(Edge(src="c", dst=pid, type="SISTER_CITY"))
            for j in range(second_per_partner):
                sid = f"{pid}-s{j}"
                nodes.append(Node(id=sid, kind="City", name=f"Second {sid}", country=f"Z{chr(65 + j)}"))
                edges.append(Edge(src=pid, dst=sid, type="SISTER_CITY"))
                edges.append(Edge(src=sid, dst=f"Z{chr(65 + j)}", type="LOCATED_IN"))
        edges.append(Edge(src=f"{cc}-0", dst=cc, type="LOCATED_IN"))
    edges.append(Edge(src="c", dst="CN", type="LOCATED_IN"))
    return Subgraph(nodes=nodes, edges=edges), direct


def code(i: int, first: int = 0) -> str:
    """The ``i``-th two-letter code from letter ``first`` on: ``code(0) == "AA"``, ``code(27) == "BB"``."""
    return chr(65 + first + i // 26) + chr(65 + i % 26)


def labels(net) -> str:
    return "\n".join(str(n.get("label", "")) for n in net.nodes)


def test_small_partner_network_draws_every_partner_and_groups_second_hop_by_country():
    sub, direct = star({"FR": 2, "TH": 3}, second_per_partner=2)
    net = ego_network(sub, centre="c", lang="en")
    ids = {n["id"] for n in net.nodes}
    assert set(direct) <= ids, "few partners: each drawn on its own"
    groups = {n["id"]: n for n in net.nodes if n["kind"] == "Group"}
    assert set(groups) == {"group:ZA", "group:ZB"}
    assert groups["group:ZA"]["label"] == "ZA: 5" and len(groups["group:ZA"]["group_of"]) == 5
    assert not any(n["kind"] == "Country" and n["id"] != "CN" for n in net.nodes), "partners' countries left out"
    assert {(e["from"], e["to"]) for e in net.edges if "group:ZA" in (e["from"], e["to"])} == {
        (p, "group:ZA") for p in direct}


def test_many_partners_fit_in_sixty_nodes_and_every_partner_stays_labelled():
    partners = {code(i): 1 for i in range(50)} | {"FR": 8, "JP": 6, "US": 5}
    sub, direct = star(partners, second_per_partner=1)
    extra = [Node(id=f"far-{k}", kind="City", name=f"Far {k}", country=code(k, first=12)) for k in range(80)]
    sub = Subgraph(nodes=[*sub.nodes, *extra],
                   edges=[*sub.edges, *(Edge(src="FR-0", dst=n.id, type="SISTER_CITY") for n in extra)])
    net = ego_network(sub, centre="c", lang="en")
    assert len(direct) == 69
    assert len(net.nodes) <= MAX_DRAWN
    drawn = labels(net)
    for pid in direct:
        assert f"Partner {pid.replace('-', ' ')}" in drawn, pid
    assert any(n["id"] == "group:other" for n in net.nodes), "the smallest countries share one group"
    members = {m for n in net.nodes for m in n.get("group_of", [])}
    assert members | {n["id"] for n in net.nodes} >= {n.id for n in sub.nodes if n.kind == "City"}


def test_direct_ties_alone_are_never_grouped():
    sub, _ = star({code(i): 1 for i in range(90)}, second_per_partner=0)
    net = ego_network(sub, centre="c", lang="en")
    assert len(net.nodes) == 92 and not any("group_of" in n for n in net.nodes)


def test_label_size_follows_importance_and_the_centre_is_largest():
    sub, _ = star({"FR": 1, "TH": 1}, second_per_partner=0)
    busy = [Node(id=f"b{i}", kind="City", name=f"B{i}", country="DE") for i in range(6)]
    sub = Subgraph(nodes=[*sub.nodes, *busy], edges=[*sub.edges, *(Edge(src="FR-0", dst=b.id, type="SISTER_CITY")
                                                                  for b in busy)])
    rows = {n["id"]: n for n in ego_network(sub, centre="c").nodes}
    assert rows["c"]["font"]["size"] > rows["FR-0"]["font"]["size"] > rows["TH-0"]["font"]["size"]


def test_provinces_and_regions_have_their_own_style():
    sub = Subgraph(nodes=[Node(id="nn", kind="City", name="Nanning", country="CN"),
                          Node(id="gx", kind="City", name="Guangxi", country="CN", level="province"),
                          Node(id="continent:AS", kind="Region", name="Asia")],
                   edges=[Edge(src="nn", dst="gx", type="SISTER_CITY"), Edge(src="gx", dst="continent:AS",
                                                                               type="IN_REGION")])
    rows = {n["id"]: n for n in ego_network(sub, centre="gx").nodes}
    assert (rows["gx"]["shape"], rows["gx"]["color"]) == ("square", KIND_COLOURS["Province"])
    assert rows["continent:AS"]["shape"] == "diamond"
    assert rows["nn"]["shape"] == "dot"


def test_aggregated_edges_sum_ties_between_what_is_drawn():
    rows = [{"from": "c", "to": "a", "type": "SISTER_CITY", "title": "t1", "color": {"color": "r"}},
            {"from": "a", "to": "x", "type": "FRIENDLY_EXCHANGE", "title": "t2", "color": {"color": "b"}},
            {"from": "b", "to": "x", "type": "SISTER_CITY", "title": "t3", "color": {"color": "r"}},
            {"from": "a", "to": "b", "type": "SISTER_CITY", "title": "t4", "color": {"color": "r"}}]
    where = {"c": "c", "a": "bundle", "b": "bundle", "x": "group"}
    drawn = aggregate_edges(rows, where, centre="c")
    assert [(e["from"], e["to"]) for e in drawn] == [("bundle", "group"), ("c", "bundle")]
    grouped = drawn[0]
    assert grouped["title"].startswith("2 ×") and grouped["width"] == 2 and grouped["color"]["color"] == "r"
    assert grouped["color"]["opacity"] == 0.3, "away from the centre: fainter"


def nanning_and_partners():
    cities = [Node(id="nn", kind="City", name="Nanning", name_zh="南宁", country="CN", lat=22.8, lon=108.3)]
    cities += [Node(id=f"p{i}", kind="City", name=f"P{i}", country="TH", lat=10.0 + i, lon=100.0) for i in range(5)]
    cities.append(Node(id="la", kind="City", name="Los Angeles", country="US", lat=34.05, lon=-118.25))
    edges = [Edge(src="nn", dst=c.id, type="SISTER_CITY") for c in cities[1:]]
    edges.append(Edge(src="p0", dst="p1", type="FRIENDLY_EXCHANGE", status="proposed"))
    return cities, edges


def test_map_ranks_labels_by_ties_and_draws_ties_as_hidden_styled_edges():
    cities, edges = nanning_and_partners()
    net = geo_network(cities, edges, lang="zh", labelled=3)
    rows = {n["id"]: n for n in net.nodes}
    assert rows["nn"]["rank"] == 0 and rows["nn"]["name"] == "南宁"
    assert sum("name" in r for r in rows.values()) == 3, "only the busiest may carry a label"
    assert all("label" not in r for r in rows.values()), "the page places labels where they do not overlap"
    assert rows["nn"]["size"] > rows["la"]["size"]
    assert (rows["la"]["x"], rows["la"]["y"]) == ((-118.25 + 360 - 150) * GEO_SCALE, -34.05 * GEO_SCALE), \
        "east of China across the Pacific, on a map centred on 150° E"
    assert all(e["hidden"] for e in net.edges) and len(net.edges) == 7
    assert {e["tier"] for e in net.edges} == {"SISTER_CITY", "FRIENDLY_EXCHANGE"}
    html = render(net, lang="zh")
    assert "greatCircle" in html and "/static/geo/land_50m.json" in html and "cdn" not in html.lower()


def test_a_highlighted_city_ranks_first_and_is_marked():
    cities, edges = nanning_and_partners()
    rows = {n["id"]: n for n in geo_network(cities, edges, highlight={"la"}).nodes}
    assert rows["la"]["rank"] == 0 and rows["la"]["color"] == "#b71c1c"


def land_rings() -> list[list[tuple[float, float]]]:
    data = json.loads(resource("land_50m.json").read_text(encoding="utf-8"))
    rings = []
    for flat in data["rings"]:
        x, y, points = flat[0], flat[1], []
        points.append((x / data["scale"], y / data["scale"]))
        for dx, dy in zip(flat[2::2], flat[3::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x / data["scale"], y / data["scale"]))
        rings.append(points)
    return rings


def on_land(lon: float, lat: float, rings) -> bool:
    """Even-odd rule over every ring, as the map fills them."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def test_land_outlines_put_cities_on_land_and_oceans_in_water():
    rings = land_rings()
    assert len(rings) > 1000
    for lon, lat in [(108.3, 22.8), (2.35, 48.85), (-118.25, 34.05), (37.6, 55.75), (-47.9, -15.8),
                     (133.0, -25.0), (20.0, 10.0), (-100.0, 60.0)]:
        assert on_land(lon, lat, rings), (lon, lat)
    for lon, lat in [(-150.0, 0.0), (-30.0, 30.0), (80.0, -20.0), (150.0, 30.0), (50.5, 42.0), (-170.0, 60.0)]:
        assert not on_land(lon, lat, rings), (lon, lat)
    assert on_land(178.0, 67.0, rings) and on_land(-178.0, 67.0, rings), "Chukotka on both sides of 180°"
    assert not on_land(0.0, 75.0, rings), "no band of land across the Arctic from a ring cut at 180°"


def test_few_partners_with_partners_in_many_countries_draw_at_most_max_groups():
    """Three partners whose own partners lie in 40 countries: 24 groups at most (the busiest countries,
    then "other countries"), though 60 nodes would leave room for more."""
    sub, _ = star({"FR": 3}, second_per_partner=0)
    extra = [Node(id=f"far-{k}", kind="City", name=f"Far {k}", country=code(k, first=12)) for k in range(40)]
    extra += [Node(id="far-big-1", kind="City", name="Big 1", country=code(0, first=12))]
    sub = Subgraph(nodes=[*sub.nodes, *extra],
                   edges=[*sub.edges, *(Edge(src="FR-0", dst=n.id, type="SISTER_CITY") for n in extra)])
    groups = [n for n in ego_network(sub, centre="c", lang="en").nodes if n["kind"] == "Group"]
    assert len(groups) == MAX_GROUPS
    assert groups[0]["id"] == f"group:{code(0, first=12)}" and len(groups[0]["group_of"]) == 2
    other = next(g for g in groups if g["id"] == "group:other")
    assert len(other["group_of"]) == 41 - 2 - (MAX_GROUPS - 2)


def test_second_hop_groups_are_named_under_the_home_country_policy():
    """Taiwan's cities among the partners of partners are never a country group of their own: the
    route passes the policy's names, so the group reads 中国台湾; a city without a country is 国家不详."""
    sub = Subgraph(
        nodes=[Node(id="c", kind="City", name="Nanning", country="CN"), country("CN", "AS"), country("JP", "AS"),
               Node(id="TW", kind="Country", name="Taiwan", name_zh="台湾", continent="AS"),
               Node(id="p", kind="City", name="Kagoshima", country="JP"),
               Node(id="t1", kind="City", name="Taipei", country="TW"), Node(id="t2", kind="City", name="Hsinchu",
                                                                             country="TW"),
               Node(id="u", kind="City", name="Nowhere")],
        edges=[Edge(src="c", dst="p", type="SISTER_CITY"), Edge(src="p", dst="t1", type="SISTER_CITY"),
               Edge(src="p", dst="t2", type="FRIENDLY_EXCHANGE"), Edge(src="p", dst="u", type="SISTER_CITY")])
    official = {"TW": "中国台湾", "JP": "日本"}
    net = ego_network(sub, centre="c", lang="zh", country_name=lambda code: official.get(code, code))
    groups = {n["id"]: n["label"] for n in net.nodes if n["kind"] == "Group"}
    assert groups == {"group:TW": "中国台湾：2 个", "group:?": "国家不详：1 个"}
    assert "台湾：" not in labels(net).replace("中国台湾：", "")


def test_a_demo_tie_is_drawn_apart_and_labelled_wherever_it_is_drawn():
    """An invented tie is purple dash-dot with 示例 on the line and in its tooltip, on the network and
    on the map; beside a real tie between the same cities the real tie's style wins."""
    nodes = [Node(id="c", kind="City", name="Shuozhou", country="CN", lat=39.3, lon=112.4),
             Node(id="k", kind="City", name="Kemerovo", country="RU", lat=55.3, lon=86.1),
             Node(id="r", kind="City", name="Real", country="RU", lat=55.0, lon=82.9)]
    demo = Edge(src="c", dst="k", type="SISTER_CITY", status="active", demo=True)
    real = Edge(src="c", dst="r", type="SISTER_CITY", status="active")
    net = ego_network(Subgraph(nodes=nodes, edges=[demo, real]), centre="c", lang="zh")
    by_end = {e["to"]: e for e in net.edges}
    assert by_end["k"]["label"] == "示例" and by_end["k"]["color"]["color"] == "#8e44ad"
    assert "演示数据，并非真实关系" in by_end["k"]["title"]
    assert "label" not in by_end["r"] and by_end["r"]["color"]["color"] == "#c0392b"
    mapped = geo_network(nodes, [demo, real], lang="en")
    arcs = {e["to"]: e for e in mapped.edges}
    assert arcs["k"]["dashes"] == [10, 4, 2, 4] and arcs["k"]["demo"] is True
    assert "demo record, not a real tie" in arcs["k"]["title"] and "demo" not in arcs["r"]
    both = ego_network(Subgraph(nodes=nodes, edges=[demo, Edge(src="c", dst="k", type="FRIENDLY_EXCHANGE")]),
                       centre="c", lang="en")
    assert [e.get("label") for e in both.edges] == [None], "a real tie between the same cities: drawn as real"
