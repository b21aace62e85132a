"""Typed view models of the pages: what each template receives, built from the services' results.

A template reads attributes of these dataclasses and nothing else, so what a page shows can be
checked without rendering it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from graph_service.analysis import GapReport, Strategy, SuggestionReport
from graph_service.analysis.features import Reason
from graph_service.analysis.gaps import Coverage, GapGroup
from graph_service.analysis.strategy import DEFAULT_STRATEGY
from graph_service.errors import InvalidInput
from graph_service.i18n import Lang, display_name, kind_label, t
from graph_service.model import Direction, ExchangeField, LifecycleStep, Node, NodeKind, Status, Tier
from graph_service.policy import policy_for
from graph_service.services import activity, analysis, cities, exchanges, partnerships, places
from graph_service.services.activity import Activity, Event, TieActivity, Timeline
from graph_service.services.cities import Partnership
from graph_service.services.institutions import INSTITUTION_KINDS
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


def _blank(value: object) -> object:
    return None if value == "" else value


TIMELINE_FIELDS = frozenset({*(f.value for f in ExchangeField), "lifecycle", "institutions"})
"""What the timeline can be filtered by: an exchange field, the partnership steps, or institutions."""


def _timeline_field(value: object) -> object:
    value = _blank(value)
    if value is not None and value not in TIMELINE_FIELDS:
        raise ValueError(f"field must be one of {', '.join(sorted(TIMELINE_FIELDS))}")
    return value


class TimelineFilter(BaseModel):
    """The timeline's filters, from the page's query: an exchange field (or ``lifecycle`` or
    ``institutions``) and a year; blank means all."""

    field: Annotated[str | None, BeforeValidator(_timeline_field)] = None
    year: Annotated[Annotated[int, Field(ge=1000, le=2999)] | None, BeforeValidator(_blank)] = None


def timeline_filter(field: Annotated[str | None, Query(max_length=20)] = None,
                    year: Annotated[str | None, Query(max_length=4)] = None) -> TimelineFilter:
    """The timeline filters of a page's query (``InvalidInput``, a 422 page, for an unknown field or year)."""
    try:
        return TimelineFilter.model_validate({"field": field, "year": year})
    except ValidationError as exc:
        raise InvalidInput(f"timeline filter: {exc.errors()[0]['msg']}",
                           zh="大事记筛选条件无效:领域或年份不正确。") from None


def activity_filter(quiet: Annotated[str | None, Query(max_length=2)] = None,
                    stalled: Annotated[str | None, Query(max_length=2)] = None) -> ActivityFilter:
    """The indicator thresholds of a page's query (``InvalidInput`` outside 1 to 30 years)."""
    try:
        return ActivityFilter.model_validate({"quiet": quiet, "stalled": stalled})
    except ValidationError as exc:
        raise InvalidInput(f"thresholds: {exc.errors()[0]['msg']}", zh="年数应在 1 至 30 之间。") from None


class ActivityFilter(BaseModel):
    """The thresholds of the indicators and the attention list, from the page's query."""

    quiet: Annotated[int, BeforeValidator(lambda v: _blank(v) or activity.QUIET_YEARS), Field(ge=1, le=30)] = \
        activity.QUIET_YEARS
    stalled: Annotated[int, BeforeValidator(lambda v: _blank(v) or activity.STALLED_YEARS), Field(ge=1, le=30)] = \
        activity.STALLED_YEARS


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
    coverage: Coverage = "all"
    activity: Activity | None = None
    timeline: Timeline | None = None
    institutions: list[Node] = field(default_factory=list)


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
              lang: Lang = "en", matches: int = 5, *, coverage: Coverage = "all",
              timeline: TimelineFilter | None = None, thresholds: ActivityFilter | None = None) -> CityView:
    """The city page: partners, gaps by region and suggestions under one strategy profile (the default
    when none is named; an unknown name is a ``StrategyError``), matching cities, indicators, attention
    list, timeline and institutions; texts in ``lang``."""
    name = strategy_name or DEFAULT_STRATEGY
    profile = analysis.strategy_or_default(name)
    lists = cities.partner_lists(store, city)
    partners = lists.foreign
    gaps = analysis.city_gaps(store, city.id, by="region", strategy=name, lang=lang, coverage=coverage)
    ideas = analysis.city_suggestions(store, city.id, limit=suggestions, strategy=name, lang=lang)
    peers = analysis.city_matches(store, city.id, limit=matches, lang=lang)
    wanted = {g.id for g in gaps.groups} | {cc for g in gaps.groups for cc in g.partner_countries}
    wanted |= {x.country for g in gaps.groups for x in g.gap_countries} | {s.id for s in ideas.suggestions}
    wanted |= {s.id for s in peers.suggestions}
    nodes = analysis.analysed_nodes(store, wanted)
    timeline = timeline or TimelineFilter()
    thresholds = thresholds or ActivityFilter()
    return CityView(
        city=city, country=store.get_node(city.country) if city.country else None, tiers=tier_sections(partners),
        partner_count=len(partners), gaps=gap_groups(gaps, nodes), suggestions=suggestion_views(ideas, nodes),
        matches=suggestion_views(peers, nodes),
        strategy=profile, strategies=[analysis.strategy_or_default(n) for n in analysis.strategy_names()],
        territory_ties=lists.territories, territory_label=lists.label[lang], home_ties=lists.home,
        notes=[*ideas.notes, *gaps.notes], no_relations=[c.name for c in gaps.no_relations], coverage=coverage,
        activity=activity.city_activity(store, city.id, quiet_years=thresholds.quiet,
                                        stalled_years=thresholds.stalled),
        timeline=activity.city_timeline(store, city.id, field=timeline.field, year=timeline.year),
        institutions=exchanges.institutions_of(store, city.id),
    )


