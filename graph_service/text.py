"""Name normalisation for search: case, accents, spacing and pinyin for Chinese names.

A node is found by any of its names in any language: ``南宁``, ``Nanning``, ``nanning`` and
``nan ning`` all reach Nanning.

>>> normalise("  Zürich ")
'zurich'
>>> "nanning" in search_keys("Nanning", ["南宁"])
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pypinyin import lazy_pinyin

_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_SPACE_RE = re.compile(r"[\s\-_'’.]+")


def normalise(text: str) -> str:
    """Casefold, strip accents and collapse separators, so spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE_RE.sub(" ", stripped).strip()


def pinyin(text: str) -> str:
    """Toneless pinyin of the Han characters in ``text``, syllables run together: 南宁 → nanning."""
    return "".join(lazy_pinyin(text)).casefold() if _HAN_RE.search(text) else ""


def search_keys(name: str, other_names: Iterable[str] = ()) -> list[str]:
    """Every normalised form a search may match: each name, its unspaced form and its pinyin."""
    keys: list[str] = []
    for raw in (name, *other_names):
        if not raw:
            continue
        for form in (normalise(raw), normalise(raw).replace(" ", ""), pinyin(raw)):
            if form and form not in keys:
                keys.append(form)
    return keys


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
