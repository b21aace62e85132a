"""A city's network, readable at any size: the city, its direct ties and, with partners of partners
(以点带面), where those partners lead, grouped by country with counts until the planner expands them.

The direct ties alone (``depth=1``) are drawn node by node, however many. With partners of partners, at
most ``MAX_DRAWN`` nodes are drawn at first:

- the centre, labelled largest; every direct neighbour drawn on its own while they fit, else the
  direct partner cities are bundled (first by country, then by continent) into boxes whose labels
  list every partner's name, so each direct partner stays labelled;
- second-hop cities grouped by country (``group:<cc>``, labelled "Japan: 20"), the countries with
  the most first; the rest share one group ("Other countries"). A partner's own Country node is
  context the groups already give, and is left out.

A group or bundle carries its members (``group_of``); double-clicking it draws them one by one
(``viz/templates/_groups.js``). Every real tie is kept (``all_edges``): the drawn edges are the ties
between whatever currently stands for each end, summed (``aggregate_edges``), in Python for the
first paint and in the page after each expansion.

>>> from graph_service.model import Node, Edge, Subgraph
>>> sub = Subgraph(nodes=[Node(id="c", kind="City", name="C", country="CN"),
...                       Node(id="p", kind="City", name="P", country="JP"),
...                       Node(id="q", kind="City", name="Q", country="FR")],
...                edges=[Edge(src="c", dst="p", type="SISTER_CITY"), Edge(src="p", dst="q", type="SISTER_CITY")])
>>> net = ego_network(sub, centre="c", lang="en")
>>> sorted(n["id"] for n in net.nodes)
['c', 'group:FR', 'p']
>>> [(e["from"], e["to"]) for e in net.edges]
[('c', 'p'), ('p', 'group:FR')]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pyvis.network import Network

from graph_service.i18n import Lang, continent_label, display_name, t
from graph_service.model import Node, NodeKind, Subgraph
from viz.network import EDGE_RANK, _network, _node, one_edge_per_pair
from viz.styles import GROUP_COLOUR

MAX_DRAWN = 60
"""Nodes drawn before the planner expands a group."""
MIN_GROUPS = 8
"""Second-hop groups kept (with "other countries") however many direct partners there are."""
MAX_GROUPS = 24
"""Second-hop groups drawn at most, "other countries" included, however few direct partners there are:
more boxes would only shrink every label when the picture is fitted to its frame."""
OTHER = "group:other"
HUBS = frozenset({NodeKind.COUNTRY, NodeKind.REGION})

Row = dict[str, Any]


def _importance_font(degree: int, most: int, low: int = 12, high: int = 19) -> int:
    return round(low + (high - low) * math.log1p(degree) / math.log1p(max(most, 1)))


def aggregate_edges(rows: Iterable[Row], where: Mapping[str, str], centre: str) -> list[Row]:
    """The drawn edges: every real tie between what stands for its two ends now (a node, or the
    group holding it), one edge per pair of drawn nodes. A single tie keeps its own style; several
    take the strongest real tie's colour (the demo style only when all are demo records), a width that
    grows with their number and a count in the tooltip. Ties that do not touch the centre are drawn
    fainter."""
    buckets: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        a, b = where.get(row["from"]), where.get(row["to"])
        if a is None or b is None or a == b:
            continue
        buckets[(a, b) if a < b else (b, a)].append(row)
    drawn = []
    for ties in buckets.values():
        ties.sort(key=lambda r: (bool(r.get("demo")), EDGE_RANK.get(r["type"], 3)))  # a real tie's style first
        row = dict(ties[0]) | {"from": where[ties[0]["from"]], "to": where[ties[0]["to"]]}
        if len(ties) > 1:
            row["width"] = round(min(1 + math.log2(len(ties)), 6), 2)
            row["title"] = f"{len(ties)} ×\n" + "\n".join(str(r["title"]) for r in ties[:12])
            row["dashes"] = False
        if centre not in (row["from"], row["to"]):
            row["width"] = min(row.get("width", 1), 2.5)
            row["color"] = row["color"] | {"opacity": 0.3}
        drawn.append(row)
    return sorted(drawn, key=lambda r: (r["from"], r["to"]))


def ego_network(sub: Subgraph, centre: str, lang: Lang = "en", max_drawn: int = MAX_DRAWN,
                countries: Mapping[str, Node] | None = None,
                country_name: Callable[[str], str] | None = None) -> Network:
    """The subgraph around ``centre`` (``graph_service.services.cities.ego_network``), at most
    ``max_drawn`` nodes drawn at first; force layout that settles before the first paint.
    ``countries`` (Country nodes by code) names the groups and bundles of countries the subgraph
    holds no Country node for; ``country_name`` (a code to its name under the home-country policy, so
    that ``TW`` reads 中国台湾, never a country of its own) overrides those names when given."""
    nodes = {n.id: n for n in sub.nodes}
    touching = [e for e in sub.edges if centre in (e.src, e.dst)]
    direct = {e.dst if e.src == centre else e.src for e in touching} - {centre}
    second = {i for i, n in nodes.items() if i not in direct and i != centre and n.kind not in HUBS}
    kept = {centre} | direct | second
    edges = one_edge_per_pair([e for e in sub.edges if e.src in kept and e.dst in kept], lang)
    degree: dict[str, int] = defaultdict(int)
    for row in edges:
        degree[row["from"]] += 1
        degree[row["to"]] += 1
    most = max((degree[i] for i in direct), default=1)
    rows = {i: _styled(nodes[i], lang, centre, degree[i], most, i in direct) for i in kept}
    countries = dict(countries or {}) | {n.id: n for n in nodes.values() if n.kind is NodeKind.COUNTRY}
    def named(code: str) -> str:
        if code == "?":
            return t("country_unknown", lang)
        if country_name is not None:
            return country_name(code)
        node = countries.get(code)
        return display_name(node, lang) if node else code

    where = {i: i for i in kept}
    groups: dict[str, Row] = {}
    group_budget = _group_budget(max_drawn - 1 - len(direct)) if second else 0
    reserved = min(group_budget, _countries(second, nodes))
    bundles = _bundle_direct(direct, nodes, countries, named, lang, max_drawn - 1 - reserved) if second else []
    for row in bundles:
        groups[row["id"]] = row
        where.update((m, row["id"]) for m in row["group_of"])
    direct_units = len({where[i] for i in direct})
    for row in _second_hop_groups(second, nodes, named, lang, _group_budget(max_drawn - 1 - direct_units)):
        groups[row["id"]] = row
        where.update((m, row["id"]) for m in row["group_of"])

    drawn_ids = sorted({where[i] for i in kept}, key=lambda i: (i != centre, i))
    node_rows = [groups[i] if i in groups else rows[i] for i in drawn_ids]
    options = {
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -110, "springLength": 110, "centralGravity": 0.02,
                                         "avoidOverlap": 0.9},
                    "stabilization": {"enabled": True, "iterations": 400, "fit": True}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "edges": {"smooth": False},
    }
    net = _network(node_rows, aggregate_edges(edges, where, centre), options)
    net.groups = {"centre": centre, "where": where, "members": {i: rows[i] for i in kept if where[i] != i},
                  "all_edges": edges}
    return net


def _group_budget(room: int) -> int:
    """Second-hop groups to draw when ``room`` nodes are left: between MIN_GROUPS and MAX_GROUPS."""
    return min(MAX_GROUPS, max(MIN_GROUPS, room))


def _styled(node: Node, lang: Lang, centre: str, degree: int, most: int, direct: bool) -> Row:
    """A node's row: its kind's style; the centre largest; a direct partner's label by its ties."""
    if node.id == centre:
        return _node(node, lang) | {"size": 30, "borderWidth": 4, "font": {"size": 22, "bold": True}}
    row = _node(node, lang)
    if direct and node.kind is NodeKind.CITY:
        font = _importance_font(degree, most)
        row["font"] = {"size": font, "color": "#1e272e", "strokeWidth": 3, "strokeColor": "#ffffff"}
        row["size"] = round(row["size"] * font / 14, 1)
    elif not direct:
        row["font"] = {"size": 11, "color": "#636e72"}
        row["size"] = min(row["size"], 8)
    return row


