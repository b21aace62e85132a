"""The city page's gaps and suggestions, from ``graph_service.analysis``, as plain dicts.

Analysis returns the shapes of the ``gaps --json`` and ``suggest --json`` contracts (DESIGN §5);
this module flattens models to dicts and adds the nodes the page needs for names in both languages.
A city the analysis cannot handle gets an empty section and a note, never an error page.
"""

from __future__ import annotations

import logging
from typing import Any

from graph_service.store.base import GraphStore

try:
    from graph_service import analysis
except ImportError:  # analysis lands on main separately; the page shows "not available" until then
    analysis = None

log = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def gaps(store: GraphStore, city_id: str) -> list[dict[str, Any]] | None:
    """Gap groups by region (``None`` when analysis is unavailable for this city)."""
    if analysis is None:
        return None
    try:
        report = _plain(analysis.gap_report(store, city_id, by="region"))
    except Exception:
        log.exception("gap report failed for %s", city_id)
        return None
    groups = report.get("groups", []) if isinstance(report, dict) else report
    countries = store.get_nodes({g["country"] for grp in groups for g in grp.get("gap_countries", [])}
                                | {c for grp in groups for c in grp.get("partner_countries", [])})
    for grp in groups:
        grp["partner_country_nodes"] = [countries.get(c) for c in grp.get("partner_countries", [])]
        for gap in grp.get("gap_countries", []):
            gap["node"] = countries.get(gap["country"])
    return groups


def suggestions(store: GraphStore, city_id: str, limit: int = 10) -> list[dict[str, Any]] | None:
    """Ranked candidates with their reasons (``None`` when analysis is unavailable for this city)."""
    if analysis is None:
        return None
    try:
        result = _plain(analysis.suggest(store, city_id, limit=limit))
    except Exception:
        log.exception("suggestions failed for %s", city_id)
        return None
    rows = result.get("suggestions", []) if isinstance(result, dict) else result
    nodes = store.get_nodes({r["id"] for r in rows})
    for row in rows:
        row["node"] = nodes.get(row["id"])
    return rows
