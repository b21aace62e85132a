"""Domain model: the closed vocabularies of partner-graph and the validated Node and Edge records.

Everything that reaches a store passes through these models first, so a label, a relationship type
or a property value that breaks the rules is refused before any SQL or Cypher runs.

>>> Edge(src="geonames:1799869", dst="geonames:1842485", type="SISTER_CITY").src  # canonical order
'geonames:1799869'
>>> Edge(src="b", dst="a", type="SISTER_CITY").src
'a'
>>> CityRef.of(Node(id="nn", kind="City", name="Nanning", name_zh="南宁", country="CN")).name_zh
'南宁'
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from graph_service.errors import InvalidInput


class NodeKind(StrEnum):
    """Node labels. A closed set: nothing else becomes a label in Neo4j."""

    CITY = "City"
    COUNTRY = "Country"
    REGION = "Region"
    CONSULATE = "Consulate"
    SCHOOL = "School"
    ENTERPRISE = "Enterprise"
    HONORARY_CITIZEN = "HonoraryCitizen"
    ORGANIZATION = "Organization"


class EdgeType(StrEnum):
    """Relationship types. A closed set: nothing else becomes a relationship type in Neo4j."""

    SISTER_CITY = "SISTER_CITY"
    FRIENDLY_EXCHANGE = "FRIENDLY_EXCHANGE"
    EXCHANGE = "EXCHANGE"
    LOCATED_IN = "LOCATED_IN"
    IN_REGION = "IN_REGION"
    PARTNER_SCHOOL = "PARTNER_SCHOOL"
    INVESTS_IN = "INVESTS_IN"
    OPERATES_IN = "OPERATES_IN"
    HONORARY_CITIZEN_OF = "HONORARY_CITIZEN_OF"
    REPRESENTS = "REPRESENTS"
    JURISDICTION_OVER = "JURISDICTION_OVER"


SYMMETRIC_TYPES = frozenset({EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE, EdgeType.PARTNER_SCHOOL})
"""Edge types where A–B and B–A are the same tie; stored once, with ``src < dst``."""

PARTNERSHIP_TYPES = frozenset({EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE})
"""The two tiers of city relationship: formal sister city and friendly-exchange city."""


class Tier(StrEnum):
    """The tier of a city partnership, as users name it (``--tier sister|friendly``)."""

    SISTER = "sister"
    FRIENDLY = "friendly"

    @property
    def edge_type(self) -> EdgeType:
        """The edge type that stores this tier: ``SISTER_CITY`` or ``FRIENDLY_EXCHANGE``."""
        return EdgeType.SISTER_CITY if self is Tier.SISTER else EdgeType.FRIENDLY_EXCHANGE

    @classmethod
    def of(cls, edge_type: EdgeType) -> Tier:
        """The tier a partnership edge type stands for.

        >>> Tier.of(EdgeType.FRIENDLY_EXCHANGE).value
        'friendly'
        """
        if edge_type not in PARTNERSHIP_TYPES:
            raise ValueError(f"{edge_type} is not a partnership type")
        return cls.SISTER if edge_type is EdgeType.SISTER_CITY else cls.FRIENDLY


class Status(StrEnum):
    """Lifecycle of a partnership: proposed → negotiating → signed → active, dormant or ended."""

    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    ACTIVE = "active"
    DORMANT = "dormant"
    ENDED = "ended"


class LifecycleStep(StrEnum):
    """A dated step in the life of a partnership. Each has its own date field on the edge
    (``LIFECYCLE_FIELDS``); the signing of the MoU or agreement is the edge's ``since``."""

    PROPOSED = "proposed"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    APPROVED = "approved"
    DORMANT = "dormant"
    ENDED = "ended"


LIFECYCLE_FIELDS: dict[LifecycleStep, str] = {
    LifecycleStep.PROPOSED: "proposed_on",
    LifecycleStep.NEGOTIATING: "negotiating_on",
    LifecycleStep.SIGNED: "since",
    LifecycleStep.APPROVED: "approved_on",
    LifecycleStep.DORMANT: "dormant_on",
    LifecycleStep.ENDED: "ended_on",
}
"""The edge field holding the date of each lifecycle step, in lifecycle order."""

SIGNED_STATUSES = frozenset({Status.SIGNED, Status.ACTIVE, Status.DORMANT, Status.ENDED})
"""Statuses of a tie whose agreement has been signed: its signing date cannot lie in the future."""


class Direction(StrEnum):
    """Which way a delegation travelled, seen from the city that records the exchange."""

    OUTBOUND = "outbound"
    INBOUND = "inbound"
    BOTH = "both"


