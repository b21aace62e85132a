"""Reason and note templates: every kind renders in English and Chinese, and the Chinese text has no
Latin word of its own (only the names it is given may be Latin)."""

from __future__ import annotations

import re
import string

import pytest

from graph_service.analysis import Strategy, projection, suggest
from graph_service.analysis.reasons import COUNT_WORDS, TEMPLATES, render

SAMPLES = {
    "node": "n1", "nodes": ["n1", "n2", "n3", "n4", "n5", "n6"], "loc": {"en": "Target", "zh": "目标"},
    "km": 107.4, "pct": 0.25, "int": 130000, "tier": "sister", "status": "dormant", "tags": ["buddhist-heritage"],
    "field": "education", "date": "2012-04", "g": 0.8,
    "links": [{"kind": "link.enterprise", "params": {"organisation": "n1", "home": "n2", "city": "n3"}}],
    **{spec: 3 for spec in COUNT_WORDS},
}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def sample_params(template: str) -> dict[str, object]:
    return {field: SAMPLES[spec or "int"] for _, field, spec, _ in string.Formatter().parse(template) if field}


def chinese_names(node_id: str, lang: str) -> str:
    return {"n1": "南宁", "n2": "孔敬", "n3": "万象"}.get(node_id, "某地") if lang == "zh" else node_id.upper()


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_kind_renders_in_both_languages(kind):
    en, zh = TEMPLATES[kind]
    params = sample_params(en) | sample_params(zh)
    english = render(kind, params, "en", chinese_names)
    chinese = render(kind, params, "zh", chinese_names)
    assert english and chinese and english != chinese
    assert not LATIN_WORD.findall(chinese), (kind, chinese)
    assert set(sample_params(en)) >= set(sample_params(zh)) - {"field", "date"}, "the Chinese text needs no extra facts"


def test_lists_counts_and_statuses_read_naturally():
    names = ["n1", "n2", "n3", "n4", "n5", "n6"]
    assert render("partner_of_partner", {"shared": names[:2], "home": "n3"}, "en", chinese_names) == \
        "Partner of N1, N2, already partners of N3"
    assert render("partner_of_partner", {"shared": names, "home": "n3"}, "zh", chinese_names) == \
        "是万象的友城南宁、孔敬、万象、某地等 6 个的合作伙伴"
    assert render("well_connected", {"candidate": "n1", "n": 1}, "en", chinese_names) == \
        "N1 is open to partnerships: 1 partner city"
    params = {"km": 12, "partner": "n2", "home": "n1", "tier": "friendly", "status": "active", "radius": 300}
    assert render("near_partner", params, "zh", chinese_names) == "距南宁的友好交流城市孔敬 12 公里(半径 300 公里)"
    assert render("near_partner", params | {"status": "dormant"}, "en", chinese_names) == \
        "12 km from N2, N1's friendly-exchange city partner, dormant (radius 300 km)"


def test_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        render("no_such_kind", {}, "en")


def test_suggestions_carry_kind_params_and_text_in_the_language_asked(world):
    profile = Strategy(name="t", name_zh="测试", groups=[{"id": "asean", "name": "ASEAN", "name_zh": "东盟",
                                                          "regions": ["ASEAN"], "weight": 1.0}],
                       gap_countries={"KH": 1.0}, targets=[{"name": "Bogor", "name_zh": "茂物", "country": "ID"}])
    proj = projection(world)
    en = suggest(proj, "nn", limit=30, strategy=profile)
    zh = suggest(proj, "nn", limit=30, strategy=profile, lang="zh")
    assert [s.id for s in en.suggestions] == [s.id for s in zh.suggestions]
    for a, b in zip(en.suggestions, zh.suggestions, strict=True):
        assert [(r.kind, r.params, r.evidence) for r in a.reasons] == \
            [(r.kind, r.params, r.evidence) for r in b.reasons]
    ud = next(s for s in zh.suggestions if s.id == "ud")
    near = next(r for r in ud.reasons if r.kind == "near_partner")
    assert near.params["partner"] == "kk" and near.params["km"] == 107
    assert near.text == "距Nanning的友好城市Khon Kaen 107 公里(半径 300 公里)"  # no Chinese names in this world
    target = next(r for s in zh.suggestions for r in s.reasons if r.kind == "named_target")
    assert target.text == "策略“测试”的重点目标:茂物"
