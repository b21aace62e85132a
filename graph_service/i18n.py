"""Planner-facing words in English and Chinese, switched with ``?lang=en|zh``.

>>> t("partners", "zh"), t("partners", "en")
('合作伙伴', 'Partners')
>>> from graph_service.model import CONTINENT_NAMES, Node
>>> display_name(Node(id="n", kind="City", name="Nanning", name_zh="南宁"), "zh")
'南宁'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from graph_service.i18n_records import ATTENTION, EVENTS, IMPORT_NOTES, PROBLEMS, RECORD_LABELS
from graph_service.model import CONTINENT_NAMES, Node

if TYPE_CHECKING:
    from graph_service.errors import FieldProblem
    from graph_service.services.activity import Attention, Event
    from graph_service.services.spreadsheet import Note

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")

LABELS: dict[str, tuple[str, str]] = {
    "app": ("partner-graph", "友城关系图谱"),
    "home": ("Home", "首页"),
    "search": ("Search", "搜索"),
    "search_placeholder": ("City, country or organisation: 南宁, Nanning, nanning",
                           "城市、国家或机构:南宁、Nanning、nanning"),
    "results": ("Results", "搜索结果"),
    "no_results": ("Nothing matches.", "没有匹配的结果。"),
    "overview": ("Overview", "概况"),
    "nodes": ("Records", "记录"),
    "edges": ("Relations", "关系"),
    "kind": ("Kind", "类型"),
    "count": ("Count", "数量"),
    "city": ("City", "城市"),
    "name": ("Name", "名称"),
    "busiest": ("Cities with the most partners", "友城最多的城市"),
    "country": ("Country", "国家"),
    "region": ("Region", "地区"),
    "domestic_region": ("Region of {country}", "{country}地区"),
    "regions": ("Regions", "地区"),
    "partners": ("Partners", "合作伙伴"),
    "partner": ("Partner", "合作城市"),
    "tier": ("Tier", "级别"),
    "status": ("Status", "状态"),
    "since": ("Since", "建立时间"),
    "notes": ("Notes", "备注"),
    "source": ("Source", "来源"),
    "sister": ("Sister cities (formal)", "友好城市(正式)"),
    "friendly": ("Friendly-exchange cities (MoU, letter of intent)", "友好交流城市(备忘录、意向书)"),
    "status_unknown": ("status unknown", "状态不详"),
    "proposed": ("proposed", "提议中"),
    "negotiating": ("negotiating", "洽谈中"),
    "signed": ("signed", "已签署"),
    "active": ("active", "活跃"),
    "dormant": ("dormant", "休眠"),
    "ended": ("ended", "已终止"),
    "no_partners": ("No partners recorded.", "尚无记录的合作城市。"),
    "gaps": ("Gaps by region", "按地区的友城空白"),
    "gap_countries": ("Gap countries: ★ strategy priority · number of peer cities at home with partners there",
                      "空白国家:★ 策略优先级 · 国内已在该国有友城的同行城市数"),
    "more": ("and {n} more", "另有 {n} 个"),
    "more_reasons": ("{n} more reasons", "另有 {n} 条理由"),
    "matches": ("Matching cities", "对等城市"),
    "matches_how": ("Cities abroad like this one: similar size, shared industry and heritage tags, port or inland, "
                    "capital status.", "与本市相似的国外城市:规模相近、产业与文化特色相同、同为港口或内陆、同为首府。"),
    "no_matches": ("No matching city: import tags or load world geography.",
                   "暂无对等城市:请导入特色标签或载入世界地理数据。"),
    "partner_countries": ("Partner countries", "已有友城的国家"),
    "priority": ("priority", "优先级"),
    "peers": ("peers", "同行"),
    "no_gaps": ("Gap analysis is not available.", "暂无空白分析。"),
    "no_regions": ("No regions in the store yet: load world geography with `partner-graph geo`.",
                   "尚无地区数据:请先载入世界地理数据。"),
    "suggestions": ("Suggested partners, with reasons", "建议发展的友城及理由"),
    "score": ("Score", "得分"),
    "strategy": ("Strategy profile", "策略方案"),
    "no_suggestions": ("No suggestions.", "暂无建议。"),
    "network": ("Network", "关系网络"),
    "ego_network": ("Partner network", "友城关系网络"),
    "hops_1": ("Direct ties", "直接关系"),
    "hops_2": ("With partners of partners (以点带面)", "含友城的友城(以点带面)"),
    "geo_view": ("Map", "地图"),
    "geo_title": ("Partnerships on the map", "友城关系地图"),
    "all_countries": ("All countries", "所有国家"),
    "show": ("Show", "显示"),
    "countries": ("Countries", "国家"),
    "pairs": ("Who partners with whom", "城市结对情况"),
    "cities_with_partners": ("Cities with partners", "有友城的城市"),
    "partnerships": ("Partnerships", "友城关系"),
    "partner_regions": ("Partnerships by region of the partner", "按对方所在地区统计"),
    "country_network": ("Partnerships between countries", "国家之间的友城关系"),
    "shown_first": ("Showing the first {n} of {total}.", "仅显示前 {n} 条,共 {total} 条。"),
    "not_found": ("Not found", "未找到"),
    "legend": ("Legend", "图例"),
    "demo": ("demo record", "演示数据"),
    "population": ("population", "人口"),
    "open_city": ("Double-click a city to open its page.", "双击城市可打开其页面。"),
    "language": ("中文", "English"),
    "sign_in": ("API key", "接口密钥"),
    "sign_out": ("Forget the key", "清除密钥"),
    "signed_in_as": ("Signed in with key {id} (role: {role}).", "已使用密钥 {id} 登录(角色:{role})。"),
    "key_help": ("Reading needs no key unless the server requires one. "
                 "Editing needs an editor key, which an administrator makes with:",
                 "除非服务器要求,浏览无需密钥。编辑需要编辑者密钥,由管理员用以下命令创建:"),
    "key_unknown": ("The key is unknown or revoked.", "密钥无效或已被吊销。"),
    "needs_key": ("This server needs an API key for reading.", "此服务器要求使用接口密钥浏览。"),
    "needs_editor": ("Editing needs an editor key.", "编辑需要编辑者密钥。"),
    "form_refused": ("The form was not accepted: it has expired or was sent from another site. Nothing was "
                     "changed; open the page again and resend the form.",
                     "表单未被接受:表单已过期,或来自其他网站。未作任何修改;请重新打开页面后再提交。"),
    "bad_input": ("Nothing was changed", "未作任何修改"),
    "invalid_request": ("The request is not valid", "请求无效"),
    "ambiguous": ("Several places have this name", "有多个同名地点"),
    "server_error": ("Something went wrong", "出现错误"),
    "domestic_ties": ("Ties within the country", "国内交流"),
    "home_ties": ("Ties within the country", "国内城市间交流"),
    "no_relations": ("No diplomatic relations (never a gap or a candidate)", "未建交国家(不列为空白或候选)"),
    "original_note": ("Original note", "英文原文"),
    "save": ("Save", "保存"),
    "edit": ("Edit", "编辑"),
    # The map and the network pictures (legend, filters).
    "province": ("Province or state", "省份/州"),
    "province_placeholder": ("e.g. Guangxi", "如 广西"),
    "city_placeholder": ("name or id", "名称或编号"),
    "all_regions": ("All regions", "所有地区"),
    "all_tiers": ("Both tiers", "全部级别"),
    "all_statuses": ("Any status", "任何状态"),
    "tier_sister": ("Sister cities", "友好城市"),
    "tier_friendly": ("Friendly-exchange cities", "友好交流城市"),
    "clear_filters": ("Clear", "清除筛选"),
    "no_such_place": ("No place matches this filter; change it or clear it.",
                      "没有符合此筛选条件的地点，请修改或清除。"),
    "several_places": ("Several cities are named “{name}”: choose one.", "有多个名为“{name}”的城市，请选择："),
    "city_page": ("City page", "城市页面"),
    "on_map": ("Partners on the map", "在地图上查看合作城市"),
    "ties_on_map": ("{n} ties on this map", "本图中 {n} 条关系"),
    "map_help": ("Scroll to zoom, drag to pan; click a city to pick out its ties, hover for its name, "
                 "double-click to open its page.",
                 "滚动缩放，拖动平移；单击城市突出其关系，悬停显示名称，双击打开城市页面。"),
    "land_source": ("Land: Natural Earth (public domain).", "陆地轮廓：自然地球数据（公有领域）。"),
    "legend_sister": ("Sister city (solid red)", "友好城市（红色实线）"),
    "legend_friendly": ("Friendly exchange (dashed blue)", "友好交流城市（蓝色虚线）"),
    "legend_preparing": ("Proposed or negotiating (dotted)", "提议中或洽谈中（点线）"),
    "legend_dormant": ("Dormant (faded)", "休眠（淡色）"),
    "legend_ended": ("Ended (thin grey)", "已终止（灰色细线）"),
    "legend_demo": ("Demo record, not a real tie (purple dash-dot)", "演示数据，并非真实关系（紫色点划线）"),
    "demo_tie": ("demo", "示例"),
    "demo_tie_title": ("demo record, not a real tie", "演示数据，并非真实关系"),
    "country_unknown": ("Country unknown", "国家不详"),
    "places_apart": ("Other places (no diplomatic relations, territories)", "其他地区（未建交国家、属地等）"),
    "legend_exchange": ("Exchange: visit, programme (green dashed)", "交流活动：互访、项目（绿色虚线）"),
    "legend_other": ("Other relation: consular district, school, investment (grey dotted)",
                     "其他关系：领区、学校、投资（灰色点线）"),
    "legend_province": ("Province or state (square)", "省、州（方形）"),
    "legend_region": ("Region (diamond)", "地区（菱形）"),
    "legend_group": ("Partners of partners, grouped by country with their count: double-click to expand",
                     "友城的友城，按国家归并并显示数量：双击展开"),
    "legend_bundle": ("Direct partners bundled by country or continent, each one named: double-click to draw "
                      "them one by one", "直接合作城市按国家或大洲合并，逐一列出名称：双击逐个显示"),
    "legend_width": ("Thicker line: several ties between what it joins", "线条越粗，所连之间的关系越多"),
    "legend_size": ("Bigger dots and labels: more ties.", "圆点和文字越大，关系越多。"),
    "legend_map_city": ("City (bigger: more ties on this map; the busiest are labelled, hover for the rest)",
                        "城市（越大表示本图中关系越多；关系最多的城市显示名称，其余悬停查看）"),
    "legend_map_marked": ("The chosen city", "所选城市"),
    "legend_land": ("Land", "陆地"),
    "other_countries": ("Other countries", "其他国家"),
    "group_label": ("{country}: {n}", "{country}：{n} 个"),
    "group_title": ("{n} partners of partners in {country}:\n{names}\nDouble-click to expand.",
                    "{country}的 {n} 个友城的友城：\n{names}\n双击展开。"),
    "bundle_title": ("{n} partners in {country}. Double-click to draw them one by one.",
                     "{country}的 {n} 个友城。双击逐一显示。"),
}

LABELS.update(RECORD_LABELS)

CONTINENT_LABELS: dict[str, tuple[str, str]] = CONTINENT_NAMES | {"?": ("unknown", "不详")}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "City": ("City", "城市"),
    "Country": ("Country", "国家"),
    "Region": ("Region", "地区"),
    "Consulate": ("Consulate", "领事馆"),
    "School": ("School", "学校"),
    "Enterprise": ("Enterprise", "企业"),
    "HonoraryCitizen": ("Honorary citizen", "荣誉市民"),
    "Organization": ("Organisation", "组织"),
}

EDGE_LABELS: dict[str, tuple[str, str]] = {
    "SISTER_CITY": ("sister city", "友好城市"),
    "FRIENDLY_EXCHANGE": ("friendly exchange", "友好交流城市"),
    "EXCHANGE": ("exchange", "交流"),
    "LOCATED_IN": ("located in", "位于"),
    "IN_REGION": ("in region", "属于地区"),
    "PARTNER_SCHOOL": ("partner school", "友好学校"),
    "INVESTS_IN": ("invests in", "投资"),
    "OPERATES_IN": ("operates in", "经营于"),
    "HONORARY_CITIZEN_OF": ("honorary citizen of", "荣誉市民"),
    "REPRESENTS": ("represents", "代表"),
    "JURISDICTION_OVER": ("consular district", "领区"),
}


TIER_LABELS: dict[str, tuple[str, str]] = {
    "sister": ("sister", "友好城市"),
    "friendly": ("friendly-exchange", "友好交流城市"),
}
"""A partnership tier as a reason names it: "Khon Kaen's sister city partner" / "友好城市孔敬"."""

STATUS_LABELS: dict[str, tuple[str, str]] = {
    s: LABELS[s] for s in ("proposed", "negotiating", "signed", "active", "dormant", "ended")
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "education": ("education", "教育"),
    "culture": ("culture", "文化"),
    "trade": ("trade", "经贸"),
    "tourism": ("tourism", "旅游"),
    "sports": ("sports", "体育"),
    "health": ("health", "卫生"),
    "agriculture": ("agriculture", "农业"),
    "science": ("science", "科技"),
    "youth": ("youth", "青少年"),
    "government": ("government", "政府"),
    "media": ("media", "媒体"),
}
"""Exchange fields (``ExchangeField``)."""

TAG_LABELS: dict[str, tuple[str, str]] = {
    "buddhist-heritage": ("Buddhist heritage", "佛教文化"),
    "china-asean-expo": ("China-ASEAN Expo", "中国—东盟博览会"),
    "consular-district": ("consular district", "领区"),
    "metallurgy": ("metallurgy", "冶金"),
    "silicone-chemicals": ("silicone chemicals", "有机硅化工"),
    "new-energy": ("new energy", "新能源"),
    "logistics": ("logistics", "物流"),
    "bonded-zone": ("bonded zone", "保税区"),
    "coal": ("coal", "煤炭"),
    "energy": ("energy", "能源"),
    "rail-freight": ("rail freight", "铁路货运"),
    "ceramics": ("ceramics", "陶瓷"),
    "auto-parts": ("auto parts", "汽车零部件"),
    "traditional-chinese-medicine": ("traditional Chinese medicine", "中医药"),
    "elderly-care": ("elderly care", "养老"),
    "industrial-transformation": ("industrial transformation", "产业转型"),
    "port": ("port", "港口"),
    "inland": ("inland", "内陆"),
    "capital": ("capital", "首都"),
    "provincial-capital": ("provincial capital", "省会"),
    "tourism": ("tourism", "旅游"),
}
"""City tags (industries and heritage). A tag not listed shows as written."""


def pick_lang(value: str | None) -> Lang:
    """``zh`` when asked for Chinese, English otherwise (unknown values fall back quietly)."""
    return "zh" if (value or "").lower().startswith("zh") else "en"


def lang_from_header(accept_language: str | None) -> Lang:
    """The language an ``Accept-Language`` header prefers among ours: ``zh`` when Chinese outranks
    English (by q-value, then by order), ``en`` otherwise.

    >>> lang_from_header("zh-CN,zh;q=0.9,en;q=0.8"), lang_from_header("en-US,zh;q=0.5"), lang_from_header(None)
    ('zh', 'en', 'en')
    """
    best: tuple[float, int, Lang] | None = None
    for order, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in ("zh", "en"):
            continue
        try:
            q = float(params.strip().removeprefix("q=")) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        candidate: tuple[float, int, Lang] = (-q, order, "zh" if lang == "zh" else "en")
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else "en"


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``; ``{name}`` placeholders filled from ``values``."""
    en, zh = LABELS.get(key, (key, key))
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def kind_label(kind: str, lang: Lang) -> str:
    en, zh = KIND_LABELS.get(kind, (kind, kind))
    return zh if lang == "zh" else en


