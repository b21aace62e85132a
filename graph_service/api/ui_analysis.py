"""The city page's gaps and suggestions from ``graph_service.analysis``, as plain dicts for templates.

Country names in both languages are attached from the projection. A city the analysis cannot
handle gets an empty section, never an error page.
"""

from __future__ import annotations

import logging
from typing import Any

from graph_service.analysis import Strategy, gap_report, list_strategies, load_strategy, projection, suggest
from graph_service.store.base import GraphStore

log = logging.getLogger(__name__)


def strategy_named(name: str | None) -> Strategy:
    """A shipped strategy profile by name; anything else (a path, a typo) gives the default."""
    return load_strategy(name if name in list_strategies() else None)


def gaps(store: GraphStore, city_id: str, strategy: Strategy) -> list[dict[str, Any]] | None:
    """Gap groups by region, each with ``partner_country_nodes`` and each gap country's ``node``."""
    proj = projection(store)
    try:
        report = gap_report(proj, city_id, by="region", strategy=strategy).model_dump(mode="json")
    except Exception:
        log.exception("gap report failed for %s", city_id)
        return None
    for group in report["groups"]:
        group["region_node"] = proj.nodes.get(group["id"])
        group["partner_country_nodes"] = [proj.countries.get(cc) for cc in group["partner_countries"]]
        for gap in group["gap_countries"]:
            gap["node"] = proj.countries.get(gap["country"])
    return report["groups"]


def suggestions(store: GraphStore, city_id: str, strategy: Strategy, limit: int = 10) -> list[dict[str, Any]] | None:
    """Ranked candidates with their reasons, each with its ``node``."""
    proj = projection(store)
    try:
        report = suggest(proj, city_id, limit=limit, strategy=strategy).model_dump(mode="json")
    except Exception:
        log.exception("suggestions failed for %s", city_id)
        return None
    for row in report["suggestions"]:
        row["node"] = proj.nodes.get(row["id"])
    return report["suggestions"]
