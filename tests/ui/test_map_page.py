"""The map page through the real app in-process, on the demo scenario: its filters, what it says for
an unknown or ambiguous place, the land file it loads, and the link from a city's page."""

from __future__ import annotations

import json
import re

import pytest

from graph_service.resources import resource

NANNING = "geonames:1799869"


def map_data(html: str, name: str) -> list[dict]:
    match = re.search(rf"var {name} = new vis.DataSet\((\[.*?\])\);\n", html, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_page_offers_every_filter_and_passes_them_to_the_map(client):
    html = client.get("/geo", params={"province": "Guangxi", "tier": "sister", "status": "active"}).text
    for field in ("city", "province", "country", "region", "tier", "status"):
        assert f'id="{field}"' in html, field
    frame = re.search(r'id="network-frame"[^>]*src="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert frame.startswith("/network/geo?") and "province=Guangxi" in frame
    assert "tier=sister" in frame and "status=active" in frame


@pytest.mark.parametrize(("lang", "typed", "shown"), [
    ("zh", "广西", "广西壮族自治区 · 中国"), ("en", "广西", "Guangxi · China"), ("en", "Guangxi", "Guangxi · China"),
])
def test_the_heading_names_the_places_filtered_on(client, lang, typed, shown):
    html = client.get("/geo", params={"province": typed, "country": "CN", "lang": lang}).text
    assert re.search(r'<span class="sub" id="map-places">(.*?)</span>', html).group(1) == shown


def test_province_filter_keeps_only_the_provinces_ties(client):
    html = client.get("/network/geo", params={"province": "Guangxi"}).text
    nodes = {n["id"]: n for n in map_data(html, "nodes")}
    edges = map_data(html, "edges")
    assert edges, "Guangxi's cities have ties in the demo scenario"
    guangxi = {i for i, n in nodes.items() if "Guangxi" in n["title"]}
    assert NANNING in guangxi
    assert all(e["from"] in guangxi or e["to"] in guangxi for e in edges)
    everything = map_data(client.get("/network/geo").text, "edges")
    assert len(everything) > len(edges)


def test_a_citys_map_marks_the_city_and_its_page_links_to_it(client):
    city_page = client.get(f"/city/{NANNING}", params={"lang": "zh"}).text
    assert f'href="/geo?city={NANNING.replace(":", "%3A")}&amp;lang=zh"' in city_page
    assert "在地图上查看合作城市" in city_page
    html = client.get("/network/geo", params={"city": NANNING}).text
    edges = map_data(html, "edges")
    assert edges and all(NANNING in (e["from"], e["to"]) for e in edges)
    nodes = {n["id"]: n for n in map_data(html, "nodes")}
    assert nodes[NANNING]["rank"] == 0 and nodes[NANNING]["color"] == "#b71c1c"


def test_an_unknown_place_keeps_the_page_and_says_so(client):
    response = client.get("/geo", params={"province": "Atlantis", "lang": "zh"})
    assert response.status_code == 200
    assert 'id="map-problem"' in response.text and "没有符合此筛选条件的地点" in response.text
    assert 'id="network-frame"' not in response.text
    assert client.get("/network/geo", params={"province": "Atlantis"}).status_code == 404


def test_bad_filter_values_are_refused(client):
    assert client.get("/geo", params={"tier": "cousin"}).status_code == 422
    assert client.get("/geo", params={"country": "China"}).status_code == 422
    assert client.get("/network/geo", params={"status": "x" * 50}).status_code == 422


def test_land_outlines_are_served_locally(client):
    response = client.get("/static/geo/land_50m.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.content == resource("land_50m.json").read_bytes()
    assert "Natural Earth" in response.json()["source"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_legend_explains_every_line_and_node_style(client, lang):
    html = client.get(f"/city/{NANNING}", params={"lang": lang}).text
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>', html, re.S).group(1)
    words = {"en": ["solid red", "dashed blue", "dotted", "faded", "thin grey", "green dashed", "grey dotted",
                    "square", "diamond", "double-click to expand", "bundled by country or continent",
                    "Thicker line"],
             "zh": ["红色实线", "蓝色虚线", "点线", "淡色", "灰色细线", "绿色虚线", "灰色点线", "方形", "菱形",
                    "双击展开", "按国家或大洲合并", "线条越粗"]}
    for word in words[lang]:
        assert word in legend, word
    if lang == "zh":
        visible = re.sub(r"<[^>]+>", " ", legend)
        assert not re.search(r"[A-Za-z]{3,}", visible), visible