def continent_label(code: str, lang: Lang) -> str:
    en, zh = CONTINENT_LABELS.get(code, (code, code))
    return zh if lang == "zh" else en


def edge_label(edge_type: str, lang: Lang) -> str:
    en, zh = EDGE_LABELS.get(edge_type, (edge_type, edge_type))
    return zh if lang == "zh" else en


def _pick(table: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    en, zh = table.get(key, (key, key))
    return zh if lang == "zh" else en


def tier_label(tier: str, lang: Lang) -> str:
    return _pick(TIER_LABELS, tier, lang)


def status_label(status: str, lang: Lang) -> str:
    return _pick(STATUS_LABELS, status, lang)


def field_label(field: str, lang: Lang) -> str:
    return _pick(FIELD_LABELS, field, lang)


def tag_label(tag: str, lang: Lang) -> str:
    return _pick(TAG_LABELS, tag, lang)


ROLE_LABELS: dict[str, tuple[str, str]] = {"viewer": ("viewer", "浏览者"), "editor": ("editor", "编辑者"),
                                           "admin": ("admin", "管理员")}


def role_label(role: str | None, lang: Lang) -> str:
    return _pick(ROLE_LABELS, str(role or ""), lang)


def strategy_label(strategy: object, lang: Lang) -> str:
    """A strategy profile's name on a page: ``name_zh`` on Chinese pages when it has one."""
    name = str(getattr(strategy, "name", strategy))
    return (getattr(strategy, "name_zh", None) or name) if lang == "zh" else name


SOURCE_WORDS_ZH: tuple[tuple[str, str], ...] = (
    (r"\bseed (\d+)", r"规划文件 \1"),
    (r"\bwikipedia_en\b", "英文维基百科"),
    (r"\bwikidata_P190\b", "维基数据"),
    (r"\bpairs import\b", "友城数据导入"),
    (r"\(([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)\)", ""),
    (r"\s*\([A-Za-z0-9_.-]+\.(?:csv|json|xlsx|graphml|gexf)\)", ""),
    (r"\s*,\s*", ","),
    (r"\s*;\s*", ";"),
)
"""How a Chinese page writes the source of a record: the words our importers and the demo scenario use."""
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def source_label(source: str | None, lang: Lang) -> str:
    """The source of a record as a page shows it: as written in English; in Chinese the known words
    translated (``seed 004, 篇1`` → ``规划文件 004,篇1``, ``wikipedia_en`` → 英文维基百科), repository and
    file names left to the English page.

    >>> source_label("wikipedia_en(Hekman/twincities); pairs import (sister_pairs.csv)", "zh")
    '英文维基百科;友城数据导入'
    """
    if not source or lang != "zh":
        return source or ""
    for pattern, words in SOURCE_WORDS_ZH:
        source = re.sub(pattern, words, source)
    return source.strip()


def note_label(notes: str | None, attrs: dict[str, object], source: str | None, lang: Lang) -> str:
    """A record's note as a page shows it. Chinese pages show ``attrs.notes_zh`` where the record has one,
    the note itself when it has no Latin word, else the record's source (an English note stays on the
    English page)."""
    if lang != "zh":
        return notes or source or ""
    if attrs.get("notes_zh"):
        return str(attrs["notes_zh"])
    if notes and not _LATIN_WORD.search(notes):
        return notes
    return source_label(source, lang)


def original_note(notes: str | None, attrs: dict[str, object], lang: Lang) -> str | None:
    """On a Chinese page, a note that has no Chinese text (an imported or typed English note): shown
    folded away under 英文原文 (``note_label`` shows the source in its place); None otherwise.

    >>> original_note("Twinned in 1995.", {}, "zh"), original_note("1995 年结好。", {}, "zh")
    ('Twinned in 1995.', None)
    >>> original_note("Twinned in 1995.", {"notes_zh": "1995 年结好。"}, "zh"), original_note("x y", {}, "en")
    (None, None)
    """
    if lang != "zh" or not notes or attrs.get("notes_zh") or not _LATIN_WORD.search(notes):
        return None
    return notes


def record_text(text: str | None, attrs: Mapping[str, object], key: str, lang: Lang) -> str:
    """A free-text field of a record (an exchange's ``title`` or ``outcome``) as a page in ``lang`` shows
    it: as written in English; in Chinese ``attrs[key + "_zh"]`` where the record has one, the text
    itself when it has no Latin word, else nothing (the English text stays on the English page, and in
    the form and the workbooks).

    >>> record_text("Teachers to Khon Kaen", {}, "title", "zh"), record_text("教师赴孔敬", {}, "title", "zh")
    ('', '教师赴孔敬')
    """
    if lang != "zh":
        return text or ""
    if attrs.get(f"{key}_zh"):
        return str(attrs[f"{key}_zh"])
    return text if text and not _LATIN_WORD.search(text) else ""


def display_name(node: Node, lang: Lang) -> str:
    """The Chinese name in Chinese when there is one, otherwise the main name."""
    return node.name_zh if lang == "zh" and node.name_zh else node.name


def both_names(node: Node) -> str:
    """``南宁 Nanning`` when the Chinese name differs from the main name; the main name alone otherwise."""
    if node.name_zh and node.name_zh != node.name:
        return f"{node.name_zh} {node.name}"
    return node.name


class _Blank(dict[str, Any]):
    """Format values where a missing placeholder reads as nothing rather than an error."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(table: Mapping[str, tuple[str, str]], key: str, lang: Lang, values: Mapping[str, Any],
          fallback: str | None = None) -> str:
    if key not in table:
        return fallback if fallback is not None else key
    en, zh = table[key]
    return (zh if lang == "zh" else en).format_map(_Blank(values))


def _label_params(params: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """Parameters as a reader sees them: tiers, steps and fields named in the page's language."""
    shown = dict(params)
    if "tier" in shown:
        shown["tier"] = t(f"tier_{shown['tier']}", lang)
    for key in ("step", "earlier"):
        if key in shown:
            shown[key] = t(f"f_{shown[key]}", lang)
    if "target" in shown:
        shown["target"] = t(f"t_{shown['target']}", lang)
    return shown


def problem_text(problem: FieldProblem, lang: Lang) -> str:
    """A form field's problem in ``lang`` (``required`` → 必填。)."""
    return _fill(PROBLEMS, problem.code, lang, _label_params(problem.params, lang), fallback=problem.message)


def event_text(event: Event, lang: Lang) -> str:
    """One timeline event as a sentence in ``lang``."""
    partner = display_name(event.other, lang) if event.other is not None else ""
    values: dict[str, Any] = {"partner": partner, "ours": display_name(event.ours, lang),
                              "title": record_text(event.edge.title, event.edge.attrs, "title", lang)
                              or t("untitled_exchange", lang), "field": t(event.code, lang)}
    if event.kind == "lifecycle":
        from graph_service.model import Tier

        values["tier"] = t(f"tier_{Tier.of(event.edge.type).value}", lang)
        return _fill(EVENTS, event.code, lang, values)
    if event.kind == "exchange":
        return _fill(EVENTS, f"exchange_{event.edge.direction or 'none'}", lang, values)
    return _fill(EVENTS, event.code, lang, values)


def attention_text(attention: Attention, lang: Lang, stalled_years: int = 1) -> str:
    """Why a tie needs attention, in ``lang``."""
    code: str = attention.code
    if code == "never" and attention.since is None:
        code = "never_undated"
    status = t(attention.edge.status.value, lang) if attention.edge.status else ""
    since = attention.since or ""
    if code == "dormant":
        since = f" ({since})" if since else ""
    return _fill(ATTENTION, code, lang, {"since": since, "status": status, "n": stalled_years})


def import_note_text(note: Note, lang: Lang) -> str:
    """A spreadsheet-import reason or warning in ``lang``."""
    return _fill(IMPORT_NOTES, note.code, lang, dict(note.params))
