"""Chinese names as the product shows them: Simplified, and for Chinese cities the name that reads as
the English one.

- ``simplified`` turns Traditional characters (and Japanese shinjitai, for Japanese places) into
  Simplified ones with OpenCC (PyPI ``opencc``): 賀州 → 贺州, 広島 → 广岛.
- ``reads_as`` says whether Han characters read (in pinyin, any reading of a polyphonic character)
  as a Latin name: 百色 reads as Baise, 百城 does not.
- ``choose_name_zh`` picks a city's Chinese name from GeoNames' alternate names. For a mainland
  Chinese city it is the name whose pinyin matches the English one (Baise → 百色, not 百城; Chengdu →
  成都, not 天府), a place-type suffix (市, 县 …) dropped; cities whose English name is no pinyin
  (minority-language or customary names: Hohhot, Lhasa, Kashgar, Ürümqi, Harbin …) take the name in
  ``NON_PINYIN_NAMES``. Elsewhere it is the first Han alternate name.

>>> simplified("賀州 欽州 來賓"), simplified("広島", "JP")
('贺州 钦州 来宾', '广岛')
>>> reads_as("百色", "Baise"), reads_as("百城", "Baise"), reads_as("西安", "Xi'an"), reads_as("六安", "Lu'an")
(True, False, True, True)
>>> choose_name_zh("Baise", ["百城", "百城街道", "百色", "百色市"], "CN")
'百色'
>>> choose_name_zh("Hezhou", ["賀州", "賀州市", "贺州市"], "CN"), choose_name_zh("Hohhot", ["呼市"], "CN")
('贺州', '呼和浩特')
>>> choose_name_zh("Ho Chi Minh City", ["ホーチミン市", "胡志明市"], "VN")
'胡志明市'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import opencc
from pypinyin import Style, pinyin

HAN_ONLY = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
HAS_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
PLACE_SUFFIXES = ("特别行政区", "自治州", "自治县", "街道", "地区", "市", "县", "区", "镇", "乡", "盟", "旗")
"""Place-type words a GeoNames alternate name may end with (百色市, 百色镇): dropped when choosing."""
MAINLAND = "CN"

NON_PINYIN_NAMES: dict[str, str] = {
    # Uyghur, Tibetan, Mongolian and other minority-language names, and customary spellings
    "Hohhot": "呼和浩特", "Lhasa": "拉萨", "Kashgar": "喀什", "Urumqi": "乌鲁木齐", "Shigatse": "日喀则",
    "Nyingchi": "林芝", "Qamdo": "昌都", "Nagqu": "那曲", "Karamay": "克拉玛依", "Hotan": "和田",
    "Aksu": "阿克苏", "Korla": "库尔勒", "Turpan": "吐鲁番", "Altay": "阿勒泰", "Kuqa": "库车",
    "Golmud": "格尔木", "Ordos": "鄂尔多斯", "Hailar": "海拉尔", "Ulanqab": "乌兰察布", "Xilinhot": "锡林浩特",
    "Hulunbuir": "呼伦贝尔", "Bayannur": "巴彦淖尔", "Manzhouli": "满洲里", "Harbin": "哈尔滨",
    "Ulanhot": "乌兰浩特", "Erenhot": "二连浩特", "Shihezi": "石河子", "Kashi": "喀什", "Artux": "阿图什",
    "Bole": "博乐", "Yining": "伊宁", "Tacheng": "塔城", "Hami": "哈密", "Ghulja": "伊宁",
}
"""Mainland cities whose English name is no pinyin reading: their Chinese name, entered by hand."""


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def simplified(text: str, country: str | None = None) -> str:
    """``text`` in Simplified characters; Japanese shinjitai first become Traditional for a ``JP`` place."""
    if not HAS_HAN.search(text):
        return text
    if country == "JP":
        text = _converter("jp2t").convert(text)
    return _converter("t2s").convert(text)


def _latin_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def reads_as(han: str, name: str) -> bool:
    """Whether the Han characters ``han`` read as ``name`` in toneless pinyin, any reading of each
    character allowed (ü may be written u or v)."""
    target = _latin_key(name)
    if not target or not HAN_ONLY.match(han):
        return False
    readings = [{r.replace("ü", "u").replace("v", "u") for r in options}
                for options in pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore")]
    if len(readings) != len(han):
        return False
    ends = {0}
    for options in readings:
        ends = {end + len(r) for end in ends for r in options if target.startswith(r, end)}
        if not ends:
            return False
    return len(target) in ends


def _without_suffix(han: str) -> str:
    for suffix in PLACE_SUFFIXES:
        if han.endswith(suffix) and len(han) - len(suffix) >= 2:
            return han[: -len(suffix)]
    return han


def choose_name_zh(name: str, alternates: Iterable[str], country: str | None) -> str | None:
    """The Chinese name of a city called ``name`` in ``country`` (see the module docstring), or None."""
    forms = [simplified(a.strip(), country) for a in alternates if HAN_ONLY.match(a.strip())]
    if country == MAINLAND:
        if is_non_pinyin(name):
            return NON_PINYIN_NAMES.get(name) or NON_PINYIN_NAMES[_ascii(name)]
        for form in forms:
            for candidate in (_without_suffix(form), form):
                if reads_as(candidate, name):
                    return candidate
        return None
    return forms[0] if forms else None


def is_non_pinyin(name: str) -> bool:
    """Whether ``name`` is one of the listed mainland names that are no pinyin (Hohhot, Ürümqi …)."""
    return name in NON_PINYIN_NAMES or _ascii(name) in NON_PINYIN_NAMES


def _ascii(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
