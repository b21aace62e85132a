"""Analysis over a NetworkX projection of the store: gaps, explained suggestions, strategy profiles,
metrics and the backtest (``graph_service.analysis.backtest.backtest``). Every function here takes a
``Projection``; ``graph_service.services`` builds it from a store for the front ends.

>>> from graph_service.store.sqlite import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> projection(store).graph.number_of_nodes()
0
>>> "default" in list_strategies()
True
"""

from graph_service.analysis.backtest import BacktestResult
from graph_service.analysis.gaps import GapReport, gap_report, province_cities
from graph_service.analysis.metrics import Metrics, metrics
from graph_service.analysis.projection import Projection, projection
from graph_service.analysis.strategy import Strategy, list_strategies, load_strategy
from graph_service.analysis.suggest import SuggestionReport, suggest

__all__ = [
    "BacktestResult",
    "GapReport",
    "Metrics",
    "Projection",
    "Strategy",
    "SuggestionReport",
    "gap_report",
    "list_strategies",
    "load_strategy",
    "metrics",
    "projection",
    "province_cities",
    "suggest",
]
