"""Reading the cells of an office spreadsheet: dates in the forms offices write them, the tier and
status a relation note states, the level of an agreement, and countries by code or name.

Dates: ``2023-05-10``, ``2023/5/10``, ``2023.5.10``, ``2023年5月10日``, ``2023-05``, ``2023.05``,
``2023年5月``, ``2023`` and ``2023年`` are read at their precision. A date followed by a remark
(``2021-11-22 (year inferred)``, ``2024 (planned)``) keeps the date and returns the remark. Anything
else (``1987–2005``, ``(18 Dec, year not stated)``) is not a date: the caller keeps the text in notes.

>>> [read_date(text).value for text in ("2023年5月10日", "2023.05", "2023/5/10", "2023年")]
['2023-05-10', '2023-05', '2023-05-10', '2023']
>>> read_date("2021-11-22 (year inferred)")
DateCell(value='2021-11-22', remark='year inferred')
>>> read_date("1987–2005 (one of six)") is None
True
>>> read_relation("friendly EXCHANGE relationship (not a formal sister city)")
Relation(tier=<Tier.FRIENDLY: 'friendly'>, status=None)
>>> read_relation("PLANNED letter of intent")
Relation(tier=<Tier.FRIENDLY: 'friendly'>, status=<Status.PROPOSED: 'proposed'>)
>>> read_relation("sister province (friendly exchange since 2001-06)").tier.value
'sister'
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from graph_service.ingest.country_names_zh import COUNTRY_NAMES_ZH
from graph_service.ingest.geo import country_codes, country_nodes
from graph_service.model import CityLevel, Status, Tier
from graph_service.text import normalise


class DateCell(NamedTuple):
    value: str
    remark: str | None


class Relation(NamedTuple):
    """What a relation note states; None where it says nothing."""

    tier: Tier | None
    status: Status | None


_SEP = r"[-/.]"
_DATE_FORMS = [
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?$"),
    re.compile(rf"^(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月?$"),
    re.compile(r"^(?P<y>\d{4})\s*年?$"),
]
_REMARK = re.compile(r"^(?P<date>\S+(?:\s*[年月日号]\s*\S*)*?)\s*[(（](?P<remark>[^()（）]*)[)）]\s*$")
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2})?$")


def _read_exact(text: str) -> str | None:
    match = _DATE_TIME.match(text)
    if match:
        text = match.group(1)
    for form in _DATE_FORMS:
        found = form.match(text)
        if not found:
            continue
        year, month, day = found.group("y"), found.groupdict().get("m"), found.groupdict().get("d")
        if not 1000 <= int(year) <= 2999:
            return None
        if month is None:
            return year
        if not 1 <= int(month) <= 12:
            return None
        if day is None:
            return f"{year}-{int(month):02d}"
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            return None
    return None


def read_date(text: str) -> DateCell | None:
    """The date a cell gives (at its own precision) and any remark after it; None when it gives none."""
    text = text.strip()
    if not text:
        return None
    exact = _read_exact(text)
    if exact:
        return DateCell(exact, None)
    match = _REMARK.match(text)
    if match:
        value = _read_exact(match.group("date").strip())
        if value:
            return DateCell(value, match.group("remark").strip() or None)
    head, _, rest = text.partition(" ")
    value = _read_exact(head)
    if value and rest.strip() and not rest.strip()[0].isdigit():
        return DateCell(value, rest.strip())
    return None


_FRIENDLY_WORDS = ("friendly exchange", "friendly-exchange", "友好交流", "友好合作", "letter of intent", "意向",
                   "memorandum", "mou", "备忘录", "cooperation city", "合作城市")
_SISTER_WORDS = ("sister", "twin", "友好城市", "友好省", "友好县", "友城", "姊妹", "姐妹", "姉妹", "友好都市",
                 "friendship city", "friendship province", "friendly city", "friendly county", "friendly province",
                 "partnerschaft", "partnersk", "gemellaggio", "jumelage", "hermanamiento", "자매", "twinning")
_STATUS_WORDS: tuple[tuple[Status, tuple[str, ...]], ...] = (
    (Status.ENDED, ("ended", "terminated", "终止", "解除")),
    (Status.DORMANT, ("dormant", "inactive", "休眠")),
    (Status.PROPOSED, ("planned", "proposed", "计划", "拟")),
    (Status.NEGOTIATING, ("pending", "negotiat", "洽谈", "商谈", "待批")),
)


def _first(text: str, words: tuple[str, ...]) -> int | None:
    found = [i for w in words if (i := text.find(w)) >= 0]
    return min(found) if found else None


def read_relation(text: str) -> Relation:
    """The tier and status a relation note states (the first tier word named wins: "sister province
    (friendly exchange since 2001)" is a sister tie)."""
    lowered = text.casefold()
    friendly, sister = _first(lowered, _FRIENDLY_WORDS), _first(lowered, _SISTER_WORDS)
    tier = None
    if friendly is not None and (sister is None or friendly <= sister):
        tier = Tier.FRIENDLY
    elif sister is not None:
        tier = Tier.SISTER
    status = next((s for s, words in _STATUS_WORDS if _first(lowered, words) is not None), None)
    return Relation(tier, status)


_LEVELS = {
    CityLevel.PROVINCE: ("province", "region", "state", "省", "自治区", "直辖市", "provincial"),
    CityLevel.PREFECTURE: ("prefecture", "city", "地级", "市"),
    CityLevel.COUNTY: ("county", "县", "县级"),
    CityLevel.DISTRICT: ("district", "区"),
    CityLevel.TOWN: ("town", "township", "镇", "乡"),
}


def read_level(text: str) -> CityLevel | None:
    """The agreement's level from a cell such as ``region``, ``prefecture``, ``地级``, ``县``; None for
    ``unknown`` and anything else."""
    key = normalise(text)
    for level, words in _LEVELS.items():
        if key in words or key == level.value:
            return level
    return None


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for node in country_nodes():
        index[normalise(node.name)] = node.id
    for code, name in COUNTRY_NAMES_ZH.items():
        index[normalise(name)] = code
    for code in country_codes():
        index[code.casefold()] = code
    return index


def read_country(text: str) -> str | None:
    """An ISO alpha-2 code from a code, an English name or a Chinese name: ``JP``, ``Japan``, ``日本``."""
    return _country_index().get(normalise(text)) if text.strip() else None
