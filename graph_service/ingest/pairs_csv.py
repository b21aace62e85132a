"""Reading a pairs CSV: decoding, the header check and per-row validation.

The columns are those of ``../shared/data/sister_pairs.csv`` —
``city_a, country_a, lat_a, lon_a, city_b, country_b, lat_b, lon_b, source_id_a, source_id_b,
continent_a, continent_b, sources`` — plus the optional ``tier, status, since, level``. Only
``city_a, country_a, city_b, country_b`` are required.

A file that is not such a CSV at all (binary, JSON, no header) raises ``PairsFileError`` before
anything is written. A bad row becomes a ``Rejected`` with its line number (the header is line 1) and
the reason; the good rows go on.

Country names that are not ISO-3166 alpha-2 codes ("Northern Cyprus", "Somaliland") are rejected with
that reason rather than guessed: neither has an ISO code, and mapping them to CY or SO would assert a
sovereignty the file does not state.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

from pydantic import BaseModel

from graph_service.errors import PairsFileError
from graph_service.model import CityLevel, Status, Tier, check_date, check_text

REQUIRED = ("city_a", "country_a", "city_b", "country_b")
OPTIONAL = ("lat_a", "lon_a", "lat_b", "lon_b", "source_id_a", "source_id_b", "continent_a", "continent_b",
            "sources", "tier", "status", "since", "level")
COLUMNS = REQUIRED + OPTIONAL
_QID = re.compile(r"^Q[1-9]\d{0,11}$")
_CODE = re.compile(r"^[A-Z]{2}$")
E = TypeVar("E", bound=Enum)


class Rejected(BaseModel):
    """A row that was not imported, and why. ``row`` is the file's line number (header = line 1)."""

    row: int
    reason: str


@dataclass(frozen=True)
class Side:
    """One city of a pair, as the row gives it."""

    name: str
    country: str
    lat: float | None
    lon: float | None
    wikidata: str | None


@dataclass(frozen=True)
class PairRow:
    """A valid row: two sides and the partnership's optional tier, status, since and level."""

    row: int
    a: Side
    b: Side
    tier: Tier
    status: Status | None
    since: str | None
    level: CityLevel | None
    sources: str | None


def read_rows(raw: bytes, countries: set[str], default_tier: Tier) -> tuple[list[PairRow], list[Rejected]]:
    """Every row of the file, validated: good rows and rejected rows, in file order."""
    rows, rejected = [], []
    for line, record in _records(raw):
        try:
            rows.append(_pair_row(line, record, countries, default_tier))
        except ValueError as exc:
            rejected.append(Rejected(row=line, reason=str(exc)))
    return rows, rejected


def _records(raw: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise PairsFileError("the file is empty: expected a pairs CSV with a header line")
        header = [h.strip().lower() for h in header]
        _check_header(header)
        records = []
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                problem = f"row has {len(fields)} fields; the header has {len(header)}"
                records.append((reader.line_num, {"__error__": problem}))
                continue
            records.append((reader.line_num, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        raise PairsFileError(f"not a readable CSV (line {reader.line_num}): {exc}") from None
    yield from records


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise PairsFileError("not a CSV text file: it contains NUL bytes (binary data?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PairsFileError(f"not a UTF-8 CSV file: undecodable byte at offset {exc.start}") from None


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        shown = ", ".join(h[:30] for h in header[:8]) or "(nothing)"
        raise PairsFileError(
            f"not a pairs CSV: the header lacks {', '.join(missing)} (found: {shown}). "
            f"Expected the columns {', '.join(COLUMNS)}. An office spreadsheet with other columns (Chinese "
            "names, dates such as 1998年5月12日) imports with its columns mapped: `partner-graph import sheet "
            "FILE`, or the import page of the web UI (/import)"
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise PairsFileError(f"unknown column(s) {', '.join(u[:30] for u in unknown)}; allowed: {', '.join(COLUMNS)}")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise PairsFileError(f"column(s) given twice: {', '.join(repeated)}")


def _pair_row(line: int, record: dict[str, str], countries: set[str], default_tier: Tier) -> PairRow:
    if "__error__" in record:
        raise ValueError(record["__error__"])
    cells = {k: (v or "").strip() for k, v in record.items()}

    def get(column: str) -> str:
        return cells.get(column, "")

    a, b = _side(get, "a", countries), _side(get, "b", countries)
    tier = _choice(Tier, get("tier"), "tier") or default_tier
    since = get("since") or None
    if since:
        check_date(since)
    sources = get("sources") or None
    if sources:
        check_text(sources, 2_000)
    return PairRow(row=line, a=a, b=b, tier=tier, status=_choice(Status, get("status"), "status"), since=since,
                   level=_choice(CityLevel, get("level"), "level"), sources=sources)


def _side(get: Callable[[str], str], suffix: str, countries: set[str]) -> Side:
    name, country = get(f"city_{suffix}") or "", get(f"country_{suffix}") or ""
    if not name:
        raise ValueError(f"city_{suffix} is empty")
    check_text(name, 500)
    if not country:
        raise ValueError(f"country_{suffix} is empty (city {name[:60]!r})")
    if not _CODE.match(country):
        raise ValueError(f"country_{suffix} {country[:40]!r} is not an ISO-3166 alpha-2 code")
    if country not in countries:
        raise ValueError(f"country_{suffix} {country!r} is not a known country code")
    lat, lon = _number(get, f"lat_{suffix}", 90), _number(get, f"lon_{suffix}", 180)
    if (lat is None) != (lon is None):
        raise ValueError(f"lat_{suffix} and lon_{suffix} must be given together")
    qid = get(f"source_id_{suffix}") or None
    if qid and not _QID.match(qid):
        raise ValueError(f"source_id_{suffix} {qid[:30]!r} is not a Wikidata Q-id")
    return Side(name=name, country=country, lat=lat, lon=lon, wikidata=qid)


def _number(get: Callable[[str], str], column: str, limit: float) -> float | None:
    value = get(column) or ""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{column} {value[:30]!r} is not a number") from None
    if not -limit <= number <= limit:
        raise ValueError(f"{column} {value[:30]} is out of range (-{limit:g} to {limit:g})")
    return number


def _choice(enum: type[E], value: str, column: str) -> E | None:
    if not value:
        return None
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValueError(f"unknown {column} {value[:30]!r}; expected one of {allowed}") from None
