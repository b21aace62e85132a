"""The planners' spreadsheet import: any columns, mapped to fields, previewed, then committed.

1. ``read_upload`` reads an ``.xlsx`` or ``.csv`` (``ingest.sheet``) and ``suggested_mapping`` proposes
   a field for each column: the mapping remembered for that header (``MappingStore``), else a guess
   from the column names (``home_zh`` for "guangxi_side_zh" or "我方城市", ``since`` for "date_or_year" …).
2. ``plan_import`` resolves every row against the store with the pairs importer's resolver
   (``ingest.resolve.CityIndex``: names in any language within a country; the home side preferring
   cities of the home province) and says what the row will do:

   - **created**: a new tie (and, where needed, a new city);
   - **enriched**: a tie already present gains what it lacks: a date, tier, status, level, notes,
     or the partner's Chinese name;
   - **unchanged**: the tie is present with all the row says;
   - **conflict**: the row disagrees with a stored value; nothing is overwritten unless a decision
     says so (``decisions[key] = "file"``; the default keeps the stored value);
   - **rejected**, with the reason: no partner or home named, an unknown country, a home side the
     file marks as not stated, a city paired with itself.

   Dates are read in the forms offices use (``ingest.cells``); a date cell that is not a date is kept
   in the tie's notes and reported. Every row is accounted for exactly once.
3. ``commit_import`` plans again with the decisions and writes the whole file in one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from graph_service.analysis import projection
from graph_service.errors import FieldProblem, InvalidFields
from graph_service.ingest.cells import read_country, read_date, read_level, read_relation
from graph_service.ingest.ids import city_id
from graph_service.ingest.merge import merge_sources
from graph_service.ingest.resolve import CityIndex
from graph_service.ingest.sheet import Table, read_table
from graph_service.model import (
    MAX_LIST_ITEMS,
    MAX_NAME_CHARS,
    PARTNERSHIP_TYPES,
    Edge,
    EdgeType,
    GraphChange,
    Node,
    NodeKind,
    Status,
    Tier,
    check_text,
)
from graph_service.services.inputs import problem
from graph_service.store.base import GraphStore, MappingStore
from graph_service.text import normalise


class Target(StrEnum):
    """What a column holds."""

    IGNORE = "ignore"
    HOME_ZH = "home_zh"
    HOME_EN = "home_en"
    PARTNER_EN = "partner_en"
    PARTNER_ZH = "partner_zh"
    PARTNER_COUNTRY = "partner_country"
    SINCE = "since"
    RELATION = "relation"
    STATUS = "status"
    LEVEL = "level"
    NOTES = "notes"
    SOURCE = "source"


Outcome = Literal["created", "enriched", "unchanged", "conflict", "rejected"]
OUTCOMES: tuple[Outcome, ...] = ("created", "enriched", "unchanged", "conflict", "rejected")
Decision = Literal["keep", "file"]
UNSTATED = ("未注明", "不详", "未知", "not stated", "unknown", "unstated")
"""Words by which a file marks a side as not known: such a row names no home city."""
HOME_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "自治州", "自治县", "特别行政区",
                 "省", "市", "县", "区")
"""Administrative suffixes of Chinese home-side names, tried off when the full name finds nothing
(GeoNames often names 南宁 where an office writes 南宁市)."""
_PAREN = re.compile(r"\s*[(（][^()（）]*[)）]\s*")

_GUESSES: tuple[tuple[Target, tuple[str, ...]], ...] = (
    (Target.PARTNER_COUNTRY, ("country", "国家", "国别", "所在国")),
    (Target.SINCE, ("date", "year", "since", "日期", "时间", "年份", "结好", "签署", "缔结")),
    (Target.RELATION, ("relation", "tier", "type", "关系", "类型", "性质")),
    (Target.STATUS, ("status", "状态")),
    (Target.LEVEL, ("level", "层级", "级别")),
    (Target.NOTES, ("note", "remark", "comment", "备注", "说明")),
    (Target.SOURCE, ("source", "url", "link", "来源", "出处", "网址")),
)
_PARTNER_WORDS = ("partner", "foreign", "overseas", "外方", "对方", "友城", "国外", "外国")
_HOME_WORDS = ("home", "side", "local", "我方", "中方", "本市", "国内", "本地", "我市")
_ZH_WORDS = ("zh", "chinese", "中文", "汉")
_EN_WORDS = ("en", "english", "英文", "外文", "拼音")


def header_key(header: Sequence[str]) -> str:
    """The key a mapping is remembered by: the header's normalised column names, in order."""
    return "\x1f".join(normalise(h) for h in header)