CONTINENT_NAMES: dict[str, tuple[str, str]] = {
    "AF": ("Africa", "非洲"),
    "AS": ("Asia", "亚洲"),
    "EU": ("Europe", "欧洲"),
    "NA": ("North America", "北美洲"),
    "SA": ("South America", "南美洲"),
    "OC": ("Oceania", "大洋洲"),
    "AN": ("Antarctica", "南极洲"),
}
"""Continent codes (GeoNames) and their names in English and Chinese."""

CONTINENT_REGIONS = ("AF", "AS", "EU", "NA", "OC", "SA")
"""The six continents that are Region nodes (``continent:AS`` …); Antarctica is not one."""


def continent_region_id(code: str) -> str:
    """``continent:AS``: continent regions are prefixed, since AF, AS, NA and SA are also country codes."""
    return f"continent:{code}"


class CityLevel(StrEnum):
    """Administrative level of a City node, or of the agreement on a partnership edge."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    DISTRICT = "district"
    TOWN = "town"


class ExchangeField(StrEnum):
    """The field of a typed EXCHANGE edge."""

    EDUCATION = "education"
    CULTURE = "culture"
    TRADE = "trade"
    TOURISM = "tourism"
    SPORTS = "sports"
    HEALTH = "health"
    AGRICULTURE = "agriculture"
    SCIENCE = "science"
    YOUTH = "youth"
    GOVERNMENT = "government"
    MEDIA = "media"


MAX_NAME_CHARS = 500
MAX_TEXT_CHARS = 20_000
MAX_LIST_ITEMS = 2_000
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")
_YEAR_MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def check_text(value: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Refuse control characters (tab and newlines excepted), lone surrogates (``\\ud83d`` from a JSON
    escape is half a character: no store can encode it) and over-long text.

    Injection strings such as ``'; DROP TABLE node;--`` pass: they are plain text and are stored
    verbatim, because stores only ever bind values as parameters.
    """
    if _CONTROL_RE.search(value):
        raise ValueError("control characters (NUL and the like) are not allowed in text")
    if _SURROGATE_RE.search(value):
        raise ValueError("text must be valid Unicode: a lone surrogate (half of a character, like \\ud83d) "
                         "is not allowed")
    if len(value) > limit:
        raise ValueError(f"text is {len(value)} characters long; the limit is {limit}")
    return value


def check_id(value: str) -> str:
    """Ids are 1 to 200 characters of letters, digits and ``_ . : -``, starting alphanumeric."""
    if not _ID_RE.match(value):
        raise ValueError(
            f"invalid id {value[:60]!r}: use 1-200 letters, digits, '_', '.', ':' or '-', "
            "starting with a letter or digit"
        )
    return value


def check_country(value: str) -> str:
    """An ISO-3166 alpha-2 code in upper case (``XK`` for Kosovo is accepted, as users assign it)."""
    if not _COUNTRY_RE.match(value):
        raise ValueError(f"invalid country code {value[:20]!r}: expected ISO-3166 alpha-2, like 'CN'")
    return value


