"""``import tags``: industry and heritage tags of cities (``ceramics``, ``port``, ``buddhist-heritage``)
from a CSV, for the matching-city mode (寻找对等城市, seed 003).

Columns: ``city`` (a city id, or a name in any language), ``country`` (ISO code; needed with a name),
``tags`` (slugs separated by ``;``: lower-case letters, digits and hyphens). A tag is added to the
city's tags; tags already there stay. The file is all or nothing: any bad row (unknown or ambiguous
city, bad tag, missing column) rejects the file with every problem listed, and nothing is written.

>>> parse_tags("Ceramics; buddhist-heritage;port")
['ceramics', 'buddhist-heritage', 'port']
"""

from __future__ import annotations

import csv
import io
import re

from pydantic import BaseModel, Field

from graph_service.errors import TagsFileError
from graph_service.ingest.resolve import CityIndex
from graph_service.model import MAX_LIST_ITEMS, Node, NodeKind
from graph_service.store.base import GraphStore

COLUMNS = ("city", "country", "tags")
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TAG = 40
MAX_ROWS = 100_000


class TagsReport(BaseModel):
    """What a tags import did."""

    rows_read: int = 0
    cities_updated: int = 0
    cities_unchanged: int = 0
    tags_added: int = 0
    updated: list[str] = Field(default_factory=list, description="ids of the cities that gained tags (first 200)")


def parse_tags(cell: str) -> list[str]:
    """The tag slugs of one cell, lower-cased, in order, once each. Raises ``ValueError`` for a bad slug."""
    tags: list[str] = []
    for part in cell.split(";"):
        tag = part.strip().lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG or not TAG.match(tag):
            raise ValueError(f"bad tag {part.strip()[:50]!r}: use lower-case letters, digits and hyphens "
                             f"(at most {MAX_TAG} characters), e.g. buddhist-heritage")
        if tag not in tags:
            tags.append(tag)
    return tags


def import_tags(store: GraphStore, raw: bytes, *, actor: str = "local") -> TagsReport:
    """Add the tags of a tags CSV to the cities it names, in one atomic write. Raises ``TagsFileError``."""
    records = _records(raw)
    snapshot = store.snapshot()
    cities = {n.id: n for n in snapshot.nodes if n.kind is NodeKind.CITY}
    index = CityIndex(cities.values())
    problems: list[str] = []
    wanted: dict[str, list[str]] = {}
    for line, record in records:
        try:
            tags = parse_tags(record.get("tags", ""))
            if not tags:
                raise ValueError("no tags given")
            city = _city(record.get("city", "").strip(), record.get("country", "").strip().upper(), cities, index)
        except ValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        held = wanted.setdefault(city, list(cities[city].tags))
        held.extend(t for t in tags if t not in held)
    if problems:
        raise TagsFileError("tags file rejected, nothing was imported:", problems,
                            zh=f"标签文件未导入({len(problems)} 行有误),未写入任何内容:" + ";".join(problems[:5]))
    report = TagsReport(rows_read=len(records))
    changed: list[Node] = []
    for city_id, tags in wanted.items():
        node = cities[city_id]
        if tags == node.tags:
            report.cities_unchanged += 1
            continue
        if len(tags) > MAX_LIST_ITEMS:
            raise TagsFileError(f"{node.name} would have {len(tags)} tags; at most {MAX_LIST_ITEMS} are kept",
                                zh=f"{node.name_zh or node.name}的标签将超过 {MAX_LIST_ITEMS} 个,未导入任何内容。")
        report.tags_added += len(tags) - len(node.tags)
        changed.append(node.model_copy(update={"tags": tags}))
    if changed:
        store.upsert_nodes(changed, actor=actor, action="import_tags")
    report.cities_updated = len(changed)
    report.updated = [n.id for n in changed][:200]
    return report


def _city(given: str, country: str, cities: dict[str, Node], index: CityIndex) -> str:
    if not given:
        raise ValueError("no city given")
    if given in cities:
        return given
    if not country:
        raise ValueError(f"{given[:60]!r} is no city id; give its country too to find it by name")
    match = index.match(given, country, None, None, None)
    if match is None:
        raise ValueError(f"no city named {given[:60]!r} in {country[:10]}")
    if match.candidates or match.node_id is None:
        raise ValueError(f"{given[:60]!r} in {country} is ambiguous ({', '.join(match.candidates[:5])}): "
                         "give the city id instead")
    return match.node_id


def _records(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    if b"\x00" in raw:
        raise TagsFileError("not a CSV text file: it contains NUL bytes (binary data?)",
                            zh="不是 CSV 文本文件:含有空字节(二进制数据?)。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TagsFileError(f"not a UTF-8 CSV file: undecodable byte at offset {exc.start}",
                            zh=f"不是 UTF-8 编码的 CSV 文件:第 {exc.start} 字节无法解码。") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        if not header:
            raise TagsFileError("the file is empty: expected a tags CSV with the header city,country,tags",
                                zh="文件为空:应为表头为 city,country,tags 的标签 CSV 文件。")
        missing = [c for c in ("city", "tags") if c not in header]
        unknown = [h for h in header if h not in COLUMNS]
        if missing or unknown or len(set(header)) != len(header):
            found = ", ".join(h[:30] for h in header[:8])
            raise TagsFileError(f"not a tags CSV: expected the columns {', '.join(COLUMNS)} (country optional), "
                                f"found {found}", zh=f"不是标签 CSV 文件:应有 city、country、tags 列(country 可省略),"
                                                     f"实际为 {found}。")
        records = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise TagsFileError(f"line {reader.line_num}: {len(fields)} fields; the header has {len(header)}",
                                    zh=f"第 {reader.line_num} 行有 {len(fields)} 个字段,表头有 {len(header)} 个。")
            records.append((reader.line_num, dict(zip(header, fields, strict=True))))
            if len(records) > MAX_ROWS:
                raise TagsFileError(f"more than {MAX_ROWS:,} rows: split the file",
                                    zh=f"超过 {MAX_ROWS:,} 行:请拆分文件。")
    except csv.Error as exc:
        raise TagsFileError(f"not a readable CSV (line {reader.line_num}): {exc}",
                            zh=f"无法读取的 CSV 文件(第 {reader.line_num} 行)。") from None
    if not records:
        raise TagsFileError("the file has a header but no rows", zh="文件只有表头,没有数据行。")
    return records
