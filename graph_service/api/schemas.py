"""Request and response models of the HTTP API (the domain ``Node`` and ``Edge`` are used as they are)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, create_model

from graph_service.model import AuditEntry, CityRef, Edge, Node, Text

MAX_BATCH = 5_000


class EdgeOut(Edge):
    """An edge as the API returns it: with its ``id`` (``src|TYPE|dst[|key]``)."""

    @computed_field(description="src|TYPE|dst, plus |key for parallel edges; URL-encode it in paths")  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        return super().id

    @classmethod
    def of(cls, edge: Edge) -> EdgeOut:
        return cls.model_construct(**dict(edge))


class Page(BaseModel):
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, or null on the last page")


class NodePage(Page):
    items: list[Node]


class EdgePage(Page):
    items: list[EdgeOut]


class NodeWritten(BaseModel):
    node: Node
    created: bool
    revision: int


class EdgeWritten(BaseModel):
    edge: EdgeOut
    created: bool
    revision: int


class BatchWritten(BaseModel):
    created: int
    updated: int
    unchanged: int
    revision: int


class NodeBatch(BaseModel):
    nodes: list[Node] = Field(max_length=MAX_BATCH)


class EdgeBatch(BaseModel):
    edges: list[Edge] = Field(max_length=MAX_BATCH)


class Deleted(BaseModel):
    deleted: int
    revision: int


def patch_model(model: type[BaseModel], identity: set[str], doc: str) -> type[BaseModel]:
    """A model of ``model``'s fields minus ``identity``, all optional: a PATCH body.

    Only the types are checked here; the patched record is validated in full as a ``model``.
    """
    fields: dict[str, Any] = {
        name: (info.annotation | None, Field(default=None, description=info.description))  # type: ignore[operator]
        for name, info in model.model_fields.items()
        if name not in identity
    }
    patch = create_model(f"{model.__name__}Patch", __config__=ConfigDict(extra="forbid"), **fields)
    patch.__doc__ = doc
    return patch


if TYPE_CHECKING:  # built at run time from Node and Edge; a type checker sees a model
    NodePatch = BaseModel
    EdgePatch = BaseModel
else:
    NodePatch = patch_model(
        Node, {"id", "kind"}, "Fields to change on a node; null clears an optional field. id and kind never change."
    )
    EdgePatch = patch_model(
        Edge, {"src", "dst", "type", "key"},
        "Properties to change on an edge; its ends, type and key (its identity) never change.",
    )


class PartnerOut(BaseModel):
    id: str
    name: str
    name_zh: str | None = None
    country: str | None = None
    tier: str = Field(description="sister or friendly")
    status: str | None = None
    since: str | None = None
    source: str | None = None
    demo: bool = False
    edge_id: str


class CityPartners(BaseModel):
    """A city's partners. ``partners`` are foreign; ties with the home country's domestic territories
    (港澳台交流 for a Chinese city) and within the home country are listed apart."""

    city: CityRef
    partners: list[PartnerOut]
    domestic_label: str | None = Field(default=None, description="what ties with the domestic territories are called")
    domestic: list[PartnerOut] = Field(default_factory=list, description="ties with the domestic territories")
    home_country: list[PartnerOut] = Field(default_factory=list, description="ties within the home country")


class EgoNetwork(BaseModel):
    city: CityRef
    depth: int
    nodes: list[Node]
    edges: list[EdgeOut]


class Stats(BaseModel):
    nodes: dict[str, int]
    edges: dict[str, int]
    total_nodes: int
    total_edges: int
    revision: int


class Health(BaseModel):
    status: str
    revision: int
    worker: int = Field(description="the process id of the worker that answered")
    analysis_revision: int | None = Field(
        None, description="the revision of this worker's analysis projection; null until its first analysis")


class AuditPage(Page):
    items: list[AuditEntry]


class KeyInfo(BaseModel):
    """A key record as the API shows it: never the key, never its hash."""

    id: str
    role: str
    label: str
    created: str
    revoked: bool


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(pattern="^(viewer|editor|admin)$")
    label: Text = Field(default="", max_length=200)


class AuthFailures(BaseModel):
    """Failed authentications (unknown or revoked keys) counted by this server process."""

    failed: int
    since: str = Field(description="when this process started counting")


class KeyCreated(KeyInfo):
    key: str = Field(description="the API key; shown this once and never stored")


class ImportReport(BaseModel):
    """What an import did. ``report`` is the importer's own report (per-row problems included)."""

    format: str
    filename: str
    report: dict[str, Any]
    revision: int
