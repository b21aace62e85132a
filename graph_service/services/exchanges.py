"""Recording exchanges (交流): a delegation, a programme or an event between a city (or one of its
institutions) and a counterpart, with field, date, title, direction, participants, head of
delegation, outcome and notes.

An exchange is an ``EXCHANGE`` edge from our side to the counterpart. ``direction`` says who
travelled: ``outbound`` (our delegation went), ``inbound`` (theirs came) or ``both``. An exchange is
*held* or *planned* (status ``active`` or ``proposed``, as the seed scenario records them); a held
exchange cannot lie in the future. Its key comes from its date and title, so recording the same
exchange twice is refused instead of listed twice.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="nn", kind="City", name="Nanning"), Node(id="kk", kind="City", name="Khon Kaen")])
>>> trip = record_exchange(store, "nn", {"counterpart_id": "kk", "field": "education", "date": "2023-05-10",
...                                      "title": "Chinese teachers", "direction": "outbound"}, actor="doc")
>>> trip.edge.field.value, trip.state
('education', 'held')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.errors import Ambiguous, FieldProblem, InvalidFields, NotFound
from graph_service.model import Direction, Edge, EdgeType, ExchangeField, Node, NodeKind, Status
from graph_service.services.cities import resolve_node
from graph_service.services.inputs import (
    Blank,
    OptionalName,
    OptionalSource,
    OptionalText,
    RequiredDate,
    RequiredText,
    is_future,
    parse,
    problem,
    text_of,
)
from graph_service.services.partnerships import city_node
from graph_service.store.base import GraphStore

State = Literal["held", "planned"]
STATE_STATUS: dict[str, Status] = {"held": Status.ACTIVE, "planned": Status.PROPOSED}
PLANNED = frozenset({Status.PROPOSED, Status.NEGOTIATING})
PLACE_KINDS = frozenset({NodeKind.COUNTRY, NodeKind.REGION})
LINKS_TO_CITY = frozenset({EdgeType.LOCATED_IN, EdgeType.HONORARY_CITIZEN_OF, EdgeType.OPERATES_IN,
                           EdgeType.INVESTS_IN, EdgeType.JURISDICTION_OVER})
"""Edge types that tie an institution (or a person) to a city, for "the city's institutions"."""
MAX_PARTICIPANTS = 1_000_000


class ExchangeForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    counterpart: OptionalName = None
    counterpart_id: Annotated[str | None, Blank] = None
    ours: Annotated[str | None, Blank] = None
    field: Annotated[ExchangeField, Blank]
    date: RequiredDate
    title: RequiredText
    direction: Annotated[Direction, Blank]
    state: Annotated[State, Blank] = "held"
    participants: Annotated[Annotated[int, Field(ge=0, le=MAX_PARTICIPANTS)] | None, Blank] = None
    head_of_delegation: OptionalName = None
    outcome: OptionalText = None
    notes: OptionalText = None
    source: OptionalSource = None


@dataclass(frozen=True)
class Exchange:
    """An exchange seen from a city: our side, the counterpart and the edge."""

    ours: Node
    counterpart: Node
    edge: Edge

    @property
    def state(self) -> State:
        return state_of(self.edge)


def state_of(edge: Edge) -> State:
    """``planned`` for a proposed exchange, ``held`` otherwise."""
    return "planned" if edge.status in PLANNED else "held"


def is_held(edge: Edge) -> bool:
    """An EXCHANGE that took place: not planned, and dated."""
    return edge.type is EdgeType.EXCHANGE and edge.date is not None and state_of(edge) == "held"


def institutions_of(store: GraphStore, city_id: str) -> list[Node]:
    """The schools, enterprises, consulates, organisations and honorary citizens tied to a city."""
    sub = store.neighbourhood(city_id, depth=1, types=LINKS_TO_CITY)
    linked = {e.src for e in sub.edges if e.dst == city_id}
    return sorted((n for n in sub.nodes if n.id in linked and n.kind not in (NodeKind.CITY, *PLACE_KINDS)),
                  key=lambda n: (n.kind.value, n.name))


def _counterpart(store: GraphStore, data: Mapping[str, Any]) -> tuple[Node | None, list[FieldProblem]]:
    """The city or institution an exchange is with: the picker's id, else a name in any language."""
    picked, typed = text_of(data, "counterpart_id"), text_of(data, "counterpart")
    if picked and (node := store.get_node(picked)) is not None and node.kind not in PLACE_KINDS:
        return node, []
    if not typed:
        return None, [problem("counterpart", "required")]
    for kind in (NodeKind.CITY, None):
        try:
            node = resolve_node(store, typed, kind=kind)
        except Ambiguous as exc:
            listed = "; ".join(f"{n.name} ({n.country or n.kind.value})" for n in exc.candidates[:8])
            return None, [problem("counterpart", "ambiguous_city", value=typed, candidates=listed)]
        except NotFound:
            continue
        if node.kind not in PLACE_KINDS:
            return node, []
    return None, [problem("counterpart", "unknown_city", value=typed)]


