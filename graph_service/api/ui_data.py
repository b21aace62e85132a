"""Read models behind the planner pages: partnerships by country and by region, from one snapshot.

The region page and the map view need every partnership of many cities at once; one store
snapshot, indexed once per store revision, answers them without a query per city.

>>> from graph_service.store.sqlite import SQLiteStore
>>> from graph_service.model import Node, Edge
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="a", kind="City", name="A", country="CN"), Node(id="b", kind="City", name="B", country="TH")])
>>> _ = store.upsert_edges([Edge(src="a", dst="b", type="SISTER_CITY")])
>>> [e.id for e in partnership_index(store).touching({"TH"})]
['a|SISTER_CITY|b']
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Iterable

from graph_service.model import PARTNERSHIP_TYPES, Edge, EdgeType, Node, NodeKind
from graph_service.store.base import GraphStore


class PartnershipIndex:
    """Every city, country and partnership edge of one store revision."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge], revision: int):
        self.revision = revision
        self.nodes = {n.id: n for n in nodes}
        self.partnerships = [e for e in edges if e.type in PARTNERSHIP_TYPES]
        self.region_members: dict[str, set[str]] = {}
        for e in edges:
            if e.type is EdgeType.IN_REGION:
                self.region_members.setdefault(e.dst, set()).add(e.src)
        self.degree = Counter(end for e in self.partnerships for end in (e.src, e.dst))

    def country_of(self, node_id: str) -> str | None:
        node = self.nodes.get(node_id)
        return node.country if node else None

    def touching(self, countries: set[str] | None) -> list[Edge]:
        """Partnerships with at least one city in ``countries`` (all of them for ``None``)."""
        if countries is None:
            return list(self.partnerships)
        return [e for e in self.partnerships if self.country_of(e.src) in countries or self.country_of(e.dst) in countries]

    def countries_of_region(self, region_id: str) -> list[Node]:
        """The region's member countries; for a continent also countries whose ``continent`` says so."""
        members = set(self.region_members.get(region_id, set()))
        if region_id.startswith("continent:"):
            code = region_id.split(":", 1)[1]
            members |= {n.id for n in self.nodes.values() if n.kind is NodeKind.COUNTRY and n.continent == code}
        found = [self.nodes[m] for m in members if m in self.nodes]
        return sorted(found, key=lambda n: n.name)

    def busiest_cities(self, limit: int = 12) -> list[tuple[Node, int]]:
        """Cities with the most partners, for the home page."""
        return [(self.nodes[i], n) for i, n in self.degree.most_common(limit) if i in self.nodes]


_cache: weakref.WeakKeyDictionary[object, PartnershipIndex] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def partnership_index(store: GraphStore) -> PartnershipIndex:
    """The index for the store's current revision, rebuilt only after a write."""
    revision = store.revision()
    with _lock:
        cached = _cache.get(store)
        if cached is not None and cached.revision == revision:
            return cached
    snap = store.snapshot()
    index = PartnershipIndex(snap.nodes, snap.edges, revision)
    with _lock:
        _cache[store] = index
    return index
