"""The information base over JSON: record a partnership, set its lifecycle, upgrade it, delete it;
record exchanges and institutions; read a city's timeline, indicators and attention list, a
province's indicators, and the annual report; download the city's workbook.

Writes take the same fields as the planner's forms (strings or numbers; blank means "not given") and
refuse bad input with a 422 whose ``details.fields`` lists each field's problem (a ``code``, its
``params`` and a ``message``), in the caller's language (``lang``). Writes need the editor role.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel

from graph_service.api.deps import ApiLang, Editor, Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.schemas import EdgeOut
from graph_service.i18n import attention_text, event_text
from graph_service.model import Node
from graph_service.services import activity, exchanges, institutions, partnerships, reports

router = APIRouter(tags=["information base"])

CityId = Annotated[str, Path(min_length=1, max_length=200, description="a city id")]
PartnerId = Annotated[str, Path(min_length=1, max_length=200, description="the partner city's id")]
Fields = Annotated[dict[str, Any], Body(description="the fields of the planner's form (see the module docs)")]
WRITE = responses(401, 403, 404, 409, 422)
READ = responses(401, 403, 404, 422)
Years = Annotated[int, Query(ge=1, le=30)]


class TieWritten(BaseModel):
    city: str
    partner: Node
    edge: EdgeOut
    revision: int


class ExchangeWritten(BaseModel):
    ours: str
    counterpart: Node
    edge: EdgeOut
    revision: int


class InstitutionWritten(BaseModel):
    node: Node
    nodes: list[Node]
    edges: list[EdgeOut]
    revision: int


class EventOut(BaseModel):
    date: str
    kind: str
    code: str
    text: str
    planned: bool
    edge_id: str
    ours: str
    other: str | None


class TimelineOut(BaseModel):
    city: str
    fields: list[str]
    years: list[int]
    events: list[EventOut]


class AttentionOut(BaseModel):
    city: str
    partner: str
    partner_name: str
    tier: str
    code: str
    since: str | None
    text: str


class TieActivityOut(BaseModel):
    city: str
    partner: str
    partner_name: str
    tier: str
    status: str | None
    years_since_signing: int | None
    last_exchange: str | None
    per_year: dict[int, dict[str, int]]


class ActivityOut(BaseModel):
    years: list[int]
    quiet_years: int
    stalled_years: int
    ties: list[TieActivityOut]
    attention: list[AttentionOut]


class AnnualOut(BaseModel):
    year: int
    scope: str
    new_ties: list[EventOut]
    exchanges: list[EventOut]
    by_field: dict[str, int]
    by_country: dict[str, int]
    ended: list[EventOut]
    attention: list[AttentionOut]


def _tie(tie: partnerships.Tie, store) -> TieWritten:
    return TieWritten(city=tie.city.id, partner=tie.partner, edge=EdgeOut.of(tie.edge), revision=store.revision())


def _event(event: activity.Event, lang) -> EventOut:
    return EventOut(date=event.date, kind=event.kind, code=event.code, text=event_text(event, lang),
                    planned=event.planned, edge_id=event.edge.id, ours=event.ours.id,
                    other=event.other.id if event.other else None)


def _attention(item: activity.Attention, lang, stalled: int) -> AttentionOut:
    return AttentionOut(city=item.city.id, partner=item.partner.id, partner_name=item.partner.name, tier=item.tier,
                        code=item.code, since=item.since, text=attention_text(item, lang, stalled))


def _activity(found: activity.Activity, lang) -> ActivityOut:
    return ActivityOut(
        years=found.years, quiet_years=found.quiet_years, stalled_years=found.stalled_years,
        ties=[TieActivityOut(city=a.city.id, partner=a.partner.id, partner_name=a.partner.name, tier=a.tier,
                             status=a.edge.status.value if a.edge.status else None,
                             years_since_signing=a.years_since_signing, last_exchange=a.last_exchange,
                             per_year={y: dict(c) for y, c in a.per_year.items()}) for a in found.ties],
        attention=[_attention(a, lang, found.stalled_years) for a in found.attention],
    )


@router.post("/cities/{city}/partnerships", response_model=TieWritten, status_code=201, responses=WRITE)
def record_partnership(city: CityId, data: Fields, store: StoreDep, who: Editor) -> TieWritten:
    """Record a partnership: ``partner`` (a name in any language) or ``partner_id``, or ``partner_mode=new``
    with ``city_name``, ``city_country`` …; ``tier``; ``status``; the lifecycle dates; ``notes``, ``source``."""
    return _tie(partnerships.record_partnership(store, city, data, actor=who.actor), store)


@router.put("/cities/{city}/partnerships/{partner}", response_model=TieWritten, responses=WRITE)
def update_partnership(city: CityId, partner: PartnerId, data: Fields, store: StoreDep, who: Editor) -> TieWritten:
    """Set the partnership's status, lifecycle dates, notes and source (a field left out is cleared)."""
    return _tie(partnerships.update_partnership(store, city, partner, data, actor=who.actor), store)


