"""Recording a city's partnerships: a new tie (with an existing or a new partner city), its lifecycle
dates, the upgrade of a friendly-exchange tie to a sister-city tie, and deleting a tie.

Every write is one store transaction (``GraphStore.write``) audited under the editor's key id. Input
comes as the fields of the planner's form (strings; blanks mean "not given") or the same fields as
JSON, and every broken rule is reported at once as ``InvalidFields`` (see ``inputs``). The rules
beyond the fields' own: a partner is a known city (or a new one with name and country), never the
city itself, and not a partner already; lifecycle steps come in order; a step that has happened
cannot lie in the future, and a signed tie cannot carry a future signing date.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="nn", kind="City", name="Nanning", country="CN")])
>>> tie = record_partnership(store, "nn", {"partner_mode": "new", "city_name": "Uki", "city_country": "JP",
...                                        "tier": "friendly", "status": "signed", "since": "2015"}, actor="doc")
>>> tie.edge.type.value, tie.partner.id
('FRIENDLY_EXCHANGE', 'city:jp:uki')
>>> upgrade_partnership(store, "nn", "city:jp:uki", {"since": "2020-10-01"}, actor="doc").edge.friendly_since
'2015'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.errors import Ambiguous, FieldProblem, InvalidFields, NotFound
from graph_service.ingest.geo import country_codes
from graph_service.ingest.ids import city_id
from graph_service.model import (
    LIFECYCLE_FIELDS,
    PARTNERSHIP_TYPES,
    SIGNED_STATUSES,
    Edge,
    EdgeType,
    LifecycleStep,
    Node,
    NodeKind,
    Status,
    Tier,
)
from graph_service.services.cities import resolve_city
from graph_service.services.inputs import (
    Blank,
    OptionalDate,
    OptionalName,
    OptionalSource,
    OptionalText,
    is_future,
    parse,
    problem,
    text_of,
)
from graph_service.store.base import GraphStore

STEP_FIELDS = list(LIFECYCLE_FIELDS.values())
"""The date fields of a partnership form, in lifecycle order (``since`` is the signing date)."""


class LifecycleForm(BaseModel):
    """A partnership's status, the date of each lifecycle step, notes and source."""

    model_config = ConfigDict(extra="ignore")

    status: Annotated[Status | None, Blank] = None
    proposed_on: OptionalDate = None
    negotiating_on: OptionalDate = None
    since: OptionalDate = None
    approved_on: OptionalDate = None
    dormant_on: OptionalDate = None
    ended_on: OptionalDate = None
    notes: OptionalText = None
    source: OptionalSource = None

    def edge_fields(self) -> dict[str, Any]:
        """The fields a partnership edge takes from this form."""
        return self.model_dump(include=set(LifecycleForm.model_fields))


class NewCityForm(BaseModel):
    """A partner city that is not in the store yet."""

    model_config = ConfigDict(extra="ignore")

    city_name: OptionalName = None
    city_name_zh: OptionalName = None
    city_country: Annotated[str | None, Blank] = None
    city_admin1: OptionalName = None
    city_lat: Annotated[Annotated[float, Field(ge=-90, le=90)] | None, Blank] = None
    city_lon: Annotated[Annotated[float, Field(ge=-180, le=180)] | None, Blank] = None


class PartnershipForm(LifecycleForm, NewCityForm):
    """A new partnership: the partner (picked, ``partner_mode=existing``, or created, ``new``) and its tier."""

    partner_mode: Annotated[Literal["existing", "new"], Blank] = "existing"
    partner: OptionalName = None
    partner_id: Annotated[str | None, Blank] = None
    tier: Annotated[Tier, Blank]


class UpgradeForm(BaseModel):
    """The signing (and, when known, approval) of the sister-city agreement that upgrades a tie."""

    model_config = ConfigDict(extra="ignore")

    since: OptionalDate = None
    approved_on: OptionalDate = None
    status: Annotated[Status | None, Blank] = None
    notes: OptionalText = None


