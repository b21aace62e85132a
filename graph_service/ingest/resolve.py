"""Entity resolution for imported cities: is this row's city one the store already has?

In order (DESIGN.md §6):
1. the same Wikidata id;
2. otherwise the same country and a normalised name or alternate name, with coordinates within 25 km
   (a candidate without coordinates, or a row without them, matches on the name alone); a name in
   Han characters also matches a city whose name reads as its pinyin (南宁 → Nanning), but only where
   coordinates within 25 km confirm it;
3. which merges rows with the GeoNames cities that ``geo`` loaded, since those carry every
   alternate name;
4. same-place variants: "City of Melbourne" is Melbourne (``name_keys``), "Halle (Saale)" is Halle,
   and a district named after its city ("Budapest XIII", "Floridsdorf (Vienna)") is that city when
   its coordinates, too, put it within 10 km of the city (``district_of``: name and place agree).

Several candidates within reach make the side *ambiguous*: the best one is taken deterministically
(the closest name form, then the nearest, then the most populous) and the report lists the case for a
human to check. Without coordinates, candidates in different provinces or countries are never merged
(Dongxing, Guangxi is no town of Heilongjiang): ``Match.node_id`` is None, and the importer keeps the
row's city apart and reports it.

>>> from graph_service.model import Node
>>> index = CityIndex([Node(id="geonames:1", kind="City", name="Nanning", alt_names=["Nan-ning"],
...                         country="CN", lat=22.82, lon=108.32)])
>>> index.match("Nan-ning", "CN", 22.9, 108.3, None).node_id
'geonames:1'
>>> index.match("Nanning", "CN", 40.0, 116.0, None) is None   # same name, 1,900 km away
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph_service.geodesy import haversine_km
from graph_service.model import Node, NodeKind
from graph_service.names_zh import HAN_ONLY
from graph_service.text import _SPACE_RE, normalise, pinyin

MATCH_KM = 25.0
WEAK_TIER = 99
"""The tier of a match by pinyin reading alone, after every name form."""
DISTRICT_KM = 10.0
_PAREN = re.compile(r"\s*\(.*?\)\s*")
_PAREN_CONTENT = re.compile(r"\(([^()]*)\)")
_LARGER_UNIT = re.compile(r"\b(prefecture|province|county|region|state|oblast|governorate|department|canton|krai|"
                          r"voivodeship|shire|metropolitan|municipality)\b")


def name_keys(name: str) -> list[str]:
    """The forms a city name is looked up by, best first: as given, without ", Region" or "(…)", without "City".

    Rows and stored cities use the same forms, and an exact form beats a shortened one, so the
    matching a re-import does is the matching the first import did.

    >>> name_keys("Córdoba, Bolívar")
    ['cordoba, bolivar', 'cordoba']
    >>> name_keys("Davao City")
    ['davao city', 'davao']
    >>> name_keys("City of Melbourne")
    ['city of melbourne', 'melbourne']
    """
    key = _normalise(name)
    if "," not in key and "(" not in key and not key.endswith(" city") and not key.startswith("city of "):
        return [key] if key else []
    keys: list[str] = []
    for form in (key, key.split(",")[0], _PAREN.sub(" ", key)):
        form = form.strip()
        for variant in (form, form.removesuffix(" city"), form.removeprefix("city of ")):
            if variant and variant not in keys:
                keys.append(variant)
    return keys


def _normalise(name: str) -> str:
    """``text.normalise``, with a fast path for plain ASCII names (the same result, much sooner)."""
    if name.isascii():
        return _SPACE_RE.sub(" ", name.lower()).strip()
    return normalise(name)


def district_of(district: str, city: str) -> bool:
    """Whether the name ``district`` names a part of the city ``city``: the city's name then a
    qualifier ("Budapest XIII", "Budapest I – Budavár"), or the city in brackets ("Floridsdorf (Vienna)").

    >>> district_of("Budapest XIII", "Budapest"), district_of("Floridsdorf (Vienna)", "Vienna")
    (True, True)
    >>> district_of("Budapest", "Budapest"), district_of("Saint-Denis", "Denis")
    (False, False)
    >>> district_of("Ōsaka Prefecture", "Osaka")   # a larger unit named after its city is no district
    False
    """
    d, c = _normalise(district), _normalise(city)
    if not c or d == c or _LARGER_UNIT.search(d):
        return False
    return d.startswith(c + " ") or c in (m.strip() for m in _PAREN_CONTENT.findall(d))


def same_place(a: Node, b: Node) -> bool:
    """Whether two city records name one place: same country, within 10 km, and either a shared name
    form (``name_keys``) or one a district of the other (``district_of``).

    The backtest uses it to tell a re-found existing partner from a new one.
    """
    if a.country != b.country or a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    if float(haversine_km(a.lat, a.lon, b.lat, b.lon)) > DISTRICT_KM:
        return False
    names_a = [n for n in (a.name, *a.alt_names) if n]
    names_b = [n for n in (b.name, *b.alt_names) if n]
    if {k for n in names_a for k in name_keys(n)} & {k for n in names_b for k in name_keys(n)}:
        return True
    return any(district_of(x, y) or district_of(y, x) for x in names_a for y in names_b)


@dataclass
class Match:
    """The node a side resolved to, how, and the other candidates when it was ambiguous. ``node_id`` is
    None when the name is ambiguous across provinces or countries and no coordinates decide: the caller
    must not merge (it creates a city of its own and reports the case)."""

    node_id: str | None
    by: str
    candidates: list[str] = field(default_factory=list)


class CityIndex:
    """In-memory lookup of City nodes by Wikidata id and by (country, normalised name)."""

    def __init__(self, cities: Iterable[Node] = ()):
        self.nodes: dict[str, Node] = {}
        self._by_qid: dict[str, str] = {}
        self._by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        for node in cities:
            self.add(node)

    def add(self, node: Node) -> None:
        """Index a node (new, or a new version of a known one)."""
        if node.kind is not NodeKind.CITY:
            return
        self.nodes[node.id] = node
        if node.wikidata:
            self._by_qid.setdefault(node.wikidata, node.id)
        for key in self._keys(node):
            ids = self._by_name[(node.country or "", key)]
            if node.id not in ids:
                ids.append(node.id)

    @staticmethod
    def _keys(node: Node) -> set[str]:
        keys: set[str] = set()
        for name in (node.name, node.name_zh, *node.alt_names):
            if name:
                keys.update(name_keys(name))
        return keys

    def _sound_alikes(self, name: str, country: str) -> dict[str, int]:
        """Cities whose name reads as the pinyin of a Han ``name`` (南宁 → Nanning): a weak match that
        only coordinates may confirm, since many places share a reading."""
        reading = pinyin(name) if HAN_ONLY.match(name) else ""
        return {i: WEAK_TIER for i in self._by_name.get((country, reading), ())} if reading else {}

    def _city_of_district(self, name: str, country: str, lat: float | None, lon: float | None) -> Match | None:
        """The city a district row names ("Budapest XIII" → Budapest), when it lies within 10 km of it."""
        if lat is None or lon is None:
            return None
        key = _normalise(name)
        heads = {" ".join(key.split()[:n]) for n in range(1, len(key.split()))}
        heads |= {m.strip() for m in _PAREN_CONTENT.findall(key)}
        found = []
        for head in heads:
            for node_id in self._by_name.get((country, head), ()):
                node = self.nodes[node_id]
                if node.lat is None or node.lon is None or not district_of(name, head):
                    continue
                km = float(haversine_km(lat, lon, node.lat, node.lon))
                if km <= DISTRICT_KM:
                    found.append((km, node_id))
        if not found:
            return None
        found.sort()
        return Match(found[0][1], "district", [i for _, i in found] if len(found) > 1 else [])

    def match(self, name: str, country: str, lat: float | None, lon: float | None, qid: str | None) -> Match | None:
        """The existing city this row side names, or None when it is a new city."""
        if qid and qid in self._by_qid:
            return Match(self._by_qid[qid], "wikidata")
        tiers: dict[str, int] = {}
        for tier, key in enumerate(name_keys(name)):
            for node_id in self._by_name.get((country, key), ()):
                tiers.setdefault(node_id, tier)
        if lat is not None and lon is not None:
            for node_id, tier in self._sound_alikes(name, country).items():
                tiers.setdefault(node_id, tier)
        candidates = [self.nodes[i] for i in tiers if not (qid and self.nodes[i].wikidata not in (None, qid))]
        if not candidates:
            return self._city_of_district(name, country, lat, lon)
        if lat is not None and lon is not None:
            placed = [(tiers[c.id], float(haversine_km(lat, lon, c.lat, c.lon)), c.id)
                      for c in candidates if c.lat is not None and c.lon is not None]
            near = sorted(item for item in placed if item[1] <= MATCH_KM)
            if near:
                return Match(near[0][2], "name+coordinates", [i for *_, i in near] if len(near) > 1 else [])
            candidates = [c for c in candidates if c.lat is None]
            if not candidates:
                return self._city_of_district(name, country, lat, lon)
        ranked = sorted(candidates, key=lambda c: (tiers[c.id], -(c.population or 0), c.id))
        best = [c for c in ranked if tiers[c.id] == tiers[ranked[0].id]]
        if len({(c.country, c.admin1) for c in best if c.lat is not None and c.admin1}) > 1:
            earlier = [c for c in best if c.lat is None and c.admin1 is None]
            if earlier:  # the city an earlier import made for this same unresolved name
                return Match(earlier[0].id, "name (unresolved earlier)", [c.id for c in best])
            return Match(None, "ambiguous", [c.id for c in best])
        return Match(ranked[0].id, "name", [c.id for c in ranked] if len(ranked) > 1 else [])
