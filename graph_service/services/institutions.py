"""The wider network of a city (延伸友城内涵, seed 004): friendly schools, enterprises, consulates,
organisations and honorary citizens, and their links.

One form records an institution together with its links, in one transaction:

- a **school** in the city (``LOCATED_IN``), paired with a school abroad (``PARTNER_SCHOOL``, dated by
  ``since``): the partner school is picked, or created in its city;
- an **honorary citizen** of the city (``HONORARY_CITIZEN_OF``, dated when conferred), optionally from
  a city abroad (``LOCATED_IN``);
- an **enterprise** that operates or invests in the city (``OPERATES_IN`` / ``INVESTS_IN``), optionally
  with its home city;
- a **consulate** in the city (``LOCATED_IN``) that represents a country (``REPRESENTS``);
- an **organisation** (a friendship association, a chamber of commerce) in a city.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> _ = store.upsert_nodes([Node(id="nn", kind="City", name="Nanning", country="CN"),
...                         Node(id="bb", kind="City", name="Bundaberg", country="AU")])
>>> made = record_institution(store, "nn", {"kind": "School", "name": "Nanning No. 3 Middle School",
...     "partner_school": "Bundaberg State High School", "partner_school_city": "bb", "since": "2019-04"}, actor="doc")
>>> sorted(e.type.value for e in made.edges)
['LOCATED_IN', 'LOCATED_IN', 'PARTNER_SCHOOL']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict

from graph_service.errors import Ambiguous, FieldProblem, InvalidFields, NotFound
from graph_service.ingest.geo import country_codes
from graph_service.ingest.ids import record_id
from graph_service.model import Edge, EdgeType, Node, NodeKind
from graph_service.services.cities import resolve_city, resolve_node
from graph_service.services.exchanges import institutions_of
from graph_service.services.inputs import (
    Blank,
    OptionalDate,
    OptionalName,
    OptionalSource,
    OptionalText,
    RequiredName,
    is_future,
    parse,
    problem,
)
from graph_service.services.partnerships import city_node
from graph_service.store.base import GraphStore

INSTITUTION_KINDS = (NodeKind.SCHOOL, NodeKind.HONORARY_CITIZEN, NodeKind.ENTERPRISE, NodeKind.CONSULATE,
                     NodeKind.ORGANIZATION)
ID_PREFIX = {NodeKind.SCHOOL: "school", NodeKind.HONORARY_CITIZEN: "person", NodeKind.ENTERPRISE: "enterprise",
             NodeKind.CONSULATE: "consulate", NodeKind.ORGANIZATION: "org"}


class InstitutionForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: Annotated[Literal["School", "HonoraryCitizen", "Enterprise", "Consulate", "Organization"], Blank]
    name: RequiredName
    name_zh: OptionalName = None
    located_in: OptionalName = None
    located_in_id: Annotated[str | None, Blank] = None
    country: Annotated[str | None, Blank] = None
    since: OptionalDate = None
    link: Annotated[Literal["operates_in", "invests_in"], Blank] = "operates_in"
    partner_school: OptionalName = None
    partner_school_id: Annotated[str | None, Blank] = None
    partner_school_name_zh: OptionalName = None
    partner_school_city: OptionalName = None
    partner_school_city_id: Annotated[str | None, Blank] = None
    notes: OptionalText = None
    source: OptionalSource = None


@dataclass
class Recorded:
    """What one institution form wrote."""

    node: Node
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def _city(store: GraphStore, field_name: str, text: str | None, picked: str | None) -> tuple[Node | None,
                                                                                          list[FieldProblem]]:
    if picked:
        node = store.get_node(picked)
        if node is not None and node.kind is NodeKind.CITY:
            return node, []
    if not text:
        return None, []
    try:
        return resolve_city(store, text), []
    except Ambiguous as exc:
        listed = "; ".join(f"{n.name} ({n.country or '?'})" for n in exc.candidates[:8])
        return None, [problem(field_name, "ambiguous_city", value=text, candidates=listed)]
    except NotFound:
        return None, [problem(field_name, "unknown_city", value=text)]


def _partner_school(store: GraphStore, form: InstitutionForm, taken: set[str]) -> tuple[Node | None, list[Edge],
                                                                                       list[FieldProblem]]:
    """The school abroad a new school is paired with: picked (any language), or new in its city."""
    if form.partner_school_id and (node := store.get_node(form.partner_school_id)) is not None \
            and node.kind is NodeKind.SCHOOL:
        return node, [], []
    if not form.partner_school:
        return None, [], []
    try:
        return resolve_node(store, form.partner_school, kind=NodeKind.SCHOOL), [], []
    except Ambiguous as exc:
        listed = "; ".join(n.name for n in exc.candidates[:8])
        return None, [], [problem("partner_school", "ambiguous_city", value=form.partner_school, candidates=listed)]
    except NotFound:
        pass
    city, problems = _city(store, "partner_school_city", form.partner_school_city, form.partner_school_city_id)
    if city is None:
        return None, [], problems or [problem("partner_school_city", "required")]
    node = Node(id=_new_id(store, NodeKind.SCHOOL, form.partner_school, taken), kind=NodeKind.SCHOOL,
                name=form.partner_school, name_zh=form.partner_school_name_zh, country=city.country,
                source=form.source or "recorded in the planner UI")
    return node, [Edge(src=node.id, dst=city.id, type=EdgeType.LOCATED_IN)], []


def _new_id(store: GraphStore, kind: NodeKind, name: str, taken: set[str]) -> str:
    made = record_id(ID_PREFIX[kind], name, lambda i: i in taken or store.get_node(i) is not None)
    taken.add(made)
    return made


def record_institution(
    store: GraphStore, city_id: str, data: Mapping[str, Any], *, actor: str, today: date | None = None
) -> Recorded:
    """Record an institution of ``city_id`` and its links (see the module's list), in one transaction."""
    today = today or date.today()
    city = city_node(store, city_id)
    form = parse(InstitutionForm, data)
    kind = NodeKind(form.kind)
    problems: list[FieldProblem] = []
    where, found = _city(store, "located_in", form.located_in, form.located_in_id)
    problems += found
    country = (form.country or "").upper() or None
    if country and country not in set(country_codes()):
        problems.append(problem("country", "bad_country", value=form.country))
    if kind is NodeKind.CONSULATE and not country:
        problems.append(problem("country", "required"))
    elif kind is NodeKind.CONSULATE and country and store.get_node(country) is None:
        problems.append(problem("country", "bad_country", value=country))
    if is_future(form.since, today):
        problems.append(problem("since", "future_step", value=form.since))
    taken: set[str] = set()
    partner, partner_edges, school_problems = (_partner_school(store, form, taken) if kind is NodeKind.SCHOOL
                                               else (None, [], []))
    problems += school_problems
    if problems:
        raise InvalidFields(problems)
    home_country = (where or city).country
    node = Node(id=_new_id(store, kind, form.name, taken), kind=kind, name=form.name, name_zh=form.name_zh,
                country=country or (home_country if kind is not NodeKind.CONSULATE else city.country),
                notes=form.notes, source=form.source or "recorded in the planner UI")
    edges = _links(kind, node, city, where, form, country)
    nodes = [node]
    if partner is not None:
        if partner.id not in {n.id for n in nodes} and store.get_node(partner.id) is None:
            nodes.append(partner)
        edges += [*partner_edges, Edge(src=node.id, dst=partner.id, type=EdgeType.PARTNER_SCHOOL, since=form.since)]
    store.upsert_graph(nodes, edges, actor=actor, action="record_institution")
    return Recorded(node, nodes, edges)


def _links(kind: NodeKind, node: Node, city: Node, where: Node | None, form: InstitutionForm,
           country: str | None) -> list[Edge]:
    """The edges that tie a new institution to its city (and, per kind, to its home or country)."""
    since = form.since
    if kind is NodeKind.HONORARY_CITIZEN:
        edges = [Edge(src=node.id, dst=city.id, type=EdgeType.HONORARY_CITIZEN_OF, since=since)]
        return edges + ([Edge(src=node.id, dst=where.id, type=EdgeType.LOCATED_IN)] if where else [])
    if kind is NodeKind.ENTERPRISE:
        link = EdgeType.INVESTS_IN if form.link == "invests_in" else EdgeType.OPERATES_IN
        edges = [Edge(src=node.id, dst=city.id, type=link, since=since)]
        return edges + ([Edge(src=node.id, dst=where.id, type=EdgeType.LOCATED_IN)] if where else [])
    located = Edge(src=node.id, dst=(where or city).id, type=EdgeType.LOCATED_IN,
                   since=since if kind is not NodeKind.SCHOOL else None)
    if kind is NodeKind.CONSULATE and country:
        return [located, Edge(src=node.id, dst=country, type=EdgeType.REPRESENTS)]
    return [located]


def institution(store: GraphStore, city_id: str, node_id: str) -> Node:
    """An institution tied to the city (``NotFound`` otherwise)."""
    found = next((n for n in institutions_of(store, city_node(store, city_id).id) if n.id == node_id), None)
    if found is None:
        raise NotFound(f"{city_id!r} has no institution {node_id[:200]!r}", zh="该城市没有这个机构或人士的记录。")
    return found


def delete_institution(store: GraphStore, city_id: str, node_id: str, *, actor: str) -> int:
    """Delete an institution of the city with its links (the partner school abroad stays)."""
    node = institution(store, city_id, node_id)
    return store.upsert_graph([], [], delete_nodes=[node.id], actor=actor, action="delete_institution").nodes.deleted