def _countries(ids: Iterable[str], nodes: Mapping[str, Node]) -> int:
    return len({nodes[i].country or "?" for i in ids})


def _bundle_direct(direct: set[str], nodes: Mapping[str, Node], countries: Mapping[str, Node],
                   country_name: Callable[[str], str], lang: Lang, budget: int) -> list[Row]:
    """Bundles of direct partner cities when drawing each would pass ``budget``: by country (those
    with two or more), or else by continent. Each bundle's label names every partner in it."""
    if len(direct) <= budget:
        return []
    cities = [i for i in direct if nodes[i].kind is NodeKind.CITY]
    others = len(direct) - len(cities)

    def country_of(i: str) -> str:
        return nodes[i].country or "?"

    def continent_of(i: str) -> str:
        country = countries.get(country_of(i))
        return country.continent if country is not None and country.continent else "?"

    def continent_name(code: str) -> str:
        return continent_label(code, lang)

    keyings: list[tuple[str, Callable[[str], str], Callable[[str], str]]] = [
        ("country", country_of, country_name), ("continent", continent_of, continent_name)]
    bundles: list[Row] = []
    for prefix, key, label in keyings:
        by_key: dict[str, list[str]] = defaultdict(list)
        for i in cities:
            by_key[key(i)].append(i)
        bundles = [_bundle(f"bundle:{prefix}:{k}", label(k), members, nodes, lang)
                   for k, members in sorted(by_key.items()) if len(members) > 1]
        units = others + len(bundles) + sum(1 for members in by_key.values() if len(members) == 1)
        if units <= budget:
            break
    return bundles


