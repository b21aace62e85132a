"""The pyvis builders on tiny graphs: colours by kind, edge styles by tier and status, coordinates,
and tooltips that stay plain text."""

from __future__ import annotations

import json
import re

from graph_service.model import Edge, Node, Subgraph
from viz import ego_network, geo_network, render
from viz.network import GEO_SCALE
from viz.styles import KIND_COLOURS, TIER_COLOURS

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def small_graph() -> Subgraph:
    return Subgraph(
        nodes=[
            Node(id="nn", kind="City", name="Nanning", name_zh="南宁", country="CN", lat=22.8, lon=108.3),
            Node(id="kk", kind="City", name="Khon Kaen", name_zh="孔敬", country="TH", lat=16.4, lon=102.8),
            Node(id="ev", kind="City", name=HOSTILE, country="FR", lat=48.8, lon=2.3),
            Node(id="nowhere", kind="City", name="No coordinates", country="DE"),
            Node(id="vn-consulate", kind="Consulate", name="Consulate General of Viet Nam in Nanning"),
        ],
        edges=[
            Edge(src="nn", dst="kk", type="SISTER_CITY", status="active", since="1995"),
            Edge(src="nn", dst="ev", type="FRIENDLY_EXCHANGE", status="negotiating"),
            Edge(src="nn", dst="nowhere", type="SISTER_CITY", status="ended"),
            Edge(src="vn-consulate", dst="nn", type="JURISDICTION_OVER"),
        ],
    )


def data_of(html: str, name: str) -> list[dict]:
    """The JSON passed to ``new vis.DataSet`` for nodes or edges."""
    match = re.search(rf"var {name} = new vis.DataSet\((\[.*?\])\);\n", html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_ego_network_colours_nodes_by_kind_and_styles_edges_by_tier_and_status():
    net = ego_network(small_graph(), centre="nn", lang="en")
    nodes = {n["id"]: n for n in net.nodes}
    assert nodes["nn"]["size"] > nodes["kk"]["size"]
    assert nodes["kk"]["color"] == KIND_COLOURS["City"]
    assert nodes["vn-consulate"]["color"] == KIND_COLOURS["Consulate"]
    edges = {(e["from"], e["to"]): e for e in net.edges}
    sister, friendly = edges[("kk", "nn")], edges[("ev", "nn")]
    assert sister["color"]["color"] == TIER_COLOURS["SISTER_CITY"] and sister["dashes"] is False
    assert friendly["color"]["color"] == TIER_COLOURS["FRIENDLY_EXCHANGE"] and friendly["dashes"] == [2, 5]
    assert edges[("nn", "nowhere")]["color"]["color"] != TIER_COLOURS["SISTER_CITY"]
    assert edges[("vn-consulate", "nn")]["width"] < sister["width"]
    assert net.options["physics"]["enabled"] is True


def test_labels_follow_the_language():
    zh = {n["id"]: n["label"] for n in ego_network(small_graph(), centre="nn", lang="zh").nodes}
    en = {n["id"]: n["label"] for n in ego_network(small_graph(), centre="nn", lang="en").nodes}
    assert zh["nn"] == "南宁" and en["nn"] == "Nanning"
    assert zh["nowhere"] == "No coordinates"


def test_geo_network_places_cities_by_coordinates_with_physics_off():
    sub = small_graph()
    net = geo_network(sub.nodes, sub.edges, highlight={"nn"})
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == {"nn", "kk", "ev"}, "nodes without coordinates are left out"
    assert (nodes["nn"]["x"], nodes["nn"]["y"]) == ((108.3 - 150) * GEO_SCALE, -22.8 * GEO_SCALE), \
        "x counts from 150° E, the middle of the map"
    assert nodes["nn"]["fixed"] is True and net.options["physics"]["enabled"] is False
    assert all("nowhere" not in (e["from"], e["to"]) for e in net.edges)
    assert "beforeDrawing" in render(net), "the graticule is drawn"


def test_tooltips_are_plain_text_and_markup_in_names_stays_inert():
    html = render(ego_network(small_graph(), centre="nn", lang="en"))
    assert "<img" not in html and "<script>alert" not in html
    nodes = {n["id"]: n for n in data_of(html, "nodes")}
    assert nodes["ev"]["label"] == HOSTILE, "the name reaches vis-network unchanged, as data"
    assert nodes["ev"]["title"].startswith(HOSTILE + "\n")
    assert nodes["kk"]["title"] == "孔敬 Khon Kaen\nCity · TH"
    assert data_of(html, "edges")[0]["title"]


def test_rendered_network_uses_only_the_local_vis_network():
    html = render(ego_network(small_graph(), centre="nn"))
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/static/vis/vis-network.css",
        "/static/vis/vis-network.min.js",
    ]
    assert "http://" not in html and "https://" not in html
