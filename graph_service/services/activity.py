"""Follow-up and evaluation (跟踪服务机制, 评估机制, seed 000): timelines, activity indicators and the
list of ties that need attention, for a city, one of its partnerships, or a whole province.

- **Timeline**: every dated lifecycle step of the city's partnerships (proposed … signed, upgraded,
  approved, dormant, ended), every exchange of the city and of its institutions, and every dated link
  of its institutions (a school pairing, an honorary citizenship), by date; filterable by field and year.
- **Indicators**, per partnership: held exchanges per year and field over the last ``years`` years,
  the last exchange, years since signing, and the status.
- **Attention**: ties with no exchange for ``quiet_years`` (3 by default; a tie signed more recently
  is not flagged), proposals and negotiations stalled for over ``stalled_years`` (1), ties marked
  dormant, and stalled steps with no date recorded (their age cannot be told).

Everything reads the analysis projection (one snapshot per store revision), so a province page costs
no query per city. An exchange counts for a partnership when one end is the city or one of its
institutions and the other the partner or one of the partner's institutions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from graph_service.analysis import Projection, projection, province_cities
from graph_service.errors import NotFound
from graph_service.model import (
    PARTNERSHIP_TYPES,
    Edge,
    EdgeType,
    LifecycleStep,
    Node,
    NodeKind,
    Status,
    Tier,
)
from graph_service.services.exchanges import LINKS_TO_CITY, is_held, state_of
from graph_service.store.base import GraphStore

EventKind = Literal["lifecycle", "exchange", "link"]
AttentionCode = Literal["quiet", "never", "stalled", "stalled_undated", "dormant"]
DATED_LINKS = frozenset({EdgeType.PARTNER_SCHOOL, EdgeType.HONORARY_CITIZEN_OF, EdgeType.INVESTS_IN,
                         EdgeType.OPERATES_IN, EdgeType.LOCATED_IN, EdgeType.JURISDICTION_OVER})
STALLABLE = {Status.PROPOSED: "proposed_on", Status.NEGOTIATING: "negotiating_on"}
QUIET_YEARS = 3
STALLED_YEARS = 1
WINDOW_YEARS = 5


@dataclass(frozen=True)
class Event:
    """One thing that happened (or, for a planned exchange, is planned), by date; an exchange recorded
    without a date has ``date == ""`` and comes last.

    ``code`` is the lifecycle step (``proposed`` … ``ended``, ``friendly_signed`` for the start of a
    tie later upgraded, ``upgraded`` for its sister-city signing), the exchange's field, or the link's
    edge type. ``ours`` is the city or its institution, ``other`` the partner, counterpart or link end.
    """

    date: str
    kind: EventKind
    code: str
    edge: Edge
    ours: Node
    other: Node | None

    @property
    def year(self) -> int | None:
        """The event's year; None for an exchange recorded without a date."""
        return int(self.date[:4]) if self.date else None

    @property
    def planned(self) -> bool:
        return self.kind == "exchange" and state_of(self.edge) == "planned"


@dataclass
class Timeline:
    """Events newest first, after the filters; ``fields`` and ``years`` are what the filters offer."""

    events: list[Event]
    fields: list[str]
    years: list[int]
    field: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Attention:
    """A tie that needs a planner's attention, and why (``code``, with the date it turns on)."""

    city: Node
    partner: Node
    edge: Edge
    code: AttentionCode
    since: str | None = None

    @property
    def tier(self) -> str:
        return Tier.of(self.edge.type).value


