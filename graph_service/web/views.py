"""Typed view models of the pages: what each template receives, built from the services' results.

A template reads attributes of these dataclasses and nothing else, so what a page shows can be
checked without rendering it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from graph_service.analysis import GapReport, Strategy, SuggestionReport
from graph_service.analysis.features import Reason
from graph_service.analysis.gaps import GapGroup
from graph_service.analysis.strategy import DEFAULT_STRATEGY
from graph_service.i18n import Lang
from graph_service.model import Node, Tier
from graph_service.services import analysis, cities
from graph_service.services.cities import Partnership
from graph_service.store.base import GraphStore

STATUS_ORDER: list[str | None] = ["active", "signed", "negotiating", "proposed", "dormant", "ended", None]
"""How partners are grouped under each tier on the city page; None is an unknown status."""


@dataclass(frozen=True)
class TierSection:
    """One tier's partners, grouped by status in ``STATUS_ORDER``."""

    tier: str
    by_status: list[tuple[str | None, list[Partnership]]]


@dataclass(frozen=True)
class GapCountryView:
    code: str
    name: str
    node: Node | None
    priority: float | None
    peer_coverage: int


@dataclass(frozen=True)
class GapGroupView:
    id: str
    name: str
    region: Node | None
    partners: int
    partner_countries: list[Node]
    gaps: list[GapCountryView]
    no_relations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SuggestionView:
    id: str
    name: str
    node: Node | None
    country: str | None
    score: float
    reasons: list[Reason]


@dataclass
class CityView:
    """Everything the city page shows. ``tiers`` hold the foreign partners; ``territory_ties`` the ties
    with the home country's domestic territories (港澳台交流, titled ``territory_label``) and
    ``home_ties`` those within the home country, each listed apart."""

    city: Node
    country: Node | None
    tiers: list[TierSection]
    partner_count: int
    gaps: list[GapGroupView]
    suggestions: list[SuggestionView]
    strategy: Strategy
    strategies: list[Strategy] = field(default_factory=list)
    matches: list[SuggestionView] = field(default_factory=list)
    territory_ties: list[Partnership] = field(default_factory=list)
    territory_label: str = ""
    home_ties: list[Partnership] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_relations: list[str] = field(default_factory=list)


def tier_sections(partners: list[Partnership]) -> list[TierSection]:
    """Partners by tier (sister first), then by status."""
    grouped: dict[str, dict[str | None, list[Partnership]]] = {t.value: defaultdict(list) for t in Tier}
    for p in partners:
        grouped[p.tier][p.status].append(p)
    return [TierSection(tier, [(s, by_status[s]) for s in STATUS_ORDER if by_status.get(s)])
            for tier, by_status in grouped.items()]


def gap_groups(report: GapReport, nodes: dict[str, Node]) -> list[GapGroupView]:
    def view(group: GapGroup) -> GapGroupView:
        return GapGroupView(
            id=group.id, name=group.name, region=nodes.get(group.id), partners=group.counts.total,
            partner_countries=[nodes[cc] for cc in group.partner_countries if cc in nodes],
            gaps=[GapCountryView(g.country, g.name, nodes.get(g.country), g.priority, g.peer_coverage)
                  for g in group.gap_countries],
            no_relations=[c.name for c in group.no_relations],
        )

    return [view(group) for group in report.groups]


def suggestion_views(report: SuggestionReport, nodes: dict[str, Node]) -> list[SuggestionView]:
    return [SuggestionView(s.id, s.name, nodes.get(s.id), s.country, s.score, s.reasons) for s in report.suggestions]


def city_view(store: GraphStore, city: Node, strategy_name: str | None, suggestions: int = 10,
              lang: Lang = "en", matches: int = 5) -> CityView:
    """The city page: partners, gaps by region, suggestions under one strategy profile (the default
    when none is named; an unknown name is a ``StrategyError``) and matching cities, texts in ``lang``."""
    name = strategy_name or DEFAULT_STRATEGY
    profile = analysis.strategy_or_default(name)
    lists = cities.partner_lists(store, city)
    partners = lists.foreign
    gaps = analysis.city_gaps(store, city.id, by="region", strategy=name, lang=lang)
    ideas = analysis.city_suggestions(store, city.id, limit=suggestions, strategy=name, lang=lang)
    peers = analysis.city_matches(store, city.id, limit=matches, lang=lang)
    wanted = {g.id for g in gaps.groups} | {cc for g in gaps.groups for cc in g.partner_countries}
    wanted |= {x.country for g in gaps.groups for x in g.gap_countries} | {s.id for s in ideas.suggestions}
    wanted |= {s.id for s in peers.suggestions}
    nodes = analysis.analysed_nodes(store, wanted)
    return CityView(
        city=city, country=store.get_node(city.country) if city.country else None, tiers=tier_sections(partners),
        partner_count=len(partners), gaps=gap_groups(gaps, nodes), suggestions=suggestion_views(ideas, nodes),
        matches=suggestion_views(peers, nodes),
        strategy=profile, strategies=[analysis.strategy_or_default(n) for n in analysis.strategy_names()],
        territory_ties=lists.territories, territory_label=lists.label[lang], home_ties=lists.home,
        notes=[*ideas.notes, *gaps.notes], no_relations=[c.name for c in gaps.no_relations],
    )