@router.post("/cities/{city}/partnerships/{partner}/upgrade", response_model=TieWritten, responses=WRITE)
def upgrade_partnership(city: CityId, partner: PartnerId, data: Fields, store: StoreDep, who: Editor) -> TieWritten:
    """Upgrade a friendly-exchange tie to a sister-city tie (``since``: the agreement's date), keeping its history."""
    return _tie(partnerships.upgrade_partnership(store, city, partner, data, actor=who.actor), store)


@router.delete("/cities/{city}/partnerships/{partner}", responses=WRITE)
def delete_partnership(city: CityId, partner: PartnerId, store: StoreDep, who: Editor) -> dict[str, int]:
    """Delete the tie; the exchanges between the two cities stay."""
    deleted = partnerships.delete_partnership(store, city, partner, actor=who.actor)
    return {"deleted": deleted, "revision": store.revision()}


@router.post("/cities/{city}/exchanges", response_model=ExchangeWritten, status_code=201, responses=WRITE)
def record_exchange(city: CityId, data: Fields, store: StoreDep, who: Editor) -> ExchangeWritten:
    """Record an exchange: ``counterpart`` or ``counterpart_id``, ``field``, ``date``, ``title``, ``direction``,
    ``state`` (held or planned), ``participants``, ``head_of_delegation``, ``outcome``, ``notes``, ``source``."""
    found = exchanges.record_exchange(store, city, data, actor=who.actor)
    return ExchangeWritten(ours=found.ours.id, counterpart=found.counterpart, edge=EdgeOut.of(found.edge),
                           revision=store.revision())


@router.post("/cities/{city}/institutions", response_model=InstitutionWritten, status_code=201, responses=WRITE)
def record_institution(city: CityId, data: Fields, store: StoreDep, who: Editor) -> InstitutionWritten:
    """Record a school (and its partner school), an honorary citizen, an enterprise, a consulate or an
    organisation of the city, with its links."""
    made = institutions.record_institution(store, city, data, actor=who.actor)
    return InstitutionWritten(node=made.node, nodes=made.nodes, edges=[EdgeOut.of(e) for e in made.edges],
                              revision=store.revision())


@router.get("/cities/{city}/timeline", response_model=TimelineOut, responses=READ)
def timeline(city: CityId, store: StoreDep, _: Reader, lang: ApiLang,
             field: Annotated[str | None, Query(max_length=20)] = None,
             year: Annotated[int | None, Query(ge=1000, le=2999)] = None) -> TimelineOut:
    """Every lifecycle step, exchange and institution link of the city, newest first."""
    found = activity.city_timeline(store, city, field=field, year=year)
    return TimelineOut(city=city, fields=found.fields, years=found.years,
                       events=[_event(e, lang) for e in found.events])


@router.get("/cities/{city}/activity", response_model=ActivityOut, responses=READ)
def city_activity(city: CityId, store: StoreDep, _: Reader, lang: ApiLang, years: Years = activity.WINDOW_YEARS,
                  quiet_years: Years = activity.QUIET_YEARS, stalled_years: Years = activity.STALLED_YEARS
                  ) -> ActivityOut:
    """Indicators per partnership and the attention list."""
    return _activity(activity.city_activity(store, city, years=years, quiet_years=quiet_years,
                                            stalled_years=stalled_years), lang)


@router.get("/provinces/{name}/activity", response_model=ActivityOut, responses=READ)
def province_activity(name: Annotated[str, Path(min_length=1, max_length=200)], store: StoreDep, _: Reader,
                      lang: ApiLang, country: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
                      years: Years = activity.WINDOW_YEARS, quiet_years: Years = activity.QUIET_YEARS,
                      stalled_years: Years = activity.STALLED_YEARS) -> ActivityOut:
    """Indicators and the attention list of every city of a province."""
    return _activity(activity.province_activity(store, name, country=country, years=years, quiet_years=quiet_years,
                                                stalled_years=stalled_years), lang)


@router.get("/cities/{city}/annual", response_model=AnnualOut, responses=READ)
def annual(city: CityId, store: StoreDep, _: Reader, lang: ApiLang,
           year: Annotated[int | None, Query(ge=1900, le=2999)] = None) -> AnnualOut:
    """The annual report (年度友城工作报告) of the city for ``year`` (this year by default)."""
    report = reports.annual_report(store, reports.city_scope(store, city), year or date.today().year)
    return AnnualOut(year=report.year, scope=report.scope.label, new_ties=[_event(e, lang) for e in report.new_ties],
                     exchanges=[_event(e, lang) for e in report.exchanges], by_field=dict(report.by_field),
                     by_country=dict(report.by_country), ended=[_event(e, lang) for e in report.ended],
                     attention=[_attention(a, lang, report.stalled_years) for a in report.attention])


@router.get("/cities/{city}/report.xlsx", response_class=Response, responses={
    200: {"content": {reports.XLSX: {}}, "description": "the city's workbook"}, **READ})
def workbook(city: CityId, store: StoreDep, _: Reader, lang: ApiLang) -> Response:
    """The city's information base as an Excel workbook."""
    scope = reports.city_scope(store, city)
    return Response(reports.workbook(store, scope, lang), media_type=reports.XLSX,
                    headers={"Content-Disposition": 'attachment; filename="report.xlsx"'})

