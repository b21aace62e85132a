"""Partner gaps: per region (continents, blocs, strategy groups) or per country, where a home city or
a home set (a province's cities) has partners, and which countries are still blank.

Each gap country carries the strategy's priority and its *peer coverage*: how many other cities of
the home country already have a partner there (a gap that peers have shown can be filled).

The home country's policy (``graph_service.policy``) decides what is foreign and what may be a gap.
For a Chinese home city, partners in China or in Taiwan, Hong Kong and Macao are not foreign: they are
listed apart (``domestic``, 港澳台交流) and never counted as partners of a region or country; gap
countries are only countries with diplomatic relations; the countries without relations and the
territories of each group are listed apart (``no_relations``, ``territories``).

The ``model_dump()`` of ``GapReport`` is the ``gaps --json`` contract (DESIGN §5)::

    {"city": {"id", "name", "country"}, "by": "region", "strategy": name | null,
     "groups": [{"id", "name", "partners": [{"id", "name", "country", "tier", "status", ...}],
                 "counts": {"total", "by_tier", "by_status"}, "partner_countries": [cc],
                 "gap_countries": [{"country", "name", "priority", "peer_coverage", "peers"}],
                 "no_relations": [{"country", "name"}], "territories": [{"country", "name"}]}],
     "domestic": {"label", "partners": [...]}, "no_relations": [{"country", "name"}], "notes": [text]}

Names and notes are in the language asked for (``lang``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Literal

from pydantic import BaseModel, Field

from graph_service.analysis.naming import NodeNames
from graph_service.analysis.projection import Projection
from graph_service.analysis.reasons import render
from graph_service.analysis.strategy import Strategy
from graph_service.errors import InvalidInput, NotFound
from graph_service.i18n import Lang, continent_label, display_name, t
from graph_service.model import (
    CONTINENT_NAMES,
    CityLevel,
    CityRef,
    EdgeType,
    Node,
    NodeKind,
    Status,
    Tier,
    continent_region_id,
)
from graph_service.policy import Policy, policy_for
from graph_service.text import normalise


class PartnerRef(BaseModel):
    id: str
    name: str
    name_zh: str | None = None
    country: str | None = None
    tier: str
    status: str | None = None
    since: str | None = None
    home: str = Field(description="the home city this partner belongs to")
    demo: bool = Field(default=False, description="an invented (demo) partnership or partner, not a real one")


class PartnerCounts(BaseModel):
    total: int = 0
    by_tier: dict[str, int] = Field(default_factory=dict)
    by_status: dict[str, int] = Field(default_factory=dict, description="'unknown' when status is not set")


class GapCountry(BaseModel):
    country: str
    name: str
    name_zh: str | None = None
    priority: float | None = Field(description="the strategy's priority; null without a strategy")
    priority_source: str | None = None
    peer_coverage: int
    peers: list[str] = Field(default_factory=list, description="up to 10 peer city ids with partners there")


class CountryName(BaseModel):
    """A country listed apart by the home-country policy (no diplomatic relations, a territory)."""

    country: str
    name: str


class GapGroup(BaseModel):
    id: str
    name: str
    kind: Literal["continent", "bloc", "strategy", "country"]
    weight: float | None = None
    partners: list[PartnerRef] = Field(description="foreign partners in the group's countries")
    counts: PartnerCounts
    partner_countries: list[str]
    gap_countries: list[GapCountry] = Field(
        description="countries the home city's cities may partner with, without a partner yet")
    no_relations: list[CountryName] = Field(default_factory=list, description="no diplomatic relations: never gaps")
    territories: list[CountryName] = Field(default_factory=list, description="dependent or disputed: never gaps")


class DomesticTies(BaseModel):
    """Ties within the home country, its domestic territories included (港澳台交流 for China): listed
    apart, never counted as foreign partners."""

    label: str
    partners: list[PartnerRef] = Field(default_factory=list)


class GapReport(BaseModel):
    city: CityRef
    by: Literal["region", "country"]
    strategy: str | None = None
    coverage: Literal["all", "sister"] = Field(default="all", description="which ties count as coverage")
    groups: list[GapGroup]
    domestic: DomesticTies
    no_relations: list[CountryName] = Field(
        default_factory=list, description="every country without diplomatic relations with the home country")
    notes: list[str] = Field(default_factory=list)


Coverage = Literal["all", "sister"]
"""Which ties count as covering a country: every tie, or only formal sister-city ties."""


def gap_report(
    proj: Projection,
    home: str | list[str],
    by: Literal["region", "country"] = "region",
    strategy: Strategy | None = None,
    label: str | None = None,
    lang: Lang = "en",
    coverage: Coverage = "all",
) -> GapReport:
    """Where the partner network of ``home`` (a city id, or a list of ids) is thin, by region or country.

    With ``coverage="sister"`` only sister-city ties cover a country, so a country reached by
    friendly-exchange ties alone stays a gap (seed 004 lists Japan among Nanning's gaps while a
    friendly-exchange tie with Uki exists).

    Raises ``NotFound`` when an id is not a city, ``InvalidInput`` for an unknown ``by`` or ``coverage``.
    """
    if by not in ("region", "country"):
        raise InvalidInput(f"--by must be 'region' or 'country', not {by!r}",
                           zh=f"分组方式应为 region(按地区)或 country(按国家),而不是“{by}”。")
    if coverage not in ("all", "sister"):
        raise InvalidInput(f"coverage must be 'all' or 'sister', not {str(coverage)[:40]!r}",
                           zh=f"覆盖口径应为 all(所有关系)或 sister(仅友好城市),而不是“{str(coverage)[:40]}”。")
    homes = [home] if isinstance(home, str) else list(dict.fromkeys(home))
    if not homes:
        raise NotFound("no home city given", zh="未指定城市。")
    for h in homes:
        node = proj.nodes.get(h)
        if node is None or node.kind is not NodeKind.CITY:
            raise NotFound(f"no city with id {h!r}", zh=f"没有编号为“{h}”的城市。")
    home_cc = Counter(proj.country_of(h) for h in homes if proj.country_of(h)).most_common(1)
    home_country = home_cc[0][0] if home_cc else None
    policy = policy_for(home_country)
    names = NodeNames(proj.nodes, policy)
    every = _partners(proj, homes)
    partners = [p for p in every if policy.is_foreign(p.country)]
    domestic = [p for p in every if p.country and not policy.is_foreign(p.country)]
    covered = {p.country for p in partners if p.country and p.status != Status.ENDED.value
               and (coverage == "all" or p.tier == Tier.SISTER.value)}
    peers = _peer_coverage(proj, policy, set(homes))
    if by == "region":
        groups = _region_groups(proj, strategy, lang)
    else:
        groups = _country_groups(proj, partners, peers, strategy, policy, names, lang)
    out = []
    for gid, name, kind, weight, members in groups:
        inside = [p for p in partners if p.country in members]
        listed = sorted(cc for cc in members if cc in proj.countries)
        gaps = [_gap_country(proj, cc, peers.get(cc, []), strategy, names, lang)
                for cc in listed if cc not in covered and policy.is_eligible(cc)]
        gaps.sort(key=lambda g: (-(g.priority or 0.0), -g.peer_coverage, g.name))
        out.append(GapGroup(
            id=gid, name=name, kind=kind, weight=weight, partners=inside, counts=_counts(inside),
            partner_countries=sorted({p.country for p in inside if p.country in covered}), gap_countries=gaps,
            no_relations=[CountryName(country=cc, name=names.name(cc, lang))
                          for cc in listed if policy.classify(cc) == "no_relations"],
            territories=[CountryName(country=cc, name=names.name(cc, lang))
                         for cc in listed if policy.classify(cc) == "territory"],
        ))
    no_relations = [CountryName(country=cc, name=names.name(cc, lang))
                    for cc in sorted(proj.countries.nodes) if policy.classify(cc) == "no_relations"]
    label_text = policy.domestic.label.get(lang) if policy.domestic else t("domestic_ties", lang)
    return GapReport(city=_home_ref(proj, homes, label, home_country), by=by,
                     strategy=strategy.name if strategy else None, coverage=coverage, groups=out,
                     domestic=DomesticTies(label=label_text, partners=domestic), no_relations=no_relations,
                     notes=_notes(proj, policy, domestic, no_relations, names, lang, partners))


def _notes(proj: Projection, policy: Policy, domestic: list[PartnerRef], no_relations: list[CountryName],
           names: NodeNames, lang: Lang, partners: list[PartnerRef]) -> list[str]:
    notes: list[tuple[str, dict[str, Any]]] = []
    if not proj.countries.nodes:
        notes.append(("note.no_geography", {}))
    invented = [p.id for p in partners if p.demo]
    if invented:
        notes.append(("note.demo_partners", {"n": len(invented), "partners": invented}))
    territories = sorted({p.country for p in domestic if p.country in policy.domestic_codes})
    if territories:
        ties = sum(1 for p in domestic if p.country in policy.domestic_codes)
        notes.append(("note.domestic_ties", {"n": ties, "territories": territories}))
    if no_relations and policy.country:
        notes.append(("note.no_relations", {"countries": [c.country for c in no_relations],
                                            "home_country": policy.country}))
    return [render(kind, params, lang, names.label) for kind, params in notes]


def _home_ref(proj: Projection, homes: list[str], label: str | None, country: str | None) -> CityRef:
    if len(homes) == 1 and label is None:
        return CityRef.of(proj.nodes[homes[0]], proj.country_of(homes[0]))
    return CityRef(id=None, name=label or ", ".join(proj.name(h) for h in homes), country=country, members=homes)


def _partners(proj: Projection, homes: list[str]) -> list[PartnerRef]:
    rows = []
    for h in homes:
        for pid, edge in sorted(proj.partners(h, include_ended=True).items()):
            if pid in homes:
                continue
            node = proj.nodes[pid]
            rows.append(PartnerRef(
                id=pid, name=node.name, name_zh=node.name_zh, country=proj.country_of(pid),
                tier=Tier.of(edge.type).value, status=edge.status.value if edge.status else None, since=edge.since,
                home=h, demo=edge.demo or node.demo,
            ))
    return rows


def _counts(partners: list[PartnerRef]) -> PartnerCounts:
    return PartnerCounts(
        total=len(partners),
        by_tier=dict(Counter(p.tier for p in partners)),
        by_status=dict(Counter(p.status or "unknown" for p in partners)),
    )


def _peer_coverage(proj: Projection, policy: Policy, homes: set[str]) -> dict[str, list[str]]:
    """Country → the other home-country cities that have a (non-ended) partner there, sorted.

    Peers are cities of the home country's own code (mainland cities for China); a partner in a domestic
    territory is no foreign partner and covers nothing."""
    home_country = policy.country
    if not home_country:
        return {}

    def build() -> dict[str, list[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for city in proj.cities.by_country.get(home_country, []):
            for pid in proj.partners(city):
                cc = proj.country_of(pid)
                if cc and policy.is_foreign(cc):
                    found[cc].add(city)
        return {cc: sorted(ids) for cc, ids in found.items()}

    by_country = proj.memo(("peers", home_country), build)
    return {cc: [c for c in ids if c not in homes] for cc, ids in by_country.items()}


def _gap_country(proj: Projection, cc: str, peers: list[str], strategy: Strategy | None, names: NodeNames,
                 lang: Lang) -> GapCountry:
    priority, source = None, None
    if strategy is not None:
        if cc in strategy.gap_countries:
            priority, source = strategy.gap_countries[cc], "gap_countries"
        else:
            weight, group = strategy.country_priority(cc, proj.regions.regions_of(cc))
            priority, source = weight, (f"group:{group}" if group else None)
    return GapCountry(country=cc, name=names.name(cc, lang), name_zh=names.name(cc, "zh"), priority=priority,
                      priority_source=source, peer_coverage=len(peers), peers=peers[:10])


Group = tuple[str, str, str, float | None, set[str]]


def _region_groups(proj: Projection, strategy: Strategy | None, lang: Lang) -> list[Group]:
    groups: list[Group] = []
    regions = dict(proj.regions.members)
    if not any(r.startswith("continent:") for r in regions):
        for cc, node in proj.countries.nodes.items():
            if node.continent:
                regions.setdefault(continent_region_id(node.continent), set()).add(cc)
    for rid, members in regions.items():
        region = proj.nodes.get(rid)
        code = rid.removeprefix("continent:")
        if region is not None:
            name = display_name(region, lang)
        else:
            name = continent_label(code, lang) if code in CONTINENT_NAMES else rid
        weight = None
        if strategy is not None:
            weight = max((g.weight for g in strategy.groups if rid in g.regions), default=0.0)
        groups.append((rid, name, "continent" if rid.startswith("continent:") else "bloc", weight, set(members)))
    for g in strategy.groups if strategy else []:
        members = set(g.countries).union(*(regions.get(r, set()) for r in g.regions))
        name = (g.name_zh if lang == "zh" else None) or g.name or g.id
        groups.append((f"strategy:{g.id}", name, "strategy", g.weight, members))
    order = {"strategy": 0, "bloc": 1, "continent": 2}
    groups.sort(key=lambda g: (order[g[2]], -(g[3] or 0.0), g[0]))
    return groups


def _country_groups(
    proj: Projection, partners: list[PartnerRef], peers: dict[str, list[str]], strategy: Strategy | None,
    policy: Policy, names: NodeNames, lang: Lang,
) -> list[Group]:
    wanted = {p.country for p in partners if p.country} | set(peers)
    if strategy is not None:
        wanted |= set(strategy.gap_countries)
        wanted |= {cc for cc in proj.countries.nodes
                   if strategy.country_priority(cc, proj.regions.regions_of(cc))[0] > 0}
    groups: list[Group] = []
    for cc in sorted(cc for cc in wanted if policy.is_foreign(cc)):
        groups.append((cc, names.name(cc, lang), "country", None, {cc}))
    return groups


def province_cities(proj: Projection, name: str, country: str | None = None) -> list[str]:
    """Every city of one province: cities whose ``admin1`` is ``name``, a province-level City node
    named ``name``, and the cities LOCATED_IN it. Raises ``NotFound`` when none match."""
    wanted = {normalise(name)}

    def names(node: Node) -> set[str]:
        return {normalise(n) for n in [node.name, node.name_zh or "", *node.alt_names] if n}

    in_country = [c for c in proj.cities.ids if not country or proj.country_of(c) == country]
    provinces = [c for c in in_country if proj.nodes[c].level is CityLevel.PROVINCE and wanted & names(proj.nodes[c])]
    for p in provinces:
        wanted |= names(proj.nodes[p])
    found = provinces + [c for c in in_country if (admin1 := proj.nodes[c].admin1) and normalise(admin1) in wanted]
    for p in provinces:
        found.extend(src for src, t in proj.in_edges(p)
                     if t == EdgeType.LOCATED_IN.value and proj.nodes[src].kind is NodeKind.CITY)
    found = list(dict.fromkeys(found))
    if not found:
        where = f" in {country}" if country else ""
        raise NotFound(f"no province or state named {name!r}{where}", zh=f"没有名为“{name}”的省份或州。")
    return found