@dataclass
class TieActivity:
    """The indicators of one partnership (评估): activity by year and field, last exchange, age, status."""

    city: Node
    partner: Node
    edge: Edge
    per_year: dict[int, Counter[str]]
    last_exchange: str | None
    years_since_signing: int | None
    attention: list[Attention] = field(default_factory=list)

    @property
    def tier(self) -> str:
        return Tier.of(self.edge.type).value

    @property
    def recent(self) -> int:
        return sum(sum(c.values()) for c in self.per_year.values())

    def fields(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for counts in self.per_year.values():
            total.update(counts)
        return total


@dataclass
class Activity:
    """Indicators of every partnership of one or more cities over the ``years`` window, and the
    attention list with the thresholds used."""

    years: list[int]
    ties: list[TieActivity]
    attention: list[Attention]
    quiet_years: int
    stalled_years: int


# -- reading the projection ------------------------------------------------------------------------
def _records(proj: Projection, node_id: str, direction: Literal["in", "out"]) -> list[Edge]:
    """The edges leaving (``out``) or reaching (``in``) the node."""
    return [proj.links.record(row[0]) for row in proj.links.edges_of(node_id, direction)]


def _edges(proj: Projection, node_id: str) -> list[Edge]:
    """Every edge touching the node, each once."""
    seen = {e.id: e for e in (*_records(proj, node_id, "out"), *_records(proj, node_id, "in"))}
    return list(seen.values())


LINK_TYPES = frozenset(t.value for t in LINKS_TO_CITY)
NOT_INSTITUTIONS = frozenset({NodeKind.CITY.value, NodeKind.COUNTRY.value, NodeKind.REGION.value})


def institutions(proj: Projection, city_id: str) -> list[Node]:
    """The institutions and people tied to a city (see ``exchanges.LINKS_TO_CITY``)."""
    found = {row[1] for row in proj.links.edges_of(city_id, "in")
             if row[3] in LINK_TYPES and proj.nodes.kind(row[1]) not in (None, *NOT_INSTITUTIONS)}
    return sorted((proj.nodes[i] for i in found), key=lambda n: (n.kind.value, n.name))


def _sides(proj: Projection, city_id: str) -> dict[str, Node]:
    return {city_id: proj.nodes[city_id]} | {n.id: n for n in institutions(proj, city_id)}


def _lifecycle_events(edge: Edge, ours: Node, other: Node) -> list[Event]:
    events = []
    for step in LifecycleStep:
        value = edge.step_date(step)
        if value:
            code = "upgraded" if step is LifecycleStep.SIGNED and edge.friendly_since else step.value
            events.append(Event(value, "lifecycle", code, edge, ours, other))
    if edge.friendly_since:
        events.append(Event(edge.friendly_since, "lifecycle", "friendly_signed", edge, ours, other))
    return events


def city_events(proj: Projection, city_id: str) -> list[Event]:
    """Every event of the city and of its institutions, unsorted (see ``city_timeline``)."""
    sides = _sides(proj, city_id)
    events: list[Event] = []
    seen: set[str] = set()
    for node_id, ours in sides.items():
        for edge in _edges(proj, node_id):
            if edge.id in seen:
                continue
            seen.add(edge.id)
            other_id = edge.dst if edge.src == node_id else edge.src
            other = proj.nodes.get(other_id)
            if edge.type in PARTNERSHIP_TYPES and node_id == city_id and other is not None:
                events += _lifecycle_events(edge, ours, other)
            elif edge.type is EdgeType.EXCHANGE:
                code = edge.field.value if edge.field else "other"
                events.append(Event(edge.date or "", "exchange", code, edge, ours, other))
            elif edge.type in DATED_LINKS and edge.since and other_id not in (proj.country_of(node_id),):
                holder = sides.get(edge.src) or ours
                events.append(Event(edge.since, "link", edge.type.value, edge, holder,
                                    proj.nodes.get(edge.dst if edge.src in sides else edge.src)))
    return events


def filtered(events: list[Event], field_name: str | None, year: int | None) -> Timeline:
    """The events kept by the filters, newest first (undated exchanges last)."""
    fields = sorted({e.code for e in events if e.kind == "exchange"})
    years = sorted({e.year for e in events if e.year is not None}, reverse=True)
    kept = [e for e in events
            if (field_name is None or (e.kind == "exchange" and e.code == field_name)
                or (field_name == "lifecycle" and e.kind == "lifecycle")
                or (field_name == "institutions" and e.kind == "link"))
            and (year is None or e.year == year)]
    kept.sort(key=lambda e: (e.date != "", e.date, e.kind != "lifecycle", e.code, e.edge.id), reverse=True)
    return Timeline(kept, fields, years, field_name, year)


def _city(proj: Projection, city_id: str) -> Node:
    node = proj.nodes.get(city_id)
    if node is None or node.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id[:200]!r}", zh=f"没有编号为“{city_id[:200]}”的城市。")
    return node


def city_timeline(store: GraphStore, city_id: str, *, field: str | None = None, year: int | None = None) -> Timeline:
    """Every event of a city, newest first; ``field`` is an exchange field, ``lifecycle`` or ``institutions``."""
    proj = projection(store)
    _city(proj, city_id)
    return filtered(city_events(proj, city_id), field, year)


def partnership_timeline(store: GraphStore, city_id: str, partner_id: str, *, field: str | None = None,
                         year: int | None = None) -> Timeline:
    """The events of one partnership: its lifecycle, and the exchanges and links between the two
    cities' sides, newest first."""
    proj = projection(store)
    _city(proj, city_id)
    theirs = set(_sides(proj, partner_id)) if partner_id in proj.nodes else set()
    events = [e for e in city_events(proj, city_id) if e.other is not None and e.other.id in theirs]
    return filtered(events, field, year)


# -- indicators and attention ----------------------------------------------------------------------
def _years_between(start: str, today: date) -> int:
    """Whole years from a (possibly partial) ISO date to ``today``."""
    year = int(start[:4])
    month = int(start[5:7]) if len(start) >= 7 else 1
    day = int(start[8:10]) if len(start) >= 10 else 1
    return today.year - year - ((today.month, today.day) < (month, day))


