"""Analysis as the front ends ask for it: gaps and suggestions by strategy name, metrics.

Strategy profiles are named the same way everywhere. ``strategy_named`` gives the one behaviour for
an unknown name: ``StrategyError`` listing the shipped profiles (a 422 in the API, a message page in
the UI, exit code 1 on the CLI). Only the CLI may also name a YAML file, by passing a ``Path``.

>>> strategy_named("nanning-2012").name
'nanning-2012'
>>> strategy_named(None) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from graph_service.analysis import (
    GapReport,
    Metrics,
    Strategy,
    SuggestionReport,
    gap_report,
    list_strategies,
    load_strategy,
    metrics,
    projection,
    province_cities,
    suggest,
)
from graph_service.analysis.gaps import Coverage
from graph_service.analysis.matching import match_cities
from graph_service.analysis.projection import held_revision
from graph_service.analysis.strategy import DEFAULT_STRATEGY
from graph_service.errors import StrategyError
from graph_service.i18n import Lang
from graph_service.model import Node
from graph_service.store.base import GraphStore

StrategyRef = str | Path | None
"""A shipped profile's name, a YAML file (CLI only), or None."""
GapsBy = Literal["region", "country"]


@lru_cache(maxsize=32)
def _shipped(name: str) -> Strategy:
    return load_strategy(name)


def strategy_named(ref: StrategyRef) -> Strategy | None:
    """The profile ``ref`` names: None for None, a shipped profile for its name, a file for a ``Path``.

    A name is never read as a path, so an API or form value cannot reach the file system.
    """
    if ref is None:
        return None
    if isinstance(ref, Path):
        return load_strategy(ref)
    known = strategy_names()
    if ref not in known:
        labels_zh = "、".join(_shipped(n).name_zh or n for n in known)
        raise StrategyError(f"no strategy {ref[:60]!r}; known strategies: {', '.join(known)}", known,
                            zh=f"没有名为“{ref[:60]}”的策略方案;现有方案:{labels_zh}。")
    return _shipped(ref)


def strategy_or_default(ref: StrategyRef) -> Strategy:
    """``strategy_named``, with the default profile when ``ref`` is None."""
    return strategy_named(ref) or _shipped(DEFAULT_STRATEGY)


def analysis_revision(store: GraphStore) -> int | None:
    """The revision this process's analysis projection of ``store`` is at (None before its first use)."""
    return held_revision(store)


def analysed_nodes(store: GraphStore, node_ids: Iterable[str]) -> dict[str, Node]:
    """The nodes an analysis result names (its countries, regions, candidates), as that analysis saw
    them: from the projection, whose records outlive writes that do not touch them, instead of a
    store read that parses them all again on every page."""
    nodes = projection(store).nodes
    return {node_id: nodes[node_id] for node_id in node_ids if node_id in nodes}


def strategy_names() -> list[str]:
    """The shipped profiles, as ``strategy_named`` accepts them."""
    return list(_shipped_names())


@lru_cache(maxsize=1)
def _shipped_names() -> tuple[str, ...]:
    """Listed once per process (the shipped folder does not change while it runs); every page asks."""
    return tuple(list_strategies())


def city_gaps(store: GraphStore, city_id: str, *, by: GapsBy = "region", strategy: StrategyRef = None,
              lang: Lang = "en", coverage: Coverage = "all") -> GapReport:
    """Where one city's partner network is thin, by region or by country (names and notes in ``lang``;
    ``coverage="sister"``: only sister-city ties count as covering a country)."""
    return gap_report(projection(store), city_id, by=by, strategy=strategy_named(strategy), lang=lang,
                      coverage=coverage)


def province_gaps(
    store: GraphStore, province: str, *, country: str | None = None, by: GapsBy = "region",
    strategy: StrategyRef = None, lang: Lang = "en", coverage: Coverage = "all",
) -> GapReport:
    """The gaps of a whole province: every city of it counts as home (``NotFound`` for no such province)."""
    proj = projection(store)
    homes = province_cities(proj, province, country.upper() if country else None)
    return gap_report(proj, homes, by=by, strategy=strategy_named(strategy), label=province, lang=lang,
                      coverage=coverage)


def city_suggestions(
    store: GraphStore,
    city_id: str,
    *,
    limit: int = 20,
    strategy: StrategyRef = None,
    include_home_country: bool = False,
    include_partners: bool = False,
    lang: Lang = "en",
) -> SuggestionReport:
    """Ranked, explained candidate partners of one city (the default profile when none is named),
    reasons and notes in ``lang``."""
    return suggest(projection(store), city_id, limit=limit, strategy=strategy_or_default(strategy),
                   include_home_country=include_home_country, include_partners=include_partners, lang=lang)


def city_matches(
    store: GraphStore, city_id: str, *, limit: int = 20, include_home_country: bool = False, lang: Lang = "en"
) -> SuggestionReport:
    """Matching cities (寻找对等城市): cities most like this one in size, tags, port and capital status."""
    return match_cities(projection(store), city_id, limit=limit, include_home_country=include_home_country,
                        lang=lang)


def network_metrics(store: GraphStore, city_id: str | None = None, *, top: int = 20, years: int = 5) -> Metrics:
    """Degree leaders, central partners, communities and dormant ties (of one city, or overall)."""
    return metrics(projection(store), city=city_id, top=top, years=years)