def _our_side(store: GraphStore, city: Node, ours: str | None) -> tuple[Node, list[FieldProblem]]:
    if not ours or ours == city.id:
        return city, []
    found = next((n for n in institutions_of(store, city.id) if n.id == ours), None)
    return (found, []) if found else (city, [problem("ours", "unknown_node", value=ours)])


def _checked(store: GraphStore, city: Node, data: Mapping[str, Any], today: date) -> tuple[Edge, Node, Node]:
    form = parse(ExchangeForm, data, also=lambda raw: _counterpart(store, raw)[1])
    counterpart, problems = _counterpart(store, data)
    ours, mine = _our_side(store, city, form.ours)
    problems += mine
    if counterpart is not None and counterpart.id == ours.id:
        problems.append(problem("counterpart", "same_city"))
    if form.state == "held" and is_future(form.date, today):
        problems.append(problem("date", "future_step", value=form.date))
    if problems or counterpart is None:
        raise InvalidFields(problems)
    edge = Edge(src=ours.id, dst=counterpart.id, type=EdgeType.EXCHANGE, field=form.field, date=form.date,
                title=form.title, direction=form.direction.value, status=STATE_STATUS[form.state],
                participants=form.participants, head_of_delegation=form.head_of_delegation, outcome=form.outcome,
                notes=form.notes, source=form.source)
    return edge, ours, counterpart


def record_exchange(
    store: GraphStore, city_id: str, data: Mapping[str, Any], *, actor: str, today: date | None = None
) -> Exchange:
    """Record a new exchange of ``city_id`` (or of one of its institutions, ``ours``)."""
    city = city_node(store, city_id)
    edge, ours, counterpart = _checked(store, city, data, today or date.today())
    if store.get_edge(edge.id) is not None:
        raise InvalidFields([problem("title", "exchange_exists")])
    store.upsert_graph([], [edge], actor=actor, action="record_exchange")
    return Exchange(ours, counterpart, edge)


def exchange(store: GraphStore, city_id: str, edge_id: str) -> Exchange:
    """An exchange of the city or of one of its institutions (``NotFound`` otherwise)."""
    city = city_node(store, city_id)
    found = store.get_edge(edge_id)
    if found is None or found.type is not EdgeType.EXCHANGE:
        raise NotFound(f"no exchange {edge_id[:200]!r}", zh="找不到这项交流活动。")
    sides = {city.id} | {n.id for n in institutions_of(store, city.id)}
    if found.src not in sides and found.dst not in sides:
        raise NotFound(f"{city_id!r} has no exchange {edge_id[:200]!r}", zh="该城市没有这项交流活动。")
    nodes = store.get_nodes([found.src, found.dst])
    ours, other = (found.src, found.dst) if found.src in sides else (found.dst, found.src)
    return Exchange(nodes[ours], nodes[other], found)


def update_exchange(
    store: GraphStore, city_id: str, edge_id: str, data: Mapping[str, Any], *, actor: str, today: date | None = None
) -> Exchange:
    """Change an exchange's fields; it keeps its id (and key) even when its date or title change.
    Changing its ends replaces it by a new edge in the same transaction."""
    current = exchange(store, city_id, edge_id)
    city = city_node(store, city_id)
    edge, ours, counterpart = _checked(store, city, data, today or date.today())
    edge = edge.model_copy(update={"key": current.edge.key})
    replaced = [current.edge.id] if edge.id != current.edge.id else []
    store.upsert_graph([], [edge], delete_edges=replaced, actor=actor, action="update_exchange")
    return Exchange(ours, counterpart, edge)


def delete_exchange(store: GraphStore, city_id: str, edge_id: str, *, actor: str) -> int:
    current = exchange(store, city_id, edge_id)
    return store.upsert_graph([], [], delete_edges=[current.edge.id], actor=actor,
                              action="delete_exchange").edges.deleted


def form_values(edge: Edge, counterpart: Node) -> dict[str, str]:
    """An exchange as the form's fields, to fill the edit form."""
    values = {k: "" if v is None else str(v) for k, v in edge.model_dump(mode="json").items()
              if k in ExchangeForm.model_fields}
    return values | {"counterpart": counterpart.name, "counterpart_id": counterpart.id, "ours": edge.src,
                     "state": state_of(edge)}