def _years_ago(today: date, years: int) -> str:
    return f"{today.year - years:04d}{today.isoformat()[4:]}"


def _attention(city: Node, partner: Node, edge: Edge, last: str | None, today: date, quiet: int,
               stalled: int) -> list[Attention]:
    status = edge.status
    if status is Status.ENDED:
        return []
    if status is Status.DORMANT:
        return [Attention(city, partner, edge, "dormant", edge.dormant_on)]
    if status in STALLABLE:
        step_date = edge.step_date(LifecycleStep(status.value))
        if step_date is None:
            return [Attention(city, partner, edge, "stalled_undated")]
        if step_date[:len(step_date)] <= _years_ago(today, stalled)[:len(step_date)]:
            return [Attention(city, partner, edge, "stalled", step_date)]
        return []
    cutoff = _years_ago(today, quiet)
    if last is not None:
        return [Attention(city, partner, edge, "quiet", last)] if last < cutoff[: len(last)] else []
    started = edge.since or edge.friendly_since
    if started is None:
        return [Attention(city, partner, edge, "never")]
    return [Attention(city, partner, edge, "never", started)] if started < cutoff[: len(started)] else []


def _tie_activity(proj: Projection, city_id: str, window: list[int], today: date, quiet: int,
                  stalled: int) -> list[TieActivity]:
    city = proj.nodes[city_id]
    ours = set(_sides(proj, city_id))
    out = []
    for partner_id, edge in sorted(proj.partners(city_id, include_ended=True).items(),
                                   key=lambda item: (item[1].type is not EdgeType.SISTER_CITY, proj.name(item[0]))):
        theirs = set(_sides(proj, partner_id))
        held = [e for node in ours for e in _edges(proj, node)
                if is_held(e) and {e.src, e.dst} & theirs and {e.src, e.dst} & ours]
        held = list({e.id: e for e in held}.values())
        per_year: dict[int, Counter[str]] = {y: Counter() for y in window}
        for e in held:
            year = int(str(e.date)[:4])
            if year in per_year:
                per_year[year][e.field.value if e.field else "other"] += 1
        last = max((str(e.date) for e in held), default=None)
        signed = edge.since
        partner = proj.nodes[partner_id]
        out.append(TieActivity(
            city=city, partner=partner, edge=edge, per_year=per_year, last_exchange=last,
            years_since_signing=_years_between(signed, today) if signed and signed <= today.isoformat() else None,
            attention=_attention(city, partner, edge, last, today, quiet, stalled),
        ))
    return out


def activity_for(proj: Projection, cities: Iterable[str], *, years: int, quiet_years: int, stalled_years: int,
                 today: date) -> Activity:
    """Indicators and attention list of the partnerships of ``cities`` (see the module)."""
    window = list(range(today.year - years + 1, today.year + 1))
    ties = [t for c in cities for t in _tie_activity(proj, c, window, today, quiet_years, stalled_years)]
    attention = [a for t in ties for a in t.attention]
    return Activity(window, ties, attention, quiet_years, stalled_years)


def city_activity(store: GraphStore, city_id: str, *, years: int = WINDOW_YEARS, quiet_years: int = QUIET_YEARS,
                  stalled_years: int = STALLED_YEARS, today: date | None = None) -> Activity:
    """The indicators of each partnership of a city, and its attention list."""
    proj = projection(store)
    _city(proj, city_id)
    return activity_for(proj, [city_id], years=years, quiet_years=quiet_years, stalled_years=stalled_years,
                     today=today or date.today())


def province_activity(store: GraphStore, province: str, *, country: str | None = None, years: int = WINDOW_YEARS,
                      quiet_years: int = QUIET_YEARS, stalled_years: int = STALLED_YEARS,
                      today: date | None = None) -> Activity:
    """The indicators and attention list of every city of a province (``NotFound`` for no such province)."""
    proj = projection(store)
    homes = province_cities(proj, province, country.upper() if country else None)
    return activity_for(proj, homes, years=years, quiet_years=quiet_years, stalled_years=stalled_years,
                     today=today or date.today())


def exchanges_in(proj: Projection, cities: Iterable[str], *, year: int | None = None) -> list[Event]:
    """The exchanges (held and planned) of the cities and their institutions, newest first."""
    events: dict[str, Event] = {}
    for city in cities:
        for event in city_events(proj, city):
            if event.kind == "exchange" and (year is None or event.year == year):
                events.setdefault(event.edge.id, event)
    return sorted(events.values(), key=lambda e: (e.date, e.edge.id), reverse=True)


def grouped_by_year(events: Iterable[Event]) -> dict[int, list[Event]]:
    """Dated events by year, newest year first."""
    grouped: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.year is not None:
            grouped[event.year].append(event)
    return dict(sorted(grouped.items(), reverse=True))