@dataclass
class PartnershipView:
    """The page of one partnership: the tie, its dated steps, indicators, timeline and exchanges."""

    tie: partnerships.Tie
    steps: list[tuple[LifecycleStep, str | None]]
    activity: TieActivity | None
    years: list[int]
    timeline: Timeline
    exchanges: list[Event]
    filters: TimelineFilter


def partnership_view(store: GraphStore, city_id: str, partner_id: str, filters: TimelineFilter) -> PartnershipView:
    tie = partnerships.tie(store, city_id, partner_id)
    found = activity.city_activity(store, city_id)
    mine = next((a for a in found.ties if a.partner.id == partner_id), None)
    everything = activity.partnership_timeline(store, city_id, partner_id)
    return PartnershipView(
        tie=tie, steps=[(step, tie.edge.step_date(step)) for step in LifecycleStep], activity=mine,
        years=found.years, timeline=activity.partnership_timeline(store, city_id, partner_id, field=filters.field,
                                                                  year=filters.year),
        exchanges=[e for e in everything.events if e.kind == "exchange"], filters=filters,
    )


@dataclass(frozen=True)
class Choices:
    """The options of the forms' select boxes, labelled in the page's language."""

    tiers: list[tuple[str, str]]
    statuses: list[tuple[str, str]]
    fields: list[tuple[str, str]]
    directions: list[tuple[str, str]]
    states: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    links: list[tuple[str, str]]
    countries: list[tuple[str, str]]


def choices(store: GraphStore, lang: Lang, home_country: str | None = "CN") -> Choices:
    """The forms' options; countries are named as the home country's policy names them (Taiwan,
    Hong Kong and Macao as parts of China for a Chinese city), the home country itself left out."""
    policy = policy_for(home_country)
    countries = [n for n in store.find_nodes(kind=NodeKind.COUNTRY, limit=400) if n.id != home_country]
    labels = [(n.id, policy.country_name(n.id, lang) or display_name(n, lang)) for n in countries]
    return Choices(
        tiers=[(tier.value, t(f"tier_{tier.value}", lang)) for tier in Tier],
        statuses=[(s.value, t(s.value, lang)) for s in Status],
        fields=[(f.value, t(f.value, lang)) for f in ExchangeField],
        directions=[(d.value, t(d.value, lang)) for d in Direction],
        states=[("held", t("held", lang)), ("planned", t("planned", lang))],
        kinds=[(k.value, kind_label(k.value, lang)) for k in INSTITUTION_KINDS],
        links=[("operates_in", t("operates_in", lang)), ("invests_in", t("invests_in", lang))],
        countries=sorted(((code, f"{label} ({code})") for code, label in labels), key=lambda c: c[1]),
    )


TimelineQuery = Annotated[TimelineFilter, Depends(timeline_filter)]
ActivityQuery = Annotated[ActivityFilter, Depends(activity_filter)]


@dataclass
class ProvinceCity:
    """A city of the province and its partners."""

    city: Node
    partners: list[Partnership]

    def count(self, tier: str) -> int:
        return sum(1 for p in self.partners if p.tier == tier)


@dataclass
class ProvinceView:
    """Everything the province page shows: its cities and their partners, gaps by region for the whole
    province, indicators and the attention list. ``named_by`` is a member city whose ``admin1`` is the
    province, to name it in the page's language."""

    name: str
    node: Node | None
    named_by: Node | None
    cities: list[ProvinceCity]
    gaps: list[GapGroupView]
    strategy: Strategy
    strategies: list[Strategy]
    coverage: Coverage
    activity: Activity
    no_relations: list[str] = field(default_factory=list)

    @property
    def with_partners(self) -> list[ProvinceCity]:
        return [c for c in self.cities if c.partners]


def province_view(store: GraphStore, name: str, *, country: str | None, strategy_name: str | None,
                  coverage: Coverage, thresholds: ActivityFilter, lang: Lang = "en") -> ProvinceView:
    """The province page (``NotFound`` for a name that is no province or state). A Chinese name
    (广西, 广西壮族自治区) names the province as the data does (Guangxi)."""
    name = places.province_name(name, country)
    strategy = strategy_name or DEFAULT_STRATEGY
    gaps = analysis.province_gaps(store, name, country=country, strategy=strategy, coverage=coverage, lang=lang)
    members = gaps.city.members
    nodes = store.get_nodes(members)
    rows = [ProvinceCity(nodes[m], cities.partners_of(store, m)) for m in members if m in nodes]
    rows.sort(key=lambda r: (-len(r.partners), r.city.name))
    wanted = {g.id for g in gaps.groups} | {cc for g in gaps.groups for cc in g.partner_countries}
    wanted |= {x.country for g in gaps.groups for x in g.gap_countries}
    province_node = next((r.city for r in rows if r.city.level is not None and r.city.level.value == "province"), None)
    named_by = next((r.city for r in rows if r.city.admin1 and r.city.admin1.casefold() == name.casefold()), None)
    return ProvinceView(
        name=name, node=province_node, named_by=named_by, cities=rows, gaps=gap_groups(gaps, store.get_nodes(wanted)),
        strategy=analysis.strategy_or_default(strategy),
        strategies=[analysis.strategy_or_default(n) for n in analysis.strategy_names()], coverage=coverage,
        activity=activity.province_activity(store, name, country=country, quiet_years=thresholds.quiet,
                                            stalled_years=thresholds.stalled),
        no_relations=[c.name for c in gaps.no_relations],
    )
