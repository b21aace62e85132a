"""Partners at province or region level (Guangxi, Gyeongsangnam-do, Île-de-France Region): they become
province nodes, so ``gaps --province Guangxi`` counts the province's own ties.

A name is a province when it says so (``… Province``, ``… Autonomous Region``, ``… Prefecture``,
``… Oblast``, ``…-do``, ``Province of …``), or when it is the name of one of China's provincial-level
divisions (Guangxi, Yunnan …) that is no city: Beijing, Shanghai, Tianjin and Chongqing are cities
(municipalities), and stay cities. A province node is a ``City`` of level ``province``, without
coordinates (a province is no point to measure distances from), named as GeoNames names the division
where it can (``Guangxi``, 广西壮族自治区), its other spellings kept as alternate names.

>>> province_of("Guangxi Zhuang Autonomous Region", "CN").name, province_of("Guangxi", "CN").name_zh
('Guangxi', '广西壮族自治区')
>>> province_of("Shanghai", "CN") is None, province_of("Gyeongsangnam-do", "KR").id
(True, 'province:kr:gyeongsangnam-do')
"""

from __future__ import annotations

import re

from graph_service.ingest.admin1_names import ADMIN1_NAMES, ADMIN1_NAMES_ZH
from graph_service.model import CityLevel, Node, NodeKind
from graph_service.text import normalise

MARKERS = re.compile(
    r"^(province of |region of )|( zhuang| uyghur| uygur| hui)? autonomous region$|( province| sheng| zizhiqu"
    r"| prefecture| oblast| krai| region| do)$",
)
"""Words that make a (normalised) name a province's or region's; ``-do`` reads `` do`` once normalised."""
MUNICIPALITIES = frozenset({"CN.22", "CN.23", "CN.28", "CN.33"})
"""Beijing, Shanghai, Tianjin, Chongqing: provincial-level, and cities."""


def _chinese_divisions() -> dict[str, str]:
    """Normalised English name of a Chinese provincial-level division (not a municipality) → its code."""
    return {normalise(name): code for code, name in ADMIN1_NAMES.items()
            if code.startswith("CN.") and code in ADMIN1_NAMES_ZH and code not in MUNICIPALITIES}


CHINESE_DIVISIONS = _chinese_divisions()


def province_of(name: str, country: str) -> Node | None:
    """The province node a pairs-file name stands for, or None when the name is a city's."""
    key = normalise(name)
    bare = MARKERS.sub("", key).strip(" ,-")
    if country == "CN" and bare in CHINESE_DIVISIONS:
        code = CHINESE_DIVISIONS[bare]
        canonical = ADMIN1_NAMES[code]
        return _node(canonical, country, name, ADMIN1_NAMES_ZH[code], code)
    if bare and bare != key:
        found = next((c for c, n in ADMIN1_NAMES.items() if c.startswith(f"{country}.") and normalise(n) == bare), None)
        return _node(name, country, name, ADMIN1_NAMES_ZH.get(found or ""), found)
    return None


def _node(canonical: str, country: str, given: str, name_zh: str | None, code: str | None) -> Node:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise(canonical)).strip("-")[:80] or "province"
    admin1 = ADMIN1_NAMES.get(code or "", canonical)
    return Node(
        id=f"province:{country.lower()}:{slug}", kind=NodeKind.CITY, level=CityLevel.PROVINCE, name=canonical,
        name_zh=name_zh, country=country, admin1=admin1, alt_names=[given] if given != canonical else [],
        attrs={"admin1_code": code.split(".", 1)[1]} if code else {},
    )
