"""The demo scenario: graph JSON files in ``seed/scenario/``, loaded in name order.

The files reach the installed package as ``graph_service/resources/scenario`` (see
``graph_service.resources``). Every record there names the seed document it came from (``source``) or
carries ``"demo": true``. Loading is idempotent: a second load reports everything unchanged. Nodes that
exist already (from ``geo``, say) are merged: the scenario's values win and the stored ones fill the gaps.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable

from graph_service.ingest.graph_json import GraphImportReport, import_graph
from graph_service.resources import files_with_suffix, scenario_dir
from graph_service.store.base import GraphStore


def scenario_files(directory: Traversable | None = None) -> list[Traversable]:
    """The scenario's graph JSON files in ``directory`` (default: the shipped scenario), in load order."""
    return files_with_suffix(directory or scenario_dir(), ".json")


def load_seed(
    store: GraphStore, directory: Traversable | None = None, *, actor: str = "seed"
) -> dict[str, GraphImportReport]:
    """Load every scenario file; return the import report of each, by file name."""
    files = scenario_files(directory)
    if not files:
        raise FileNotFoundError(f"no scenario files in {directory or scenario_dir()}")
    return {path.name: import_graph(store, path.read_bytes(), actor=actor, merge=True) for path in files}
