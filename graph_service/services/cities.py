"""Cities as every front end asks for them: resolve a city argument, list its partners, draw its
ego network.

>>> from graph_service.store.sqlite import SQLiteStore
>>> from graph_service.model import Node
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="nn", kind="City", name="Nanning", name_zh="南宁", country="CN")])
>>> resolve_node(store, "南宁").id
'nn'
"""

from __future__ import annotations

from pydantic import BaseModel

from graph_service.errors import Ambiguous, NotFound
from graph_service.model import PARTNERSHIP_TYPES, Edge, Node, NodeKind, Subgraph, Tier
from graph_service.names_zh import HAS_HAN as HAN
from graph_service.policy import policy_for
from graph_service.store.base import GraphStore
from graph_service.text import CHINESE_FIRST, match_rank, search_keys, search_query

KIND_ZH = {NodeKind.CITY: "城市", NodeKind.REGION: "地区", NodeKind.COUNTRY: "国家"}


def resolve_city(store: GraphStore, text: str, country: str | None = None) -> Node:
    """The city a CLI argument, path segment or form field names: an id, or a name in any language or
    pinyin, with ``country`` (any case) to disambiguate. Raises ``NotFound`` or ``Ambiguous``."""
    return resolve_node(store, text, country=country.upper() if country else None, kind=NodeKind.CITY)


def resolve_node(
    store: GraphStore, text: str, *, country: str | None = None, kind: NodeKind | None = NodeKind.CITY
) -> Node:
    """The node ``text`` names: an id first, then an exact name match (any language or pinyin).

    Several exact matches are ambiguous unless one is clearly the intended city: the only one in
    ``country``, the only one whose own name it is (not a former or alternate name), or, for a name in
    Han characters, the only such one in China. Raises ``NotFound`` or ``Ambiguous`` with the candidates.
    """
    node = store.get_node(text)
    if node is not None and (kind is None or node.kind is kind) and (country is None or node.country == country):
        return node
    query = search_query(text)
    found = store.find_nodes(query, kind=kind, country=country, limit=50) if query else []
    exact = [n for n in found if _is_exact(query, n)]
    if len(exact) == 1:
        return exact[0]
    primary = [n for n in exact if _is_primary(query, n)]
    if len(exact) > 1 and len(primary) == 1:
        return primary[0]
    chinese = [n for n in primary if n.country in CHINESE_FIRST]
    if len(primary) > 1 and len(chinese) == 1 and HAN.search(text):
        return chinese[0]  # a Chinese user typing 北海 means Beihai
    if len(exact) > 1:
        raise Ambiguous(text, exact[:10])
    where = f" in {country}" if country else ""
    hint = f" Did you mean: {', '.join(f'{n.name} ({n.id})' for n in found[:5])}?" if found else ""
    what_zh = KIND_ZH.get(kind, "记录") if kind else "记录"
    hint_zh = f"您是否要找:{'、'.join(f'{n.name_zh or n.name}({n.id})' for n in found[:5])}?" if found else ""
    raise NotFound(f"no {kind.value if kind else 'node'} named {text!r}{where}.{hint}",
                   zh=f"没有名为“{text[:100]}”的{what_zh}{f'(国家代码 {country})' if country else ''}。{hint_zh}")


def without_former_names(query: str, nodes: list[Node]) -> list[Node]:
    """Search results without the places that match ``query`` only by a former name another place of
    their country bears today: ``find Nanning`` is Nanning, not also Qujing (GeoNames lists the name
    Nanning among Qujing's historical names). A former name no place of the country bears now, or one
    borne abroad (Canton, Ohio beside Guangzhou's old name Canton), keeps its match.

    >>> nn = Node(id="nn", kind="City", name="Nanning", country="CN")
    >>> qj = Node(id="qj", kind="City", name="Qujing", country="CN", alt_names=["Nanning"])
    >>> [n.id for n in without_former_names("Nanning", [nn, qj])], [n.id for n in without_former_names("Nanning", [qj])]
    (['nn'], ['qj'])
    """
    key = search_query(query)
    borne = {n.country for n in nodes if _is_primary(key, n)}
    return [n for n in nodes if n.country not in borne or _is_primary(key, n) or not _is_exact(key, n)]


