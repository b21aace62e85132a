"""The checker of issue 9, acceptance 2: on ``?lang=zh`` a page's visible text is Chinese.

``english_left(text, names)`` returns the runs of Latin script in ``text`` that are not one of the
allowed proper ``names`` (the names in the served data that have no Chinese form). A page passes when
nothing is left and it shows Chinese text of its own (``han_count``), so an empty or broken page
cannot pass.

What the page check leaves out of "visible text", and why:

- ``<code>`` elements: commands a user types as written (``partner-graph keys create``);
- ``#lang-switch``: the link to the English page, named in English as language switches are;
- form values and attributes (placeholders, ids): not visible text.

>>> english_left("南宁的友城:Khon Kaen、Provo", {"Khon Kaen", "Provo"})
[]
>>> english_left("建议:Partner of Khon Kaen", {"Khon Kaen"})
['Partner of Khon Kaen']
>>> english_left("人口 3,800,000 · 2012-04 · 0.52", set())
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'’.\-()]*"
                       r"(?:[ ,/&]+[A-Za-z\u00c0-\u024f0-9(][A-Za-z\u00c0-\u024f0-9'’.\-()]*)*")
HAN = re.compile(r"[\u4e00-\u9fff]")
_SEPARATORS = re.compile(r"[\s,/&]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub(" ", text).strip(" .-")


def english_left(text: str, names: Iterable[str]) -> list[str]:
    """The Latin-script runs of ``text`` that are not made up wholly of allowed names (a run such as
    ``Khon Kaen, Provo`` is two names; ``Partner of Khon Kaen`` is not)."""
    allowed = {_key(n) for n in names if n and not HAN.search(n)}
    left = []
    for run in LATIN_RUN.findall(text):
        words = _key(run).split(" ")
        covered = [True] + [False] * len(words)  # covered[i]: words[:i] split into allowed names
        for end in range(1, len(words) + 1):
            covered[end] = any(covered[start] and " ".join(words[start:end]) in allowed for start in range(end))
        if not covered[-1]:
            left.append(run.strip(" ,/&.-"))
    return left


def han_count(text: str) -> int:
    return len(HAN.findall(text))


VISIBLE_TEXT_JS = """() => {
  const hidden = document.createElement('style');
  hidden.textContent = 'code, #lang-switch { display: none !important; }';
  document.head.appendChild(hidden);
  const text = document.body ? document.body.innerText : '';
  hidden.remove();
  return text;
}"""
"""The page's visible text, ``<code>`` and the language switch left out (see the module docstring)."""


def visible_text(page) -> str:
    """The visible text of a Playwright page and of each of its frames."""
    parts = [page.evaluate(VISIBLE_TEXT_JS)]
    for frame in page.frames[1:]:
        parts.append(frame.evaluate(VISIBLE_TEXT_JS))
    return "\n".join(parts)
