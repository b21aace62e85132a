"""The API answers in Chinese when asked (``?lang=zh`` or ``Accept-Language: zh``): reasons, notes,
group names and error messages; in English otherwise. Over real HTTP on the demo scenario."""

from __future__ import annotations

import re

import pytest

from graph_service.store.sqlite import SQLiteStore

NANNING = "geonames:1799869"
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def latin_words_outside_names(text: str, names: set[str]) -> list[str]:
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return LATIN_WORD.findall(text)


def node_names(api) -> set[str]:
    """Every name in the served store (names without Chinese data may stay Latin), read from its file."""
    store = SQLiteStore(api.db)
    try:
        return {n.name for n in store.snapshot().nodes}
    finally:
        store.close()


@pytest.mark.parametrize("how", [{"params": {"lang": "zh"}},
                                 {"headers": {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}}])
def test_suggestion_reasons_in_chinese(api, how):
    viewer = api.client("viewer")
    params = {"strategy": "nanning-2012", "limit": 10} | how.get("params", {})
    zh = viewer.get(f"/cities/{NANNING}/suggestions", params=params, headers=how.get("headers", {})).json()
    en = viewer.get(f"/cities/{NANNING}/suggestions", params={"strategy": "nanning-2012", "limit": 10}).json()
    assert [s["id"] for s in zh["suggestions"]] == [s["id"] for s in en["suggestions"]]
    names = node_names(api)
    reasons = [(r_en, r_zh) for a, b in zip(en["suggestions"], zh["suggestions"], strict=True)
               for r_en, r_zh in zip(a["reasons"], b["reasons"], strict=True)]
    assert len(reasons) >= 10
    for r_en, r_zh in reasons:
        assert (r_en["kind"], r_en["params"]) == (r_zh["kind"], r_zh["params"])
        assert HAN.search(r_zh["text"]) and not HAN.fullmatch(r_en["text"])
        assert not latin_words_outside_names(r_zh["text"], names), r_zh["text"]


def test_gap_names_and_notes_in_chinese(api):
    doc = api.client("viewer").get(f"/cities/{NANNING}/gaps", params={"lang": "zh", "strategy": "nanning-2012"}).json()
    names = {g["name"] for g in doc["groups"]}
    assert {"东盟", "亚洲", "日韩"} <= names
    assert doc["domestic"]["label"] == "港澳台交流"
    gaps = [g for group in doc["groups"] for g in group["gap_countries"]]
    assert gaps and all(HAN.search(g["name"]) for g in gaps)


@pytest.mark.parametrize("path, params, status", [
    ("/cities/Atlantis/partners", {}, 404),
    (f"/cities/{NANNING}/suggestions", {"limit": 999}, 422),
    (f"/cities/{NANNING}/gaps", {"strategy": "nope"}, 422),
    ("/no/such/route", {}, 404),
])
def test_errors_in_chinese_when_asked(api, path, params, status):
    viewer = api.client("viewer")
    zh = viewer.get(path, params=params | {"lang": "zh"})
    by_header = viewer.get(path, params=params, headers={"Accept-Language": "zh"})
    en = viewer.get(path, params=params)
    assert zh.status_code == by_header.status_code == en.status_code == status
    assert zh.json()["message"] == by_header.json()["message"]
    assert HAN.search(zh.json()["message"]) and not HAN.search(en.json()["message"])
    identifiers = {"Atlantis", "query", "limit", "nope", "default", "nanning-2012"}  # what the user typed or may type
    assert not latin_words_outside_names(zh.json()["message"], identifiers)


def test_english_is_the_default_and_unknown_languages_fall_back_to_it(api):
    viewer = api.client("viewer")
    for headers in ({}, {"Accept-Language": "fr-FR,en;q=0.8"}, {"Accept-Language": "en,zh;q=0.1"}):
        doc = viewer.get(f"/cities/{NANNING}/gaps", headers=headers).json()
        assert doc["domestic"]["label"] == "Exchanges with Hong Kong, Macao and Taiwan"
    assert viewer.get(f"/cities/{NANNING}/gaps", params={"lang": "x" * 11}).status_code == 422