def _is_primary(query: str, node: Node) -> bool:
    """Whether ``query`` is the node's own name or Chinese name, not one of its alternate names.

    GeoNames lists historical names too (Qujing's alternate names include "Nanning"), so a city's own
    name beats another city's alternate name.
    """
    keys = search_keys(node.name, [node.name_zh or ""])
    return match_rank(query, keys) == 0 or match_rank(query.replace(" ", ""), keys) == 0


def _is_exact(query: str, node: Node) -> bool:
    keys = search_keys(node.name, [node.name_zh or "", *node.alt_names])
    return match_rank(query, keys) == 0 or match_rank(query.replace(" ", ""), keys) == 0


class Partnership(BaseModel):
    """One partner of a city, seen from that city."""

    partner: Node
    tier: str
    status: str | None
    since: str | None
    edge: Edge


def partners_of(store: GraphStore, city_id: str) -> list[Partnership]:
    """Every SISTER_CITY and FRIENDLY_EXCHANGE tie of a city, sister cities first, then by name."""
    sub = store.neighbourhood(city_id, depth=1, types=PARTNERSHIP_TYPES)
    nodes = {n.id: n for n in sub.nodes}
    rows = []
    for edge in sub.edges:
        if city_id not in (edge.src, edge.dst):
            continue
        other = edge.dst if edge.src == city_id else edge.src
        status = edge.status.value if edge.status else None
        rows.append(Partnership(partner=nodes[other], tier=Tier.of(edge.type).value, status=status, since=edge.since,
                                edge=edge))
    rows.sort(key=lambda p: (p.tier != Tier.SISTER.value, p.partner.name))
    return rows


class PartnerLists(BaseModel):
    """A city's partners as its home-country policy sorts them: ``foreign`` partners, ties with the
    home country's domestic territories (``territories``, 港澳台交流 for China, titled ``label``), and
    ties within the home country itself (``home``)."""

    foreign: list[Partnership]
    territories: list[Partnership]
    home: list[Partnership]
    label: dict[str, str]


def partner_lists(store: GraphStore, city: Node) -> PartnerLists:
    """``partners_of`` split by the policy of the city's country (``graph_service.policy``)."""
    policy = policy_for(city.country)
    rows = partners_of(store, city.id)
    label = policy.domestic.label if policy.domestic else None
    return PartnerLists(
        foreign=[p for p in rows if policy.is_foreign(p.partner.country)],
        territories=[p for p in rows if policy.classify(p.partner.country) == "domestic"],
        home=[p for p in rows if p.partner.country and policy.classify(p.partner.country) == "home"],
        label={"en": label.en, "zh": label.zh} if label else {"en": "", "zh": ""},
    )


HUB_KINDS = frozenset({NodeKind.COUNTRY, NodeKind.REGION})
"""Kinds an ego network shows but never expands: through them every city is two hops from every other."""


def ego_network(store: GraphStore, node_id: str, depth: int = 1) -> Subgraph:
    """A node, its neighbours and, for ``depth=2``, the neighbours of each neighbour that is not a
    country or region, with the edges among them that touch an expanded node.

    Without that rule a city's 2-hop network would hold every city of its country (via LOCATED_IN).
    """
    centre = store.neighbourhood(node_id, depth=1)
    if depth < 2 or not centre.nodes:
        return centre
    nodes = {node.id: node for node in centre.nodes}
    edges = {edge.id: edge for edge in centre.edges}
    for node in centre.nodes:
        if node.id == node_id or node.kind in HUB_KINDS:
            continue
        around = store.neighbourhood(node.id, depth=1)
        nodes.update((n.id, n) for n in around.nodes)
        edges.update((e.id, e) for e in around.edges if node.id in (e.src, e.dst))
    return Subgraph(nodes=sorted(nodes.values(), key=lambda n: n.id), edges=sorted(edges.values(), key=lambda e: e.id))