def _bundle(bundle_id: str, title: str, members: list[str], nodes: Mapping[str, Node], lang: Lang) -> Row:
    names = sorted(display_name(nodes[m], lang) for m in members)
    label = f"{title} ({len(members)})\n" + "\n".join(_lines(names, per_line=3, lang=lang))
    return {"id": bundle_id, "label": label, "kind": "Bundle", "group_of": sorted(members), "shape": "box",
            "title": t("bundle_title", lang, n=len(members), country=title),
            "color": {"background": "#eaf2fb", "border": "#2e86de"}, "borderWidth": 2,
            "font": {"size": 14, "color": "#1e272e", "align": "left"}, "margin": 8}


def _separator(lang: Lang) -> str:
    """Between names in a list: the enumeration comma in Chinese, a comma and space in English."""
    return "、" if lang == "zh" else ", "


def _lines(names: list[str], per_line: int, lang: Lang) -> list[str]:
    return [_separator(lang).join(names[i:i + per_line]) for i in range(0, len(names), per_line)]


def _second_hop_groups(second: set[str], nodes: Mapping[str, Node], country_name: Callable[[str], str], lang: Lang,
                       budget: int) -> list[Row]:
    """Second-hop nodes by country, most first; past ``budget`` groups, the rest in ``OTHER``."""
    by_country: dict[str, list[str]] = defaultdict(list)
    for i in second:
        by_country[nodes[i].country or "?"].append(i)
    ranked = sorted(by_country.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if len(ranked) > budget:
        rest = [m for _, members in ranked[budget - 1:] for m in members]
        ranked = [*ranked[:budget - 1], ("", rest)]
    rows = []
    for code, members in ranked:
        name = country_name(code) if code else t("other_countries", lang)
        names = _separator(lang).join(sorted(display_name(nodes[m], lang) for m in members)[:30])
        more = "…" if len(members) > 30 else ""
        rows.append({
            "id": f"group:{code}" if code else OTHER, "kind": "Group", "group_of": sorted(members),
            "label": t("group_label", lang, country=name, n=len(members)),
            "title": t("group_title", lang, n=len(members), country=name, names=names + more),
            "shape": "box", "color": {"background": "#f5f6fa", "border": GROUP_COLOUR},
            "shapeProperties": {"borderDashes": [5, 4]}, "borderWidth": 1.5,
            "font": {"size": round(12 + 6 * math.log1p(len(members)) / math.log1p(max(len(ranked[0][1]), 1))),
                     "color": "#2d3436"},
        })
    return rows
