"""Stable ids for records a user or a file creates: ``city:au:bundaberg``, ``school:nanning-no-2-high-school``.

The slug is the name's pinyin when it is Chinese, else its normalised form, so the same name always
gives the same id; a taken id gets ``-2``, ``-3`` … appended.

>>> city_id("Bundaberg", "AU", lambda i: False)
'city:au:bundaberg'
>>> city_id("班达伯格", "AU", lambda i: i == "city:au:bandaboge")
'city:au:bandaboge-2'
>>> record_id("school", "南宁市第二中学", lambda i: False)
'school:nanningshidierzhongxue'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from graph_service.text import normalise, pinyin

Taken = Callable[[str], bool]


def slug(name: str, limit: int = 80) -> str:
    """Lower-case letters, digits and hyphens from a name in any script (a hash for anything else)."""
    text = re.sub(r"[^a-z0-9]+", "-", pinyin(name) or normalise(name)).strip("-")[:limit].strip("-")
    return text or hashlib.sha1(name.encode()).hexdigest()[:10]


def fresh(base: str, taken: Taken) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken yet."""
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def city_id(name: str, country: str, taken: Taken) -> str:
    """The id of a new city: ``city:<country>:<slug of its first name part>``."""
    return fresh(f"city:{country.lower()}:{slug(name)}", taken)


def record_id(prefix: str, name: str, taken: Taken) -> str:
    """The id of a new school, enterprise, consulate, organisation or person: ``<prefix>:<slug>``."""
    return fresh(f"{prefix}:{slug(name)}", taken)
