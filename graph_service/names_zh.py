"""Chinese names as the product shows them: Simplified, and for Chinese cities the name that reads as
the English one.

- ``simplified`` turns Traditional characters and Japanese shinjitai into Simplified ones with
  OpenCC (PyPI ``opencc``): 賀州 → 贺州, 広島 → 广岛, 仏山 → 佛山.
- ``reads_as`` says whether Han characters read (in pinyin, any reading of a polyphonic character)
  as a Latin name: 百色 reads as Baise, 百城 does not.
- ``choose_name_zh`` picks a city's Chinese name from GeoNames' alternate names. For a mainland
  Chinese city it is the name whose pinyin matches the English one (Baise → 百色, not 百城; Chengdu →
  成都, not 天府), a place-type suffix (市, 县 …) dropped; cities whose English name is no pinyin
  (minority-language or customary names: Hohhot, Lhasa, Kashgar, Ürümqi, Harbin …) take the name in
  ``NON_PINYIN_NAMES``. Elsewhere it is the first Han alternate name. Names written natively in
  Simplified characters come before converted ones (佛山 before 仏山市, 滨州 before 浜州市).
- ``CITY_NAMES_ZH`` corrects, by GeoNames id, cities whose alternate names give no right Chinese name
  (Guangxi's Pingxiang is 凭祥, not Jiangxi's 萍乡; Jakarta is 雅加达, not the archaic 勿礁维).

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
from collections.abc import Iterable, Mapping
from functools import cache

import opencc

from graph_service.resources import read_table

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


CITY_NAMES_ZH: Mapping[str, str] = read_table("city_names_zh.json")
"""GeoNames id → Chinese name, for cities whose GeoNames alternate names give no right one (checked by
hand against the mainland's standard forms, 中国地名 and 外国地名译名). The foreign cities across the
land border (Móng Cái onward, issue 14) are the first places a border city's office works with:

========= ============ ======== =====================================================================
id        city         name     why
========= ============ ======== =====================================================================
1798655   Pingxiang    凭祥     Guangxi's border city; GeoNames gives 萍乡 (Jiangxi's Pingxiang)
1812138   Dongxing     东兴     Guangxi's border city; GeoNames gives no Chinese name
1642911   Jakarta      雅加达   GeoNames lists the archaic 勿礁维 first
745044    Istanbul     伊斯坦布尔 GeoNames lists 伊斯坦堡 (Taiwan usage) first
1574507   Móng Cái     芒街     faces Dongxing across the Beilun river; GeoNames gives no Chinese name
1576633   Lạng Sơn     谅山     faces Pingxiang (Youyi Guan); no Chinese name in GeoNames
1586185   Cao Bằng     高平     Vietnamese border province seat; no Chinese name in GeoNames
1581349   Hà Giang     河江     Vietnamese border province seat; no Chinese name in GeoNames
1576303   Lào Cai      老街     faces Hekou; GeoNames gives 老街市
8456741   Lai Châu     莱州     Vietnamese border province seat; no Chinese name in GeoNames
1591538   Bắc Kạn      北件     Vietnamese province seat near Guangxi; no Chinese name in GeoNames
1586360   Cẩm Phả      锦普     Quảng Ninh port near Dongxing; GeoNames gives 锦普市
1308318   Mu-se        木姐     faces Ruili; no Chinese name in GeoNames
1319364   Kēng Tung    景栋     Shan State city near Xishuangbanna; no Chinese name in GeoNames
1847826   Möng La      勐拉     faces Daluo (Yunnan); no Chinese name in GeoNames
13494766  Laukkai      老街     Kokang's seat, near Zhenkang; no Chinese name in GeoNames
1655078   Muang Xay    孟赛     Oudomxay's seat, near Mengla; no Chinese name in GeoNames
2026609   Blagoveshchensk 布拉戈维申斯克 faces Heihe; GeoNames gives the historical 海兰泡
2039623   Uiju         义州     near Dandong; no Chinese name in GeoNames
2042267   Onsŏng       稳城     near Tumen; no Chinese name in GeoNames
2042645   Rajin        罗津     near Hunchun; GeoNames gives 罗先 (the larger Rason)
2042738   Musan-ŭp     茂山     near Helong; no Chinese name in GeoNames
2042893   Manp’o       满浦     faces Ji'an; no Chinese name in GeoNames
2044091   Hoeryŏng     会宁     near Longjing; no Chinese name in GeoNames
1520253   Zharkent     扎尔肯特 near Khorgos; no Chinese name in GeoNames
========= ============ ======== =====================================================================
"""


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def simplified(text: str, country: str | None = None) -> str:
    """``text`` in Simplified characters.

    Japanese shinjitai become Traditional first (OpenCC ``jp2t``), then Simplified (``t2s``): for a
    ``JP`` place every character; elsewhere each character that Simplified Chinese does not write
    (none of GB 2312's), so a Japanese form in a Chinese or Korean name is caught too (仏山 → 佛山,
    済州 → 济州) while a Chinese character that is also a Japanese short form stays (芸, 余).

    >>> simplified("仏山 営口 鶏西 竜岩 広州市"), simplified("芸 余 台")
    ('佛山 营口 鸡西 龙岩 广州市', '芸 余 台')
    """
    if not HAS_HAN.search(text):
        return text
    if country == "JP":
        text = _converter("jp2t").convert(text)
    else:
        text = "".join(ch if _in_simplified_charset(ch) else _converter("jp2t").convert(ch) for ch in text)
    return _converter("t2s").convert(text)


def _in_simplified_charset(ch: str) -> bool:
    """Whether ``ch`` is written in Simplified Chinese text (GB 2312), or is no Han character at all."""
    if not HAS_HAN.match(ch):
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def japanese_forms(text: str) -> list[str]:
    """The characters of ``text`` that are Japanese or Traditional forms, not Simplified Chinese ones:
    those OpenCC's ``jp2t`` then ``t2s`` change into another Simplified character, or that Simplified
    Chinese does not write at all. 浜 in 浜州 is Japanese for 滨; 叙, 概 and 郎 are Chinese.

    >>> japanese_forms("浜州 徳州 賀州 滨州 叙利亚 烟台 贵概 二郎")
    ['浜', '徳', '賀']
    """
    return [ch for ch in text if HAS_HAN.match(ch) and _is_foreign_form(ch)]


def _is_foreign_form(ch: str) -> bool:
    converted = _converter("t2s").convert(_converter("jp2t").convert(ch))
    if converted == ch:
        return False
    if not _in_simplified_charset(ch):
        return True
    # a Simplified character OpenCC maps to a Japanese variant (概 → 槪) or that shortens a Traditional one
    # (叙 of 敘) is Chinese; one that stands for another Simplified character (浜 for 滨) is not
    return _in_simplified_charset(converted) and _converter("s2t").convert(ch) == ch


def _native_first(forms: list[str], originals: list[str]) -> list[str]:
    """``forms`` with those written natively in Simplified (the original had no Japanese or Traditional
    form) first, each once: 佛山 before 仏山市's conversion, 滨州 before 浜州."""
    native = [f for f, o in zip(forms, originals, strict=True) if not japanese_forms(o)]
    return list(dict.fromkeys([*native, *forms]))


def _latin_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def reads_as(han: str, name: str) -> bool:
    """Whether the Han characters ``han`` read as ``name`` in toneless pinyin, any reading of each
    character allowed (ü may be written u or v)."""
    target = _latin_key(name)
    if not target or not HAN_ONLY.match(han):
        return False
    from pypinyin import Style, pinyin  # on first use: its dictionaries are ~50 MB a reading server never needs

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
    originals = [a.strip() for a in alternates if HAN_ONLY.match(a.strip())]
    forms = _native_first([simplified(a, country) for a in originals], originals)
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