@dataclass(frozen=True)
class Tie:
    """A partnership seen from ``city``: the partner and the edge."""

    city: Node
    partner: Node
    edge: Edge

    @property
    def tier(self) -> Tier:
        return Tier.of(self.edge.type)


# -- reading ---------------------------------------------------------------------------------------
def ties_between(store: GraphStore, a: str, b: str) -> list[Edge]:
    """The partnership edges between two cities: at most one per tier, sister-city first."""
    found = (store.get_edge(f"{a}|{t.value}|{b}") for t in (EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE))
    return [edge for edge in found if edge is not None]


def city_node(store: GraphStore, city_id: str) -> Node:
    """The City with this id (``NotFound`` otherwise)."""
    node = store.get_node(city_id)
    if node is None or node.kind is not NodeKind.CITY:
        raise NotFound(f"no city with id {city_id[:200]!r}", zh=f"没有编号为“{city_id[:200]}”的城市。")
    return node


def tie(store: GraphStore, city_id: str, partner_id: str) -> Tie:
    """The partnership of ``city_id`` with ``partner_id`` (its sister-city tie if both tiers exist)."""
    city = city_node(store, city_id)
    partner = store.get_node(partner_id)
    edges = ties_between(store, city_id, partner_id) if partner is not None else []
    if partner is None or not edges:
        raise NotFound(f"{city_id!r} has no partnership with {partner_id[:200]!r}",
                       zh=f"“{city_id[:200]}”与“{partner_id[:200]}”之间没有友城关系。")
    return Tie(city, partner, edges[0])


