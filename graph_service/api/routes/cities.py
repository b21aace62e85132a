"""Per-city reads: partners, ego network, partner gaps and explained suggestions (from ``analysis``).

``{city}`` is a node id; a unique exact name (any language or pinyin) also works, with ``country``
to disambiguate. An ambiguous name is a 409 listing the candidates.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from graph_service.analysis import GapReport, SuggestionReport
from graph_service.analysis.gaps import Coverage
from graph_service.api.deps import ApiLang, Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.schemas import CityPartners, EdgeOut, EgoNetwork, PartnerOut
from graph_service.errors import InvalidInput
from graph_service.model import CityRef
from graph_service.services import analysis, cities

router = APIRouter(prefix="/cities", tags=["cities"])

CityId = Annotated[str, Path(min_length=1, max_length=200, description="city id (or a unique name)")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO-3166 alpha-2, to disambiguate a name")]
CITY_ERRORS = responses(401, 403, 404, 409, 422)
StrategyName = Annotated[
    str | None,
    Query(pattern="^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="a strategy profile by name (see seed/strategies)"),
]


@router.get("/{city}/partners", response_model=CityPartners, responses=CITY_ERRORS)
def partners(city: CityId, store: StoreDep, _: Reader, lang: ApiLang, country: Country = None) -> CityPartners:
    """Sister cities first, then friendly-exchange cities, each with status and date. Ties with the
    home country's domestic territories (港澳台交流) and within the home country are listed apart."""
    node = cities.resolve_city(store, city, country)

    def out(rows: list[cities.Partnership]) -> list[PartnerOut]:
        return [
            PartnerOut(
                id=r.partner.id, name=r.partner.name, name_zh=r.partner.name_zh, country=r.partner.country,
                tier=r.tier, status=r.status, since=r.since, source=r.edge.source, demo=r.edge.demo, edge_id=r.edge.id,
            )
            for r in rows
        ]

    lists = cities.partner_lists(store, node)
    return CityPartners(city=CityRef.of(node), partners=out(lists.foreign), domestic_label=lists.label[lang] or None,
                        domestic=out(lists.territories), home_country=out(lists.home))


@router.get("/{city}/ego", response_model=EgoNetwork, responses=CITY_ERRORS)
def ego(
    city: CityId,
    store: StoreDep,
    _: Reader,
    depth: Annotated[int, Query(ge=1, le=2, description="hops from the city: 1 or 2")] = 1,
    country: Country = None,
) -> EgoNetwork:
    """The city, its neighbours and (depth 2) their neighbours, with the edges among them. Countries
    and regions are shown but not expanded, so depth 2 does not pull in every city of a country."""
    node = cities.resolve_city(store, city, country)
    sub = cities.ego_network(store, node.id, depth=depth)
    return EgoNetwork(city=CityRef.of(node), depth=depth, nodes=sub.nodes, edges=[EdgeOut.of(e) for e in sub.edges])


@router.get("/{city}/gaps", response_model=GapReport, responses=CITY_ERRORS)
def gaps(
    city: CityId,
    store: StoreDep,
    _: Reader,
    lang: ApiLang,
    by: Literal["region", "country"] = "region",
    strategy: StrategyName = None,
    country: Country = None,
    coverage: Annotated[Coverage, Query(description="all: every tie covers a country; sister: only sister-city ties")]
    = "all",
) -> GapReport:
    """Where the city's partner network is thin: per region (or country), its partners, partner
    countries and gap countries with the strategy's priority and peer coverage."""
    node = cities.resolve_city(store, city, country)
    return analysis.city_gaps(store, node.id, by=by, strategy=strategy, lang=lang, coverage=coverage)


@router.get("/{city}/suggestions", response_model=SuggestionReport, responses=CITY_ERRORS)
def suggestions(
    city: CityId,
    store: StoreDep,
    _: Reader,
    lang: ApiLang,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    strategy: StrategyName = None,
    include_home_country: bool = False,
    include_partners: bool = False,
    match: Annotated[bool, Query(description="matching cities (寻找对等城市): rank by similarity in size, "
                                             "tags, port and capital status instead")] = False,
    country: Country = None,
) -> SuggestionReport:
    """Ranked candidate partner cities, each with the reasons (and evidence ids) behind its score."""
    node = cities.resolve_city(store, city, country)
    if match:
        if strategy or include_partners:
            raise InvalidInput("match ranks by similarity alone: it takes no strategy or include_partners",
                               zh="寻找对等城市只按相似度排序:不接受 strategy 或 include_partners 参数。")
        return analysis.city_matches(store, node.id, limit=limit, include_home_country=include_home_country,
                                     lang=lang)
    return analysis.city_suggestions(
        store, node.id, limit=limit, strategy=strategy,
        include_home_country=include_home_country, include_partners=include_partners, lang=lang,
    )