def _has(name: str, words: Sequence[str]) -> bool:
    parts = set(re.split(r"[\s_\-/()（）]+", name))
    return any((w in parts) if w.isascii() and len(w) <= 3 else (w in name) for w in words)


def guess_target(column: str) -> Target:
    """The field a column name suggests (``IGNORE`` when it suggests none)."""
    name = normalise(column)
    side = Target.PARTNER_EN if _has(name, _PARTNER_WORDS) else Target.HOME_EN if _has(name, _HOME_WORDS) else None
    if side is not None and not _has(name, ("country", "国家")):
        chinese = _has(name, _ZH_WORDS)
        if side is Target.PARTNER_EN:
            return Target.PARTNER_ZH if chinese else Target.PARTNER_EN
        return Target.HOME_ZH if chinese else Target.HOME_EN
    for target, words in _GUESSES:
        if _has(name, words):
            return target
    return Target.IGNORE


def guess_mapping(header: Sequence[str]) -> dict[str, Target]:
    """A field for each column; each field goes to one column at most (an exact name wins, then the
    first column that suggests it)."""
    guesses = {column: guess_target(column) for column in header}
    mapping: dict[str, Target] = {}
    used: set[Target] = set()
    exact = [c for c in header if normalise(c) == guesses[c].value]
    for column in [*exact, *(c for c in header if c not in exact)]:
        target = guesses[column]
        if target is not Target.IGNORE and target in used:
            target = Target.IGNORE
        used.add(target)
        mapping[column] = target
    return {column: mapping[column] for column in header}


def suggested_mapping(store: MappingStore, header: Sequence[str]) -> tuple[dict[str, Target], bool]:
    """The mapping remembered for this header (and True), else the guess (and False)."""
    remembered = store.column_mapping(header_key(header))
    if remembered and set(remembered) == set(header):
        try:
            return {c: Target(remembered[c]) for c in header}, True
        except ValueError:
            pass
    return guess_mapping(header), False


@dataclass(frozen=True)
class Options:
    """Choices the mapping step makes for the whole file."""

    home_country: str = "CN"
    home_province: str | None = None
    default_tier: Tier = Tier.SISTER


def check_mapping(header: Sequence[str], raw: Mapping[str, str], options: Mapping[str, str]) -> tuple[
        dict[str, Target], Options]:
    """The mapping and options a form posted, checked: a known field per column, each field at most
    once, a partner name, the partner's country and a home side mapped. ``InvalidFields`` otherwise,
    keyed ``map_<column number>`` for columns and by option name for options."""
    problems: list[FieldProblem] = []
    mapping: dict[str, Target] = {}
    seen: dict[Target, int] = {}
    for i, column in enumerate(header):
        try:
            target = Target(raw.get(f"map_{i}", "ignore") or "ignore")
        except ValueError:
            problems.append(problem(f"map_{i}", "bad_choice", value=str(raw.get(f"map_{i}"))[:40]))
            continue
        if target is not Target.IGNORE and target in seen:
            problems.append(problem(f"map_{i}", "mapped_twice", target=target.value, column=header[seen[target]]))
        seen.setdefault(target, i)
        mapping[column] = target
    if not problems:
        if Target.PARTNER_EN not in seen and Target.PARTNER_ZH not in seen:
            problems.append(problem("mapping", "map_missing", target="partner_en"))
        if Target.PARTNER_COUNTRY not in seen:
            problems.append(problem("mapping", "map_missing", target="partner_country"))
        if Target.HOME_ZH not in seen and Target.HOME_EN not in seen:
            problems.append(problem("mapping", "map_missing", target="home_zh"))
    country = (options.get("home_country") or "").strip().upper()
    if read_country(country) is None:
        problems.append(problem("home_country", "bad_country", value=country[:40]))
    try:
        tier = Tier(options.get("default_tier") or "sister")
    except ValueError:
        problems.append(problem("default_tier", "bad_choice", value=str(options.get("default_tier"))[:40]))
        tier = Tier.SISTER
    province = (options.get("home_province") or "").strip()[:MAX_NAME_CHARS] or None
    if problems:
        raise InvalidFields(problems)
    return mapping, Options(home_country=read_country(country) or "CN", home_province=province, default_tier=tier)


