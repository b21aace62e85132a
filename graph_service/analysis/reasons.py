"""Reason and note texts, rendered per language from templates: a *kind* plus *parameters*.

Analysis never stores a sentence. A feature says what it found as an ``Explanation`` (a kind, the
parameters and the evidence ids); ``render`` turns it into text in English or Chinese when a front
end asks, so one suggestion reads "107 km from Khon Kaen (孔敬)" in English and "距孔敬 107 公里" in
Chinese. Notes of gap and suggestion reports work the same way (kinds ``note.*``).

A template is a ``str.format`` string whose fields name parameters; the format spec after the colon
says how a value is shown in the language asked for:

=========== ======================================================================================
spec        shows
=========== ======================================================================================
``node``    a node id as its name (Chinese name on Chinese pages; official names of domestic
            territories from the home-country policy)
``nodes``   a list of node ids: ``A, B, C, D and 3 more`` / ``A、B、C、D等 7 个``
``loc``     a ``{"en": …, "zh": …}`` mapping: the text in the language asked for
``km``      a distance, whole kilometres with thousands separators
``pct``     a share in [0, 1] as a percentage
``int``     an integer with thousands separators
``tier``    ``sister`` / ``friendly`` as a tier name
``status``  a partnership status, as ``, dormant`` / ``,状态:休眠``; nothing for active or signed
``tags``    tag slugs (``buddhist-heritage``) as words (``佛教文化``)
``field``   an exchange field (``education``) as a word (``教育``)
``links``   a list of ``{"kind", "params"}``: each rendered, joined with ``; `` / ``;``
``cities``  a count with its noun: ``1 city``, ``3 cities`` / ``3 个城市`` (also ``partners``,
            ``partner_cities``, ``provinces``)
=========== ======================================================================================

To add a reason kind (issue #14 does): add its ``(English, Chinese)`` pair to ``TEMPLATES`` and return
``Explanation(kind, params, evidence)`` from the feature; ``tests/analysis/test_reasons.py`` checks
that every kind renders in both languages with no Latin word left in the Chinese text.

>>> render("note.no_geography", {}, "zh")
'尚无国家数据:请先载入世界地理数据。'
>>> render("similar_size", {"population": 130000, "home_population": 3800000, "home": "nn"}, "en")
'Similar size: population 130,000 against 3,800,000 in nn'
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graph_service.i18n import Lang, edge_label, field_label, status_label, tag_label, tier_label

Namer = Callable[[str, Lang], str]
"""``namer(node_id, lang)``: the name a node is shown by in ``lang``."""

TEMPLATES: dict[str, tuple[str, str]] = {
    # likelihood features
    "partner_of_partner": ("Partner of {shared:nodes}, already partners of {home:node}",
                           "是{home:node}的友城{shared:nodes}的合作伙伴"),
    "three_hop": ("Linked in three steps: {home:node} → {via:node} → {link:node} → {candidate:node}",
                  "三步相连:{home:node} → {via:node} → {link:node} → {candidate:node}"),
    "near_home": ("{km:km} km from {home:node}", "距{home:node} {km:km} 公里"),
    "near_home_abroad": ("{km:km} km from {home:node}, across the border in {country:node}",
                         "距{home:node} {km:km} 公里,位于邻国{country:node}"),
    "compatriot_ties": ("Already twinned with {n:cities} in {country:node}: {peers:nodes}",
                        "已与{country:node}的 {n:cities}结好:{peers:nodes}"),
    "compatriot_ties_and_provinces": (
        "Already twinned with {n:cities} in {country:node}: {peers:nodes}; and with {n_provinces:provinces}: "
        "{provinces:nodes}",
        "已与{country:node}的 {n:cities}结好:{peers:nodes};另与 {n_provinces:provinces}结好:{provinces:nodes}"),
    "compatriot_ties_provinces": ("Already twinned with {n_provinces:provinces} in {country:node}: {provinces:nodes}",
                                  "已与{country:node}的 {n_provinces:provinces}结好:{provinces:nodes}"),
    "country_affinity": ("{share:pct} of the partnerships of cities in {home_country:node} are with {country:node}",
                         "{home_country:node}城市的国际友城关系中,{share:pct} 在{country:node}"),
    "partner_country": ("{home:node} already has {n:partners} in {country:node}: {partners:nodes}",
                        "{home:node}在{country:node}已有 {n:partners}:{partners:nodes}"),
    "well_connected": ("{candidate:node} is open to partnerships: {n:partner_cities}",
                       "{candidate:node}乐于结好:已有 {n:partner_cities}"),
    "near_partner": ("{km:km} km from {partner:node}, {home:node}'s {tier:tier} city partner{status:status} "
                     "(radius {radius:km} km)",
                     "距{home:node}的{tier:tier}{partner:node} {km:km} 公里{status:status}(半径 {radius:km} 公里)"),
    "neighbour_country": ("{country:node} borders {via:nodes}, where {home:node} has partner(s) {footholds:nodes}",
                          "{country:node}与{via:nodes}接壤,{home:node}在那里已有友城{footholds:nodes}"),
    "similar_size": ("Similar size: population {population:int} against {home_population:int} in {home:node}",
                     "规模相近:人口 {population:int},{home:node}为 {home_population:int}"),
    "peer_partners": ("Already a partner of {peers:nodes}, within {km:km} km of {home:node}",
                      "已与{home:node}周边 {km:km} 公里内的{peers:nodes}结好"),
    # matching cities (寻找对等城市)
    "both_ports": ("A port city, like {home:node}", "与{home:node}同为港口城市"),
    "both_inland": ("An inland city, like {home:node}", "与{home:node}同为内陆城市"),
    "both_capitals": ("{candidate:node} is the capital of {country:node}; {home:node} is a capital too",
                      "{candidate:node}是{country:node}首都,{home:node}也是首府城市"),
    "both_capitals_province": ("{candidate:node} is a provincial capital, like {home:node}",
                               "{candidate:node}与{home:node}同为省会城市"),
    # strategy features
    "shared_tags": ("Shares {tags:tags} with {home:node}", "与{home:node}同有{tags:tags}特色"),
    "strategy_region": ("{country:node} is in '{group:loc}', weight {weight:g} in strategy {strategy:loc}",
                        "{country:node}属于策略“{strategy:loc}”的“{group:loc}”板块(权重 {weight:g})"),
    "gap_country": ("{country:node} is a gap country of strategy {strategy:loc} (priority {priority:g}): "
                    "{home:node} has no partner there yet",
                    "{country:node}是策略“{strategy:loc}”的空白国家(优先级 {priority:g}):{home:node}在该国尚无友城"),
    "named_target": ("Named target of strategy {strategy:loc}: {target:loc}",
                     "策略“{strategy:loc}”的重点目标:{target:loc}"),
    "institution": ("{links:links}", "{links:links}"),
    # institution links (the parts of an ``institution`` reason)
    "link.partner_school": ("{school:node} in {home:node} is a partner school of {other:node} in {city:node}",
                            "{home:node}的{school:node}与{city:node}的{other:node}是友好学校"),
    "link.enterprise": ("{organisation:node} works in both {home:node} and {city:node}",
                        "{organisation:node}同时在{home:node}和{city:node}开展业务"),
    "link.honorary_citizen": ("{person:node}, honorary citizen of {home:node}, comes from {city:node}",
                              "{home:node}荣誉市民{person:node}来自{city:node}"),
    "link.consulate": ("{consulate:node}, serving {home:node}, represents {country:node}",
                       "{consulate:node}在{home:node}履职,代表{country:node}"),
    "link.exchange": ("{home:node} already held {title:loc} with {city:node}",
                      "{home:node}已与{city:node}开展{field:field}交流{date:date}"),
    # appended to a reason that rests on invented records (``features.demo_records``)
    "demo_evidence": (" (demo data, not real: {records:nodes})", "(示例数据,并非真实记录:{records:nodes})"),
    # notes of suggestion and gap reports
    "note.no_partners": ("{home:node} has no partners yet: suggestions rest on its country's ties and the strategy.",
                         "{home:node}尚无友城:建议依据本国其他城市的友城关系和策略方案。"),
    "note.nothing_to_match": ("{home:node} has no population or tags to match on: import tags (`partner-graph "
                              "import tags FILE`) or load world geography first.",
                              "{home:node}没有人口或特色标签数据,无法寻找对等城市:请先导入标签或载入世界地理数据。"),
    "note.no_coordinates": ("{home:node} has no coordinates: distance features are left out for it.",
                            "{home:node}没有坐标:不计算距离类因素。"),
    "note.no_geography": ("No countries in the store: load world geography (`partner-graph geo`).",
                          "尚无国家数据:请先载入世界地理数据。"),
    "note.no_candidates_no_geography": (
        "No candidate found: load world geography (`partner-graph geo`) or partner data first.",
        "没有候选城市:请先载入世界地理数据或友城数据。"),
    "note.no_candidates": (
        "No candidate found: {home:node} has no partners or institution links, no other city of its country has "
        "partners, and the strategy names no gap countries or targets. Try --strategy nanning-2012 or a profile of "
        "your own.",
        "没有候选城市:{home:node}没有友城或机构联系,本国其他城市也没有友城,策略方案也未列出空白国家或目标。"
        "请换用其他策略方案(如南宁2012友城布局)或自定义方案。"),
    "note.demo_partners": ("{n:int} of these partners are demo records (invented examples, not real ties), counted "
                           "here as if real: {partners:nodes}.",
                           "其中 {n:int} 个友城为示例数据(虚构示例,并非真实关系),"
                           "此处按真实关系计算:{partners:nodes}。"),
    "note.domestic_ties": ("{n:int} tie(s) with {territories:nodes} are exchanges within China (港澳台交流), "
                           "listed apart and not counted as foreign partners.",
                           "与{territories:nodes}的 {n:int} 项关系属于港澳台交流,单独列出,不计入国际友城。"),
    "note.no_relations": ("Left out as partners: {countries:nodes} (no diplomatic relations with {home_country:node}).",
                          "以下国家未与{home_country:node}建交,不作为友城空白或候选:{countries:nodes}。"),
    "note.quarantined": ("{n:int} cities whose coordinates lie outside their country are left out of distances.",
                         "{n:int} 个城市的坐标不在其所属国家境内,不用于距离计算。"),
}
"""Every reason, link and note kind: ``kind -> (English template, Chinese template)``."""

COUNT_WORDS: dict[str, tuple[str, str, str]] = {
    "cities": ("city", "cities", "个城市"),
    "partners": ("partner", "partners", "个友城"),
    "partner_cities": ("partner city", "partner cities", "个友好城市"),
    "provinces": ("province or region", "provinces or regions", "个省级行政区"),
}
"""Count specs: ``spec -> (English singular, English plural, Chinese measure word and noun)``."""

MAX_LISTED = 4


def _identity(node_id: str, lang: Lang) -> str:
    return node_id


class _Formatter(string.Formatter):
    def __init__(self, lang: Lang, namer: Namer):
        super().__init__()
        self.lang, self.namer = lang, namer

    def format_field(self, value: Any, format_spec: str) -> str:
        zh = self.lang == "zh"
        if format_spec == "node":
            return self.namer(str(value), self.lang) if value else "?"
        if format_spec == "nodes":
            return self._nodes(list(value or []))
        if format_spec == "loc":
            return _localised(value, self.lang)
        if format_spec == "km":
            return f"{float(value):,.0f}"
        if format_spec == "pct":
            return f"{float(value):.0%}"
        if format_spec == "int":
            return f"{int(value):,}"
        if format_spec == "tier":
            return tier_label(str(value), self.lang)
        if format_spec == "status":
            if not value or value in ("active", "signed"):
                return ""
            return f",状态:{status_label(value, 'zh')}" if zh else f", {status_label(value, 'en')}"
        if format_spec == "tags":
            return ("、" if zh else ", ").join(tag_label(t, self.lang) for t in value)
        if format_spec == "field":
            return field_label(value, self.lang) if value else edge_label("EXCHANGE", self.lang)
        if format_spec == "date":
            return f"({value})" if value else ""
        if format_spec == "links":
            return (";" if zh else "; ").join(render(link["kind"], link["params"], self.lang, self.namer)
                                               for link in value)
        if format_spec in COUNT_WORDS:
            one, many, measure = COUNT_WORDS[format_spec]
            n = int(value)
            return f"{n} {measure}" if zh else f"{n} {one if n == 1 else many}"
        return super().format_field(value, format_spec)

    def _nodes(self, ids: Sequence[str]) -> str:
        shown = [self.namer(i, self.lang) for i in ids[:MAX_LISTED]]
        more = len(ids) - MAX_LISTED
        if self.lang == "zh":
            return "、".join(shown) + (f"等 {len(ids)} 个" if more > 0 else "")
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _localised(value: Any, lang: Lang) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("en") or "")
    return str(value)


def localised(en: str, zh: str | None) -> dict[str, str]:
    """A ``loc`` parameter: ``{"en": en, "zh": zh}``, the English text standing in for a missing Chinese one."""
    return {"en": en, "zh": zh or en}


def render(kind: str, params: Mapping[str, Any], lang: Lang, namer: Namer = _identity) -> str:
    """The text of reason or note ``kind`` with ``params`` in ``lang``; ``KeyError`` for an unknown kind."""
    en, zh = TEMPLATES[kind]
    return _Formatter(lang, namer).format(zh if lang == "zh" else en, **params)