# -- checking --------------------------------------------------------------------------------------
def _before(a: str, b: str) -> bool:
    """Whether partial ISO date ``a`` is surely earlier than ``b`` (compared at their common precision)."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def lifecycle_problems(fields: Mapping[str, Any], today: date) -> list[FieldProblem]:
    """Future dates and steps out of order.

    A signed tie (status signed, active, dormant or ended, or no status) cannot carry a future
    signing date; only a tie still proposed or under negotiation may name a planned signing date.
    Every other step is recorded once it has happened, so none may lie in the future.
    """
    problems: list[FieldProblem] = []
    status = fields.get("status")
    for name in STEP_FIELDS:
        value = fields.get(name)
        if not is_future(value, today):
            continue
        if name == "since" and status is not None and status not in SIGNED_STATUSES:
            continue
        code = "future_date" if name == "since" else "future_step"
        problems.append(problem(name, code, value=value))
    dated = [(name, fields[name]) for name in STEP_FIELDS if fields.get(name)]
    order = {name: i for i, name in enumerate(STEP_FIELDS)}
    ordered = [(n, v) for n, v in dated if n in ("proposed_on", "negotiating_on", "since", "approved_on")]
    for (earlier, earlier_value), (later, later_value) in pairwise(ordered):
        if _before(later_value, earlier_value):
            problems.append(problem(later, "step_order", step=later, value=later_value, earlier=earlier,
                                    earlier_value=earlier_value))
    signed = fields.get("since")
    for name in ("dormant_on", "ended_on"):
        value = fields.get(name)
        if signed and value and _before(value, signed) and order[name] > order["since"]:
            problems.append(problem(name, "step_order", step=name, value=value, earlier="since",
                                    earlier_value=signed))
    return problems


def _picked_partner(store: GraphStore, data: Mapping[str, Any]) -> tuple[Node | None, list[FieldProblem]]:
    """The existing city the form names (by the picker's id, else by name in any language)."""
    picked, typed = text_of(data, "partner_id"), text_of(data, "partner")
    if picked and (node := store.get_node(picked)) is not None and node.kind is NodeKind.CITY:
        return node, []
    if not typed:
        return None, [problem("partner", "required")]
    try:
        return resolve_city(store, typed), []
    except Ambiguous as exc:
        listed = "; ".join(f"{n.name} ({n.country or '?'}{', ' + n.admin1 if n.admin1 else ''})"
                           for n in exc.candidates[:8])
        return None, [problem("partner", "ambiguous_city", value=typed, candidates=listed)]
    except NotFound:
        return None, [problem("partner", "unknown_city", value=typed)]


def _new_partner(store: GraphStore, form: NewCityForm) -> tuple[Node | None, list[FieldProblem]]:
    """The city a form creates, checked: a name, a known country, both coordinates or none, and no
    city of that name in that country already (the planner should pick it instead)."""
    problems = []
    if not form.city_name:
        problems.append(problem("city_name", "required"))
    country = (form.city_country or "").upper()
    if not country:
        problems.append(problem("city_country", "required"))
    elif country not in set(country_codes()):
        problems.append(problem("city_country", "bad_country", value=form.city_country))
    if (form.city_lat is None) != (form.city_lon is None):
        problems.append(problem("city_lat", "coords_pair"))
    if problems or form.city_name is None:
        return None, problems
    for name in filter(None, (form.city_name, form.city_name_zh)):
        try:
            existing = resolve_city(store, name, country)
        except (NotFound, Ambiguous):
            continue
        return None, [problem("city_name", "city_exists", value=name, name=existing.name, id=existing.id)]
    node = Node(id=city_id(form.city_name, country, lambda i: store.get_node(i) is not None), kind=NodeKind.CITY,
                name=form.city_name, name_zh=form.city_name_zh, country=country, admin1=form.city_admin1,
                lat=form.city_lat, lon=form.city_lon, source="recorded in the planner UI")
    return node, []


# -- writing ---------------------------------------------------------------------------------------
def record_partnership(
    store: GraphStore, city_id: str, data: Mapping[str, Any], *, actor: str, today: date | None = None
) -> Tie:
    """Record a new partnership of ``city_id`` from the form fields in ``data``; one transaction adds
    the partner city too when ``partner_mode`` is ``new``."""
    today = today or date.today()
    city = city_node(store, city_id)
    def partner_problems(raw: Mapping[str, Any]) -> list[FieldProblem]:
        return [] if text_of(raw, "partner_mode") == "new" else _picked_partner(store, raw)[1]

    form = parse(PartnershipForm, data, also=partner_problems)
    new = form.partner_mode == "new"
    partner, problems = _new_partner(store, form) if new else _picked_partner(store, data)
    problems += lifecycle_problems(form.edge_fields(), today)
    if partner is not None and partner.id == city.id:
        problems.append(problem("partner", "same_city"))
    elif partner is not None and (held := ties_between(store, city.id, partner.id)):
        problems.append(problem("partner", "tie_exists", tier=Tier.of(held[0].type).value, name=partner.name))
    if problems or partner is None:
        raise InvalidFields(problems)
    edge = Edge(src=city.id, dst=partner.id, type=form.tier.edge_type, **form.edge_fields())
    nodes: list[Node] = []
    edges = [edge]
    if new:
        nodes.append(partner)
        if partner.country and store.get_node(partner.country) is not None:
            edges.append(Edge(src=partner.id, dst=partner.country, type=EdgeType.LOCATED_IN))
    store.upsert_graph(nodes, edges, actor=actor, action="record_partnership")
    return Tie(city, partner, edge)


def update_partnership(
    store: GraphStore, city_id: str, partner_id: str, data: Mapping[str, Any], *, actor: str,
    today: date | None = None,
) -> Tie:
    """Set a partnership's status, lifecycle dates, notes and source (every field of the form, so a
    cleared field is cleared); its tier changes only by ``upgrade_partnership``."""
    return _updated(store, tie(store, city_id, partner_id), data, actor=actor, today=today or date.today(),
                    action="update_partnership")


def tie_of_edge(store: GraphStore, city_id: str, edge_id: str) -> Tie:
    """The partnership ``edge_id`` of ``city_id`` (``NotFound`` when it is no sister-city or
    friendly-exchange tie of that city)."""
    found = store.get_edge(edge_id)
    ours = found is not None and found.type in PARTNERSHIP_TYPES and city_id in (found.src, found.dst)
    partner = store.get_node(found.dst if found.src == city_id else found.src) if found and ours else None
    if found is None or partner is None:
        raise NotFound(f"{city_id!r} has no partnership {edge_id[:200]!r}",
                       zh=f"“{city_id[:200]}”没有编号为“{edge_id[:200]}”的友城关系。")
    return Tie(city_node(store, city_id), partner, found)


def set_status(store: GraphStore, current: Tie, data: Mapping[str, Any], *, actor: str,
               today: date | None = None) -> Tie:
    """The city page's quick edit of a tie: its ``status`` and signing date (``since``), checked like
    the full lifecycle form (a signed tie cannot carry a future date); the other fields stay."""
    values = current.edge.model_dump(mode="json", include=set(LifecycleForm.model_fields))
    fields = {name: "" if value is None else value for name, value in values.items()}
    fields |= {"status": data.get("status", ""), "since": data.get("since", "")}
    return _updated(store, current, fields, actor=actor, today=today or date.today(), action="ui_update_partnership")


def _updated(store: GraphStore, current: Tie, data: Mapping[str, Any], *, actor: str, today: date,
             action: str) -> Tie:
    form = parse(LifecycleForm, data)
    problems = lifecycle_problems(form.edge_fields(), today)
    if problems:
        raise InvalidFields(problems)
    edge = Edge.model_validate(current.edge.model_dump() | form.edge_fields())
    store.upsert_graph([], [edge], actor=actor, action=action)
    return Tie(current.city, current.partner, edge)


def upgrade_partnership(
    store: GraphStore, city_id: str, partner_id: str, data: Mapping[str, Any], *, actor: str,
    today: date | None = None,
) -> Tie:
    """Turn a friendly-exchange tie into a sister-city tie in one step, keeping its history: the new
    tie keeps every lifecycle date, note and source, the friendly-exchange signing date moves to
    ``friendly_since``, and ``since`` becomes the sister-city agreement's date. Exchanges between
    the two cities are separate records and stay as they are."""
    today = today or date.today()
    current = tie(store, city_id, partner_id)
    form = parse(UpgradeForm, data)
    held = ties_between(store, city_id, partner_id)
    friendly = next((e for e in held if e.type is EdgeType.FRIENDLY_EXCHANGE), None)
    if friendly is None:
        raise InvalidFields([problem("tier", "not_upgradable")])
    sister = next((e for e in held if e.type is EdgeType.SISTER_CITY), None)
    base = (sister or friendly).model_dump(exclude={"type", "key"})
    status = form.status or (friendly.status if friendly.status in (Status.ACTIVE, Status.DORMANT) else Status.SIGNED)
    fields = base | {
        "status": status,
        "since": form.since or (sister.since if sister else None),
        "approved_on": form.approved_on or base.get("approved_on"),
        "friendly_since": friendly.since or friendly.friendly_since,
        "notes": "\n".join(filter(None, (base.get("notes"), form.notes))) or None,
    }
    problems = lifecycle_problems(fields, today)
    if problems:
        raise InvalidFields(problems)
    upgraded = Edge.model_validate(fields | {"type": EdgeType.SISTER_CITY})
    store.upsert_graph([], [upgraded], delete_edges=[friendly.id], actor=actor, action="upgrade_partnership")
    return Tie(current.city, current.partner, upgraded)


def delete_partnership(store: GraphStore, city_id: str, partner_id: str, *, actor: str) -> int:
    """Delete the tie (both tiers, if both were recorded); the exchanges between the cities stay."""
    tie(store, city_id, partner_id)
    ids = [e.id for e in ties_between(store, city_id, partner_id)]
    return store.upsert_graph([], [], delete_edges=ids, actor=actor, action="delete_partnership").edges.deleted


def lifecycle_dates(edge: Edge) -> list[tuple[LifecycleStep, str]]:
    """The dated steps of a partnership, in lifecycle order."""
    return [(step, value) for step in LifecycleStep if (value := edge.step_date(step))]
