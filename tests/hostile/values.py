"""Hypothesis strategies for hostile input: what an attacker sends instead of the data a route expects.

- numbers: 2^63 and beyond, 5,000-digit integers, NaN, Infinity, 1e400, the smallest subnormal;
- text: control characters, lone surrogates, invalid UTF-8 (raw bodies), 1 MB names, markup,
  injection strings, path tricks;
- structure: JSON nested 10,000 deep, and the wrong kind of value (a list for a name, a string for a
  number, null for a required field).

``json_value`` values are Python objects that ``json.dumps`` can write (NaN and Infinity as the
literals Python writes); ``RAW`` bodies are bytes no encoder would produce.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

DEEP = 10_000
HUGE_INTEGER_TEXT = "9" * 5_000
MEGABYTE = 1_000_000

HUGE_NUMBERS = [2**63, 2**63 - 1, 2**64, -(2**63) - 1, 10**30, -(10**30), 2**53 + 1]
ODD_FLOATS = [float("nan"), float("inf"), float("-inf"), 1e308, -1e308, 5e-324, -0.0]
NASTY_TEXT = [
    "\x00", "a\x00b", "\x1b[31mred", "\x7f", "\x08\x0c", "\r\n\r\n", "\t", "\u0085", "\u2028", "\u202e",
    "\ud800", "\udfff", "\ufffe", "\uffff", "😀" * 50, "é" * 300, "%00", "%2e%2e%2f", "../../../etc/passwd",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "'; DROP TABLE nodes;--",
    "}) DETACH DELETE n //", "${jndi:ldap://x}", "{{7*7}}", "=HYPERLINK(\"http://x\")", "", " ", "null",
    "City", "SISTER_CITY", "geonames:1799869", "CN", "a|SISTER_CITY|b", "|||", "x" * 10_000,
]
WRONG_KINDS: list[Any] = [None, True, False, 0, -1, 1.5, [], [None], {}, {"a": 1}, [[[]]], ["x"] * 100, "1" * 300]


def deep_list(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def deep_object(depth: int = DEEP) -> str:
    return '{"a":' * depth + "1" + "}" * depth


RAW: list[bytes] = [
    deep_list().encode(),
    deep_object().encode(),
    ('{"id": "x", "kind": "City", "name": "n", "population": ' + HUGE_INTEGER_TEXT + "}").encode(),
    b'{"id": "x", "kind": "City", "name": "n", "lat": 1e400, "lon": -1e400}',
    b'{"id": "x", "kind": "City", "name": "n", "lat": NaN, "lon": Infinity}',
    b'{"id": "x", "kind": "City", "name": "\xff\xfe\xfd"}',
    b'{"id": "x", "kind": "City", "name": "\xed\xa0\x80"}',
    b'{"id": "x", "kind": "City", "name": "\\ud800"}',
    b"\xef\xbb\xbf{}",
    b"\x00" * 64,
    b"{" * 5000,
    b'{"nodes": ' + deep_list(5_000).encode() + b"}",
    b"[" + b"1," * 100_000 + b"1]",
    b'{"id": "x", "id": "y", "kind": "City", "kind": "Planet", "name": "n"}',
    b"",
    b"not json at all",
    b'"just a string"',
    b"12345",
]

scalar_hostile = st.one_of(
    st.sampled_from(HUGE_NUMBERS), st.sampled_from(ODD_FLOATS), st.sampled_from(NASTY_TEXT),
    st.sampled_from(WRONG_KINDS), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(categories=["Cc", "Cs", "Co", "Zl", "Zp", "So", "Lo"]),
            max_size=40),
)
json_value = st.recursive(scalar_hostile, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                  st.dictionaries(st.text(max_size=8), inner,
                                                                                  max_size=4)), max_leaves=8)
text_hostile = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from([str(n) for n in HUGE_NUMBERS] + ["nan", "NaN", "inf", "-Infinity", "1e400", HUGE_INTEGER_TEXT]),
    st.text(max_size=60),
)
"""Text for query strings, path segments and form fields (URLs carry text only)."""

MEGABYTE_NAME = "名" * (MEGABYTE // 3) + "x" * (MEGABYTE % 3)


def dumps(value: Any) -> bytes:
    """JSON as Python writes it, NaN and Infinity included; a lone surrogate goes out as its escape."""
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode()
