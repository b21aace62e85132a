"""Name normalisation for search: case, accents, spacing and pinyin for Chinese names.

A node is found by any of its names in any language: ``南宁``, ``Nanning``, ``nanning`` and
``nan ning`` all reach Nanning.

>>> normalise("  Zürich ")
'zurich'
>>> "nanning" in search_keys("Nanning", ["南宁"])
True
>>> normalise("賀州") == normalise("贺州")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from graph_service.names_zh import simplified

_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK_CHARS}]")
_ALL_CJK_RE = re.compile(f"^[{_CJK_CHARS}]+$")
CJK_KEY_SEPARATOR = "zzkey"
"""A token between CJK keys in ``cjk_tokens``, so a two-character phrase never spans two keys."""
_SPACE_RE = re.compile(r"[\s\-_'’.]+")
_QUERY_NOISE_RE = re.compile(
    "[\"`*?%\u00ab\u00b4\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"  # ASCII, Latin quotes
    "\u3008\u3009\u300a\u300b\u300c\u300d\u300e\u300f\uff05\uff0a\uff1f]"  # CJK brackets, full-width * ? %
)
"""Quotes people paste around a name, and wildcards they type out of habit: never part of a name."""


@lru_cache(maxsize=1 << 18)
def normalise(text: str) -> str:
    """Casefold, strip accents, collapse separators and write Han characters in Simplified form, so
    spellings compare equal (賀州 and 贺州 too). Cached per distinct text: imports meet the same
    names again and again."""
    if text.isascii():
        return _SPACE_RE.sub(" ", text.lower()).strip()
    if _HAN_RE.search(text):
        text = simplified(text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE_RE.sub(" ", stripped).strip()


def search_query(text: str) -> str:
    """What a typed query searches for: ``normalise``d, without the quotes and wildcards around or in
    it; empty when no letter, digit or CJK character is left (``InvalidInput`` for the caller to raise).

    >>> search_query('"北京"'), search_query("“Ho Chi”*"), search_query("_"), search_query("'"), search_query("*")
    ('北京', 'ho chi', '', '', '')
    """
    cleaned = normalise(_QUERY_NOISE_RE.sub(" ", text))
    return cleaned if any(ch.isalnum() for ch in cleaned) else ""


@lru_cache(maxsize=1 << 16)
def pinyin(text: str) -> str:
    """Toneless pinyin of the Han characters in ``text``, syllables run together: 南宁 → nanning.
    Cached per distinct name."""
    if not _HAN_RE.search(text):
        return ""
    from pypinyin import lazy_pinyin  # on first use: its dictionaries are ~50 MB a reading server never needs

    return "".join(lazy_pinyin(text)).casefold()


def search_keys(name: str, other_names: Iterable[str] = ()) -> list[str]:
    """Every normalised form a search may match: each name, its unspaced form and its pinyin."""
    keys: list[str] = []
    for raw in (name, *other_names):
        if not raw:
            continue
        plain = normalise(raw)
        for form in (plain, plain.replace(" ", ""), pinyin(raw)):
            if form and form not in keys:
                keys.append(form)
    return keys


ALTERNATES = "\x1f"
"""The line of a stored search text that separates a node's own names from its alternate names."""
CHINESE_FIRST = frozenset({"CN", "TW", "HK", "MO"})
"""Where a Chinese query looks first: China, with Taiwan, Hong Kong and Macao."""


def search_text(name: str, name_zh: str | None, alternates: Iterable[str] = ()) -> str:
    """A node's search keys as one stored text: the keys of its own names (``name``, ``name_zh``), a
    line ``ALTERNATES``, then the keys of its alternate names (former names among them).

    >>> [part.split() for part in search_text("Nanning", "南宁", ["Yongning"]).split(ALTERNATES)]
    [['nanning', '南宁'], ['yongning']]
    """
    own, others = search_key_parts(name, name_zh, alternates)
    return "\n".join([*own, ALTERNATES, *others])


def search_key_parts(name: str, name_zh: str | None, alternates: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The keys of a node's own names and, apart, those of its alternate names that are not also own keys:
    the two parts ``search_rank`` ranks apart (a store keeps them as it likes).

    >>> search_key_parts("Nanning", "南宁", ["Yongning", "Nanning"])
    (['nanning', '南宁'], ['yongning'])
    """
    own = search_keys(name, [name_zh or ""])
    return own, [k for k in search_keys("", alternates) if k not in own]


_OWN_LEVELS = (0, 2, 3)
_ALTERNATE_LEVELS = (1, 4, 5)
"""``search_rank``'s first figure for an exact, prefix or substring ``match_rank`` of an own name, and
of an alternate name."""
NO_MATCH = 6


def search_rank(query: str, text: str, country: str | None, population: int | None) -> tuple[int, int, int]:
    """How well a node's ``search_text`` answers ``query``, best first: an exact own name, an exact
    alternate name (a former name, say), a prefix of an own name, a substring of one, then a prefix
    and a substring of an alternate (GeoNames lists dozens of old romanisations: "Ho Chi" is a prefix
    of Hezhou's "Ho Chiu Chhi", which must not come before "District 1 (Ho Chi Minh City)"); among
    equals, for a query in Han characters, places in China first (北海 is Beihai before the Malaysian
    town GeoNames also calls 北海); then the larger population.

    >>> beihai, butterworth = search_text("Beihai", "北海"), search_text("Butterworth", "北海")
    >>> search_rank("北海", beihai, "CN", 500) < search_rank("北海", butterworth, "MY", 80_000)
    True
    >>> search_rank("nanning", search_text("Qujing", "曲靖", ["Nanning"]), "CN", 1)[0] > search_rank(
    ...     "nanning", search_text("Nanning", "南宁"), "CN", 1)[0]
    True
    """
    own, _, others = text.partition(f"\n{ALTERNATES}")
    compact = query.replace(" ", "")
    ranks = []
    for part, levels in ((own.split("\n"), _OWN_LEVELS), (others.split("\n"), _ALTERNATE_LEVELS)):
        found = [r for r in (match_rank(query, part), match_rank(compact, part)) if r is not None]
        if found:
            ranks.append(levels[min(found)])
    rank = min(ranks, default=NO_MATCH)
    elsewhere = 0 if not _HAN_RE.search(query) or country in CHINESE_FIRST else 1
    return rank, elsewhere, -(population or -1)


def match_rank(query: str, keys: Iterable[str]) -> int | None:
    """0 for an exact match, 1 for a prefix, 2 for a substring, ``None`` for no match."""
    best: int | None = None
    for key in keys:
        if key == query:
            return 0
        if key.startswith(query):
            best = 1
        elif query in key and best is None:
            best = 2
    return best


def has_han(text: str) -> bool:
    """Whether ``text`` has a Han character (a Chinese query ranks places in China first)."""
    return bool(_HAN_RE.search(text))


def is_cjk(text: str) -> bool:
    """Whether ``text`` is made of Han, kana or Hangul characters only.

    >>> is_cjk("南宁"), is_cjk("nanning")
    (True, False)
    """
    return bool(_ALL_CJK_RE.match(text))


def cjk_tokens(keys: Iterable[str]) -> str:
    """The CJK characters of ``keys`` spaced out, one token each, keys apart: what the one- and two-character
    search index holds (a trigram index cannot match a query shorter than three characters).

    >>> cjk_tokens(["nanning", "南宁", "南寧市"])
    '南 宁 zzkey 南 寧 市'
    """
    spaced = [" ".join(_CJK_RE.findall(key)) for key in keys if _CJK_RE.search(key)]
    return f" {CJK_KEY_SEPARATOR} ".join(spaced)