# -- the plan ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Note:
    """A reason or a warning, as a code and its parameters (rendered per language by the front ends)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conflict:
    """A value the row gives that disagrees with the stored one; ``key`` names its decision."""

    key: str
    field: str
    stored: str
    file: str
    decision: Decision = "keep"


@dataclass
class RowPlan:
    line: int
    outcome: Outcome
    home: Node | None = None
    partner: Node | None = None
    home_new: bool = False
    partner_new: bool = False
    tier: Tier | None = None
    fills: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    reason: Note | None = None


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    change: GraphChange

    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome for r in self.rows)
        return {outcome: found.get(outcome, 0) for outcome in OUTCOMES} | {"rows": len(self.rows)}

    def by_outcome(self, outcome: Outcome) -> list[RowPlan]:
        return [r for r in self.rows if r.outcome == outcome]


@dataclass
class _Row:
    """The cells of one row, by field."""

    cells: dict[Target, str]

    def get(self, target: Target) -> str:
        return self.cells.get(target, "").strip()


def _names(*values: str) -> list[str]:
    out: list[str] = []
    for value in values:
        for name in (value, _PAREN.sub(" ", value).strip()):
            if name and name not in out:
                out.append(name)
    return out


def _home_names(row: _Row) -> list[str]:
    names = _names(row.get(Target.HOME_ZH), row.get(Target.HOME_EN))
    for name in list(names):
        for suffix in HOME_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                names.append(name.removesuffix(suffix))
                break
    return list(dict.fromkeys(names))


class _Planner:
    def __init__(self, store: GraphStore, table: Table, mapping: Mapping[str, Target], options: Options,
                 decisions: Mapping[str, str], settle: bool):
        self.table, self.options, self.decisions, self.settle = table, options, decisions, settle
        self.columns: dict[Target, int] = {target: table.header.index(c) for c, target in mapping.items()
                                           if target is not Target.IGNORE}
        proj = projection(store)
        self.nodes = proj.nodes
        self.index = proj.memo("spreadsheet_city_index", lambda: CityIndex(proj.nodes[i] for i in proj.cities.ids))
        self.created = CityIndex()
        self.ties: dict[frozenset[str], dict[EdgeType, Edge]] = {}
        tie_types = {t.value for t in PARTNERSHIP_TYPES}
        for edge_id, src, dst, kind, _ in proj.links.rows.values():
            if kind in tie_types:
                e = proj.links.record(edge_id)
                self.ties.setdefault(frozenset((src, dst)), {})[e.type] = e
        self.originals = {key: dict(held) for key, held in self.ties.items()}
        self.new_nodes: dict[str, Node] = {}
        self.changed_nodes: dict[str, Node] = {}
        self.first_line: dict[frozenset[str], int] = {}
        self.province = normalise(options.home_province) if options.home_province else None

    # -- resolving -------------------------------------------------------------------------------
    def _candidates(self, names: list[str], country: str) -> list[str]:
        """Cities of ``country`` named by any of ``names``, best first: stored ones, then ones this file creates."""
        found: list[str] = []
        for index in (self.index, self.created):
            for name in names:
                match = index.match(name, country, None, None, None)
                if match is not None:
                    for node_id in match.candidates or ([match.node_id] if match.node_id else []):
                        if node_id not in found:
                            found.append(node_id)
        return found

    def node(self, node_id: str) -> Node:
        return self.created.nodes.get(node_id) or self.index.nodes[node_id]

    def _home(self, row: _Row) -> tuple[Node | None, bool, list[Note]]:
        names = _home_names(row)
        country = self.options.home_country
        found = self._candidates(names, country)
        if self.province:
            in_province = [i for i in found if normalise(self.node(i).admin1 or "") == self.province]
            found = in_province or found
        if found:
            notes = [Note("ambiguous", {"side": "home", "name": names[0], "chosen": found[0],
                                        "candidates": ", ".join(found[1:6])})] if len(found) > 1 else []
            return self.node(found[0]), False, notes
        zh, en = row.get(Target.HOME_ZH), row.get(Target.HOME_EN)
        name = _PAREN.sub(" ", en).strip() or zh
        node = self._new_city(name, zh or None, country, self.options.home_province)
        return node, True, []

    def _partner(self, row: _Row, country: str, home: Node) -> tuple[Node, bool, list[Note]]:
        """The partner city: a city of ``country`` by any of its names, one already tied to ``home``
        first; a name in brackets ("Sihanouk Province (Sihanoukville)") only finds a city tied to home."""
        en, zh = row.get(Target.PARTNER_EN), row.get(Target.PARTNER_ZH)
        names = _names(en, zh) + ([zh.removesuffix("市")] if zh.endswith("市") and len(zh) > 2 else [])
        tied = lambda i: frozenset((home.id, i)) in self.ties  # noqa: E731
        found = sorted(self._candidates(names, country), key=lambda i: not tied(i))
        if not found or not tied(found[0]):
            aliases = [inner.strip() for text in (en, zh) for inner in re.findall(r"[(（]([^()（）]+)[)）]", text)]
            found = [i for i in self._candidates(aliases, country) if tied(i)] or found
        if found:
            notes = [Note("ambiguous", {"side": "partner", "name": names[0], "chosen": found[0],
                                        "candidates": ", ".join(found[1:6])})] if len(found) > 1 else []
            return self.node(found[0]), False, notes
        return self._new_city(en or zh, zh or None, country, None), True, []

    def _new_city(self, name: str, name_zh: str | None, country: str, admin1: str | None) -> Node:
        taken = lambda i: i in self.nodes or i in self.new_nodes  # noqa: E731
        node = Node(id=city_id(name, country, taken), kind=NodeKind.CITY, name=name,
                    name_zh=name_zh if name_zh != name else None, country=country, admin1=admin1,
                    source="spreadsheet import")
        self.new_nodes[node.id] = node
        self.created.add(node)
        return node

    # -- one row ---------------------------------------------------------------------------------
    def _reject(self, line: int, code: str, **params: Any) -> RowPlan:
        return RowPlan(line=line, outcome="rejected", reason=Note(code, params))

    def row(self, line: int, cells: list[str]) -> RowPlan:
        row = _Row({t: cells[i] for t, i in self.columns.items()})
        for target, value in row.cells.items():
            try:
                check_text(value, MAX_NAME_CHARS if target is not Target.NOTES else 4_000)
            except ValueError:
                return self._reject(line, "bad_text", column=self.table.header[self.columns[target]])
        home_text = " ".join(filter(None, (row.get(Target.HOME_ZH), row.get(Target.HOME_EN))))
        if not home_text:
            return self._reject(line, "no_home")
        if any(marker in home_text.casefold() for marker in UNSTATED):
            return self._reject(line, "home_unstated", value=home_text)
        if not (row.get(Target.PARTNER_EN) or row.get(Target.PARTNER_ZH)):
            return self._reject(line, "no_partner")
        country_text = row.get(Target.PARTNER_COUNTRY)
        country = read_country(country_text)
        if country is None:
            return self._reject(line, "unknown_country", value=country_text or "")
        home, home_new, notes = self._home(row)
        if home is None:
            return self._reject(line, "no_home")
        partner, partner_new, found = self._partner(row, country, home)
        notes += found
        if home.id == partner.id:
            return self._reject(line, "same_city", value=partner.name)
        return self._tie(line, row, home, partner, home_new, partner_new, notes)

    def _wanted(self, row: _Row, notes: list[Note]) -> tuple[dict[str, Any], Tier | None]:
        """The tie fields the row states, and its tier if it states one."""
        relation = read_relation(" ".join(filter(None, (row.get(Target.RELATION), row.get(Target.STATUS)))))
        status = relation.status
        if row.get(Target.STATUS):
            try:
                status = Status(row.get(Target.STATUS).casefold())
            except ValueError:
                status = read_relation(row.get(Target.STATUS)).status or status
        wanted: dict[str, Any] = {"status": status}
        extra_notes = [row.get(Target.RELATION), row.get(Target.NOTES)]
        raw_date = row.get(Target.SINCE)
        if raw_date:
            cell = read_date(raw_date)
            if cell is None:
                notes.append(Note("date_unread", {"value": raw_date}))
                extra_notes.append(f"date as written: {raw_date}")
            else:
                wanted["since"] = cell.value
                if cell.remark:
                    extra_notes.append(f"date {cell.value}: {cell.remark}")
        level_text = row.get(Target.LEVEL)
        level = read_level(level_text) if level_text else None
        if level_text and level is None:
            notes.append(Note("level_unread", {"value": level_text}))
        wanted["level"] = level
        wanted["notes"] = "; ".join(filter(None, extra_notes)) or None
        wanted["source"] = row.get(Target.SOURCE) or None
        return wanted, relation.tier

    def _tie(self, line: int, row: _Row, home: Node, partner: Node, home_new: bool, partner_new: bool,
             notes: list[Note]) -> RowPlan:
        wanted, stated_tier = self._wanted(row, notes)
        pair = frozenset((home.id, partner.id))
        held = self.ties.get(pair, {})
        plan = RowPlan(line=line, outcome="created", home=home, partner=partner, home_new=home_new,
                       partner_new=partner_new, notes=notes)
        name_zh = row.get(Target.PARTNER_ZH)
        if not held:
            tier = stated_tier or self.options.default_tier
            edge = Edge(src=home.id, dst=partner.id, type=tier.edge_type, status=wanted["status"],
                        since=wanted.get("since"), level=wanted["level"], notes=wanted["notes"],
                        source=merge_sources(wanted["source"], "spreadsheet import"))
            self.ties[pair] = {edge.type: edge}
            self.first_line[pair] = line
            plan.tier = tier
            self._partner_name(plan, partner, name_zh)
            if plan.conflicts and not self.settle and not all(c.key in self.decisions for c in plan.conflicts):
                plan.outcome = "conflict"
            return plan
        edge = held.get(EdgeType.SISTER_CITY) or held[EdgeType.FRIENDLY_EXCHANGE]
        plan.tier = Tier.of(edge.type)
        updates: dict[str, Any] = {}
        for name in ("since", "status", "level"):
            self._compare(plan, name, getattr(edge, name), wanted.get(name), updates)
        if stated_tier is not None and stated_tier.edge_type is not edge.type:
            self._decide(plan, "tier", Tier.of(edge.type).value, stated_tier.value, updates)
        if wanted["notes"] and wanted["notes"] not in (edge.notes or ""):
            plan.fills.append(("notes", wanted["notes"]))
            updates["notes"] = "\n".join(filter(None, (edge.notes, wanted["notes"])))
        self._partner_name(plan, partner, name_zh)
        if updates:
            if plan.fills or any(c.decision == "file" for c in plan.conflicts):
                updates["source"] = merge_sources(edge.source, wanted["source"])
            self._apply(pair, edge, updates)
        plan.outcome = self._outcome(plan, pair, line)
        return plan

    def _outcome(self, plan: RowPlan, pair: frozenset[str], line: int) -> Outcome:
        if plan.conflicts and not self.settle and not all(c.key in self.decisions for c in plan.conflicts):
            return "conflict"
        if plan.fills or any(c.decision == "file" for c in plan.conflicts):
            return "enriched"
        if pair in self.first_line:
            plan.notes.append(Note("same_pair", {"line": self.first_line[pair]}))
        return "unchanged"

    def _compare(self, plan: RowPlan, name: str, stored: Any, given: Any, updates: dict[str, Any]) -> None:
        if given is None:
            return
        stored_text, given_text = _text(stored), _text(given)
        if stored is None or (name == "since" and given_text.startswith(stored_text)
                              and len(given_text) > len(stored_text)):
            plan.fills.append((name, given_text))
            updates[name] = given
        elif stored_text != given_text and not (name == "since" and stored_text.startswith(given_text)):
            self._decide(plan, name, stored_text, given_text, updates, given)

    def _decide(self, plan: RowPlan, name: str, stored: str, given: str, updates: dict[str, Any],
                value: Any = None) -> None:
        key = f"{plan.line}:{name}"
        decision: Decision = "file" if self.decisions.get(key) == "file" else "keep"
        plan.conflicts.append(Conflict(key, name, stored, given, decision))
        if decision == "file":
            updates[name] = given if value is None else value

    def _partner_name(self, plan: RowPlan, partner: Node, name_zh: str) -> None:
        if not name_zh or plan.partner_new:
            return
        current = self.changed_nodes.get(partner.id) or self.new_nodes.get(partner.id) or partner
        stored = current.name_zh
        if stored is not None and (stored == name_zh or stored.removesuffix("市") == name_zh.removesuffix("市")):
            return
        if stored is None:
            plan.fills.append(("name_zh", name_zh))
            self._renamed(current, name_zh)
            return
        key = f"{plan.line}:name_zh"
        decision: Decision = "file" if self.decisions.get(key) == "file" else "keep"
        plan.conflicts.append(Conflict(key, "name_zh", stored, name_zh, decision))
        if decision == "file":
            self._renamed(current, name_zh)

    def _renamed(self, node: Node, name_zh: str) -> None:
        alt = [*node.alt_names, node.name_zh] if node.name_zh and node.name_zh not in node.alt_names else node.alt_names
        updated = node.model_copy(update={"name_zh": name_zh, "alt_names": alt[:MAX_LIST_ITEMS]})
        if node.id in self.new_nodes:
            self.new_nodes[node.id] = updated
        else:
            self.changed_nodes[node.id] = updated

    def _apply(self, pair: frozenset[str], edge: Edge, updates: dict[str, Any]) -> None:
        tier = updates.pop("tier", None)
        data = edge.model_dump() | updates
        if tier is not None:
            data["type"] = Tier(tier).edge_type
            if data["type"] is not EdgeType.SISTER_CITY:
                data["friendly_since"] = None
        self.ties[pair] = {**{t: e for t, e in self.ties[pair].items() if t is not edge.type},
                           data["type"]: Edge.model_validate(data)}

    # -- the change ------------------------------------------------------------------------------
    def change(self) -> GraphChange:
        change = GraphChange(nodes=[*self.new_nodes.values(), *self.changed_nodes.values()])
        for node in self.new_nodes.values():
            if node.country and node.country in self.nodes:
                change.edges.append(Edge(src=node.id, dst=node.country, type=EdgeType.LOCATED_IN))
        for pair, held in self.ties.items():
            before = self.originals.get(pair, {})
            for edge in held.values():
                if before.get(edge.type) != edge:
                    change.edges.append(edge)
            change.delete_edges += [e.id for t, e in before.items() if t not in held]
        return change


def _text(value: Any) -> str:
    return value.value if isinstance(value, StrEnum) else str(value)


def plan_import(store: GraphStore, table: Table, mapping: Mapping[str, Target], options: Options,
                decisions: Mapping[str, str] | None = None, *, settle: bool = False) -> ImportPlan:
    """What importing ``table`` with ``mapping`` would do, row by row, and the change it would write.

    ``settle`` reads a conflict without a decision as "keep the stored value" (what a commit does);
    otherwise such a row's outcome is ``conflict``.
    """
    planner = _Planner(store, table, mapping, options, decisions or {}, settle)
    rows = [planner.row(line, cells) for line, cells in zip(table.lines, table.rows, strict=True)]
    return ImportPlan(rows, planner.change())


def remember_mapping(store: MappingStore, header: Sequence[str], mapping: Mapping[str, Target]) -> None:
    """Remember the mapping chosen for this header, for the next file with the same columns."""
    store.save_column_mapping(header_key(header), {c: Target(t).value for c, t in mapping.items()})


def commit_import(store: GraphStore, table: Table, mapping: Mapping[str, Target], options: Options,
                  decisions: Mapping[str, str] | None = None, *, actor: str) -> ImportPlan:
    """Plan the import with the planner's decisions and write it in one transaction; the mapping is
    remembered for this header. Conflicts left undecided keep the stored values."""
    plan = plan_import(store, table, mapping, options, decisions, settle=True)
    if plan.change:
        change = plan.change
        store.upsert_graph(change.nodes, change.edges, delete_edges=change.delete_edges,
                           delete_nodes=change.delete_nodes, actor=actor, action="spreadsheet_import")
    if isinstance(store, MappingStore):
        remember_mapping(store, table.header, mapping)
    return plan


def read_upload(raw: bytes, filename: str) -> Table:
    """The table of an uploaded ``.xlsx`` or ``.csv`` (``InvalidFile`` when it is neither)."""
    return read_table(raw, filename)



def suggested_province(store: GraphStore, table: Table, mapping: Mapping[str, Target], country: str = "CN",
                       sample: int = 40) -> str | None:
    """The province most of the file's home cities lie in (their ``admin1``), to prefer its cities
    when a home name is shared across provinces (东兴 in Guangxi and in Heilongjiang); None if unclear."""
    columns = {target: table.header.index(c) for c, target in mapping.items() if target is not Target.IGNORE}
    found: Counter[str] = Counter()
    for cells in table.rows[:sample]:
        row = _Row({t: cells[i] for t, i in columns.items()})
        for name in _home_names(row):
            hits = [n for n in store.find_nodes(name, kind=NodeKind.CITY, country=country, limit=3)
                    if n.admin1 and normalise(name) in {normalise(n.name), normalise(n.name_zh or "")}]
            if hits:
                found[hits[0].admin1 or ""] += 1
                break
    if not found:
        return None
    province, count = found.most_common(1)[0]
    return province if count * 2 > sum(found.values()) else None
