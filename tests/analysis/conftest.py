"""A tiny canonical world for analysis tests, with answers computed by hand.

Nanning (CN) has partners Khon Kaen (TH, sister, active), Hai Phong (VN, friendly, signed) and
Munich (DE, sister, ended). Peers in China: Guilin (partners Osaka, Vientiane) and Shenzhen
(partners Khon Kaen, Vientiane). Distances: Khon Kaen–Udon Thani ≈ 107 km, Khon Kaen–Vientiane
≈ 170 km, Hai Phong–Hanoi ≈ 88 km, Khon Kaen–Chiang Mai ≈ 480 km.
Institutions of Nanning: a school paired with a Chiang Mai school, the Cambodian consulate, an
honorary citizen from Lyon, an enterprise operating in George Town.
"""

from __future__ import annotations

import pytest

from graph_service.model import Edge, Node
from graph_service.store.sqlite import SQLiteStore

COUNTRIES = {
    "CN": ("China", "AS", ["VN", "LA"]),
    "VN": ("Vietnam", "AS", ["CN", "LA", "KH"]),
    "LA": ("Laos", "AS", ["CN", "VN", "KH", "TH"]),
    "KH": ("Cambodia", "AS", ["VN", "LA", "TH"]),
    "TH": ("Thailand", "AS", ["LA", "KH", "MY"]),
    "MY": ("Malaysia", "AS", ["TH"]),
    "ID": ("Indonesia", "AS", []),
    "JP": ("Japan", "AS", []),
    "DE": ("Germany", "EU", ["FR"]),
    "FR": ("France", "EU", ["DE"]),
}
ASEAN = ["VN", "LA", "KH", "TH", "MY", "ID"]
CITIES = {
    "nn": ("Nanning", "CN", 22.82, 108.32, 3_800_000, ["buddhist-heritage"]),
    "gl": ("Guilin", "CN", 25.28, 110.29, 1_000_000, []),
    "sz": ("Shenzhen", "CN", 22.54, 114.06, 12_000_000, []),
    "kk": ("Khon Kaen", "TH", 16.45, 102.83, 114_000, []),
    "ud": ("Udon Thani", "TH", 17.41, 102.79, 130_000, []),
    "cm": ("Chiang Mai", "TH", 18.79, 98.98, 130_000, ["buddhist-heritage"]),
    "hp": ("Hai Phong", "VN", 20.86, 106.68, 2_000_000, []),
    "hn": ("Hanoi", "VN", 21.03, 105.85, 8_000_000, []),
    "vte": ("Vientiane", "LA", 17.97, 102.60, 840_000, []),
    "pp": ("Phnom Penh", "KH", 11.55, 104.92, 1_500_000, []),
    "gt": ("George Town", "MY", 5.41, 100.34, 700_000, []),
    "bg": ("Bogor", "ID", -6.60, 106.80, 1_000_000, []),
    "os": ("Osaka", "JP", 34.69, 135.50, 2_700_000, []),
    "mn": ("Munich", "DE", 48.14, 11.58, 1_500_000, []),
    "ly": ("Lyon", "FR", 45.76, 4.84, 500_000, []),
    "nocoord": ("Nowhere", "FR", None, None, None, []),
}
TIES = [
    ("nn", "kk", "SISTER_CITY", "active"),
    ("nn", "hp", "FRIENDLY_EXCHANGE", "signed"),
    ("nn", "mn", "SISTER_CITY", "ended"),
    ("gl", "os", "SISTER_CITY", None),
    ("gl", "vte", "SISTER_CITY", None),
    ("sz", "kk", "SISTER_CITY", None),
    ("sz", "vte", "FRIENDLY_EXCHANGE", None),
    ("kk", "vte", "SISTER_CITY", None),
]


def canonical_records() -> tuple[list[Node], list[Edge]]:
    nodes = [Node(id=f"continent:{c}", kind="Region", name=n) for c, n in (("AS", "Asia"), ("EU", "Europe"))]
    nodes.append(Node(id="ASEAN", kind="Region", name="ASEAN"))
    edges = []
    for cc, (name, continent, neighbours) in COUNTRIES.items():
        nodes.append(Node(id=cc, kind="Country", name=name, continent=continent, neighbours=neighbours))
        edges.append(Edge(src=cc, dst=f"continent:{continent}", type="IN_REGION"))
        if cc in ASEAN:
            edges.append(Edge(src=cc, dst="ASEAN", type="IN_REGION"))
    for cid, (name, cc, lat, lon, pop, tags) in CITIES.items():
        nodes.append(Node(id=cid, kind="City", name=name, country=cc, lat=lat, lon=lon, population=pop, tags=tags))
        edges.append(Edge(src=cid, dst=cc, type="LOCATED_IN"))
    for a, b, t, status in TIES:
        edges.append(Edge(src=a, dst=b, type=t, status=status))
    nodes += [
        Node(id="school-nn", kind="School", name="Nanning No.2 High School"),
        Node(id="school-cm", kind="School", name="Chiang Mai Prep"),
        Node(id="consulate-kh", kind="Consulate", name="Consulate-General of Cambodia in Nanning"),
        Node(id="hc-ly", kind="HonoraryCitizen", name="Jean Dupont"),
        Node(id="ent-gt", kind="Enterprise", name="Penang Rubber Ltd"),
    ]
    edges += [
        Edge(src="school-nn", dst="nn", type="LOCATED_IN"),
        Edge(src="school-cm", dst="cm", type="LOCATED_IN"),
        Edge(src="school-nn", dst="school-cm", type="PARTNER_SCHOOL"),
        Edge(src="consulate-kh", dst="nn", type="LOCATED_IN"),
        Edge(src="consulate-kh", dst="KH", type="REPRESENTS"),
        Edge(src="hc-ly", dst="nn", type="HONORARY_CITIZEN_OF"),
        Edge(src="hc-ly", dst="ly", type="LOCATED_IN"),
        Edge(src="ent-gt", dst="nn", type="INVESTS_IN"),
        Edge(src="ent-gt", dst="gt", type="OPERATES_IN"),
    ]
    return nodes, edges


@pytest.fixture
def world() -> SQLiteStore:
    store = SQLiteStore(":memory:")
    nodes, edges = canonical_records()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    yield store
    store.close()
