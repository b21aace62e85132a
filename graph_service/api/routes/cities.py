"""Per-city reads: partners, ego network, partner gaps and explained suggestions.

``{city}`` is a node id; a unique exact name (any language or pinyin) also works, with ``country``
to disambiguate. An ambiguous name is a 409 listing the candidates.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graph_service.api.deps import Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.schemas import CityPartners, CityRef, EdgeOut, EgoNetwork, PartnerOut
from graph_service.model import Node
from graph_service.queries import partners_of, resolve_node
from graph_service.store.base import GraphStore

router = APIRouter(prefix="/cities", tags=["cities"])

CityId = Annotated[str, Path(min_length=1, max_length=200, description="city id (or a unique name)")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO-3166 alpha-2, to disambiguate a name")]
CITY_ERRORS = responses(401, 403, 404, 409, 422)


def city_node(store: GraphStore, city: str, country: str | None) -> Node:
    return resolve_node(store, city, country=country.upper() if country else None)


def city_ref(node: Node) -> CityRef:
    return CityRef(id=node.id, name=node.name, name_zh=node.name_zh, country=node.country)


@router.get("/{city}/partners", response_model=CityPartners, responses=CITY_ERRORS)
def partners(city: CityId, store: StoreDep, _: Reader, country: Country = None) -> CityPartners:
    """Sister cities first, then friendly-exchange cities, each with status and date."""
    node = city_node(store, city, country)
    rows = [
        PartnerOut(
            id=r.partner.id, name=r.partner.name, name_zh=r.partner.name_zh, country=r.partner.country,
            tier=r.tier, status=r.status, since=r.since, source=r.edge.source, demo=r.edge.demo, edge_id=r.edge.id,
        )
        for r in partners_of(store, node.id)
    ]
    return CityPartners(city=city_ref(node), partners=rows)


@router.get("/{city}/ego", response_model=EgoNetwork, responses=CITY_ERRORS)
def ego(
    city: CityId,
    store: StoreDep,
    _: Reader,
    depth: Annotated[int, Query(ge=1, le=2, description="hops from the city: 1 or 2")] = 1,
    country: Country = None,
) -> EgoNetwork:
    """The city, every node within ``depth`` hops and the edges among them."""
    node = city_node(store, city, country)
    sub = store.neighbourhood(node.id, depth=depth)
    return EgoNetwork(city=city_ref(node), depth=depth, nodes=sub.nodes, edges=[EdgeOut.of(e) for e in sub.edges])