def check_date(value: str) -> str:
    """An ISO date (``2012-04-01``), a year and month (``2012-04``) or a plain year (``2012``)."""
    if _YEAR_RE.match(value) or _YEAR_MONTH_RE.match(value):
        month = value[5:7]
        if month and not 1 <= int(month) <= 12:
            raise ValueError(f"invalid month in {value!r}")
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"invalid date {value[:30]!r}: expected YYYY, YYYY-MM or YYYY-MM-DD") from None
    if len(value) != 10:
        raise ValueError(f"invalid date {value[:30]!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    return value


Id = Annotated[str, AfterValidator(check_id), Field(json_schema_extra={"pattern": _ID_RE.pattern})]
Name = Annotated[str, Field(min_length=1), AfterValidator(lambda v: check_text(v, MAX_NAME_CHARS))]
Text = Annotated[str, AfterValidator(check_text)]
CountryCode = Annotated[str, AfterValidator(check_country), Field(json_schema_extra={"pattern": _COUNTRY_RE.pattern})]
IsoDate = Annotated[str, AfterValidator(check_date)]
ShortList = Annotated[list[Name], Field(max_length=MAX_LIST_ITEMS)]
Scalar = str | int | float | bool
MAX_POPULATION = 10_000_000_000
MAX_COUNT = 100_000_000
MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer an ``attrs`` value may hold: exact in JSON clients, in SQLite and in Neo4j."""


def check_scalar(value: Scalar) -> Scalar:
    """Refuse what no store or JSON client holds faithfully: NaN, infinities and integers beyond ±2^53.

    >>> check_scalar(3), check_scalar("x")
    (3, 'x')
    """
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinite numbers are not allowed")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
        raise ValueError(f"integers must lie within ±{MAX_SAFE_INTEGER:,}")
    return value


def check_finite(value: Any) -> Any:
    """Refuse NaN and infinities before the ``Scalar`` union is tried, so the error is one line about
    the number, not one per member of the union."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("NaN and infinite numbers are not allowed")
    return value


AttrValue = Annotated[Scalar, BeforeValidator(check_finite), AfterValidator(check_scalar)]
"""A value of ``attrs``: text, a whole number within ±2^53, a finite number or a boolean."""
Attrs = dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")], AttrValue]


class Node(BaseModel):
    """A node of any kind. Kind-specific fields are optional; unknown fields go in ``attrs``.

    >>> Node(id="geonames:1799869", kind="City", name="Nanning", name_zh="南宁", country="CN").kind
    <NodeKind.CITY: 'City'>
    """

    model_config = ConfigDict(extra="forbid", use_enum_values=False, allow_inf_nan=False)

    id: Id
    kind: NodeKind
    name: Name
    name_zh: Name | None = None
    alt_names: ShortList = Field(default_factory=list)
    country: CountryCode | None = None
    admin1: Name | None = None
    level: CityLevel | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    population: int | None = Field(default=None, ge=0, le=MAX_POPULATION)
    tags: ShortList = Field(default_factory=list)
    wikidata: Annotated[str, Field(pattern=r"^Q\d{1,12}$")] | None = None
    geonames: Annotated[str, Field(pattern=r"^\d{1,12}$")] | None = None
    continent: Annotated[str, Field(pattern=rf"^({'|'.join(CONTINENT_NAMES)})$")] | None = None
    neighbours: Annotated[list[CountryCode], Field(max_length=50)] = Field(default_factory=list)
    source: Text | None = None
    notes: Text | None = None
    demo: bool = False
    attrs: Attrs = Field(default_factory=dict)

    @field_validator("attrs")
    @classmethod
    def _attrs_text(cls, value: dict[str, Scalar]) -> dict[str, Scalar]:
        if len(value) > 100:
            raise ValueError("at most 100 extra attributes")
        return value

    @model_validator(mode="after")
    def _country_id(self) -> Node:
        if self.kind is NodeKind.COUNTRY:
            check_country(self.id)
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        return self

    def props(self) -> dict[str, Any]:
        """The node as a flat JSON-ready dict, leaving out empty optional fields."""
        return self.model_dump(mode="json", exclude_defaults=True) | {"id": self.id, "kind": self.kind.value}


class Edge(BaseModel):
    """A typed edge between two nodes.

    Symmetric types are canonicalised so ``src < dst``. ``key`` separates parallel edges of the same
    type between the same nodes; EXCHANGE edges derive it from their date and title when not given.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    src: Id
    dst: Id
    type: EdgeType
    key: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:\-]{0,64}$")] = ""
    status: Status | None = None
    since: IsoDate | None = None
    level: CityLevel | None = None
    proposed_on: IsoDate | None = None
    negotiating_on: IsoDate | None = None
    approved_on: IsoDate | None = None
    dormant_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    friendly_since: IsoDate | None = Field(
        default=None, description="on a sister-city tie upgraded from a friendly-exchange tie: when that began")
    field: ExchangeField | None = None
    date: IsoDate | None = None
    title: Text | None = None
    direction: Annotated[str, Field(pattern=r"^(outbound|inbound|both)$")] | None = None
    participants: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    head_of_delegation: Name | None = None
    outcome: Text | None = None
    source: Text | None = None
    notes: Text | None = None
    demo: bool = False
    attrs: Attrs = Field(default_factory=dict)

    @field_validator("attrs")
    @classmethod
    def _attrs_text(cls, value: dict[str, Scalar]) -> dict[str, Scalar]:
        return Node._attrs_text(value)

    @model_validator(mode="after")
    def _canonical(self) -> Edge:
        if self.src == self.dst:
            raise ValueError(f"an edge cannot join {self.src!r} to itself")
        if self.type in SYMMETRIC_TYPES and self.dst < self.src:
            self.src, self.dst = self.dst, self.src
        if self.type is EdgeType.EXCHANGE and not self.key:
            digest = hashlib.sha1(f"{self.date or ''}|{self.title or ''}".encode()).hexdigest()[:12]
            self.key = digest
        if self.type is not EdgeType.EXCHANGE:
            carried = [name for name in EXCHANGE_ONLY if getattr(self, name) is not None]
            if carried:
                raise ValueError(f"only EXCHANGE edges carry {', '.join(carried)}")
        if self.type not in PARTNERSHIP_TYPES:
            carried = [name for name in PARTNERSHIP_ONLY if getattr(self, name) is not None]
            if carried:
                raise ValueError(f"only partnership edges carry {', '.join(carried)}")
        if self.friendly_since is not None and self.type is not EdgeType.SISTER_CITY:
            raise ValueError("only a sister-city tie carries friendly_since (the friendly-exchange tie it grew from)")
        return self

    def step_date(self, step: LifecycleStep) -> str | None:
        """The date of one lifecycle step of a partnership, if recorded."""
        value: str | None = getattr(self, LIFECYCLE_FIELDS[step])
        return value

    @property
    def id(self) -> str:
        """Stable identity: ``src|TYPE|dst`` plus ``|key`` for parallel edges."""
        base = f"{self.src}|{self.type.value}|{self.dst}"
        return f"{base}|{self.key}" if self.key else base

    def props(self) -> dict[str, Any]:
        """The edge as a flat JSON-ready dict, leaving out empty optional fields."""
        return self.model_dump(mode="json", exclude_defaults=True) | {
            "src": self.src,
            "dst": self.dst,
            "type": self.type.value,
        }


EXCHANGE_ONLY = ("field", "head_of_delegation", "outcome")
"""Fields only an EXCHANGE edge carries."""
PARTNERSHIP_ONLY = ("proposed_on", "negotiating_on", "approved_on", "dormant_on", "ended_on", "friendly_since")
"""Fields only a partnership (SISTER_CITY or FRIENDLY_EXCHANGE) edge carries."""


class EdgeRef(NamedTuple):
    """The parts of an edge id ``src|TYPE|dst[|key]``; a symmetric type's ends in canonical order.

    >>> parse_edge_id("b|SISTER_CITY|a").id
    'a|SISTER_CITY|b'
    """

    src: str
    type: EdgeType
    dst: str
    key: str = ""

    @property
    def id(self) -> str:
        base = f"{self.src}|{self.type.value}|{self.dst}"
        return f"{base}|{self.key}" if self.key else base


def parse_edge_id(edge_id: str) -> EdgeRef:
    """Split and check an edge id; raise ``InvalidInput`` for a malformed one."""
    parts = edge_id.split("|")
    try:
        if len(parts) not in (3, 4):
            raise ValueError("expected src|TYPE|dst or src|TYPE|dst|key")
        src, edge_type, dst = check_id(parts[0]), EdgeType(parts[1]), check_id(parts[2])
    except ValueError as exc:
        raise InvalidInput(f"malformed edge id {edge_id[:120]!r}: {str(exc)[:200]}") from None
    if edge_type in SYMMETRIC_TYPES and dst < src:
        src, dst = dst, src
    return EdgeRef(src, edge_type, dst, parts[3] if len(parts) == 4 else "")


class AuditEntry(BaseModel):
    """One recorded write: who (key id), what (action, target) and a summary of the change."""

    seq: int
    at: str
    actor: str
    action: str
    target: str
    summary: dict[str, Any]
    revision: int


class Subgraph(BaseModel):
    """Nodes and the edges among them: a neighbourhood or a full snapshot."""

    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)


class GraphChange(BaseModel):
    """Several writes that must happen together or not at all: upsert these nodes and edges, then delete
    these edges and nodes (the arguments of one ``GraphStore.upsert_graph`` call). The spreadsheet
    import plans its whole file as one change.
    """

    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    delete_edges: list[str] = Field(default_factory=list, description="edge ids")
    delete_nodes: list[str] = Field(default_factory=list, description="node ids; their edges go too")

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges or self.delete_edges or self.delete_nodes)


class WriteResult(BaseModel):
    """What one bulk write did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    revision: int = 0


class GraphWriteResult(BaseModel):
    """What one write of nodes and edges together did (``GraphStore.upsert_graph``)."""

    nodes: WriteResult
    edges: WriteResult
    revision: int = 0


class CityRef(BaseModel):
    """A city, or a home set such as a province's cities, as reports and API responses name it."""

    id: str | None
    name: str
    name_zh: str | None = None
    country: str | None = None
    members: list[str] = Field(default_factory=list, description="the home cities, for a home set")

    @classmethod
    def of(cls, node: Node, country: str | None = None) -> CityRef:
        """The reference to one node; ``country`` overrides the node's own (e.g. from LOCATED_IN)."""
        return cls(id=node.id, name=node.name, name_zh=node.name_zh, country=country or node.country)
