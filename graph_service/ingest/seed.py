"""The demo scenario: graph JSON files in ``seed/scenario/``, loaded in name order.

Every record there names the seed document it came from (``source``) or carries ``"demo": true``.
Loading is idempotent: a second load reports everything unchanged. Nodes that exist already (from
``geo``, say) are merged: the scenario's values win and the stored ones fill the gaps.
"""

from __future__ import annotations

from pathlib import Path

from graph_service.ingest.graph_json import GraphImportReport, import_graph
from graph_service.store.base import GraphStore

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


def scenario_files(seed_dir: Path = SEED_DIR) -> list[Path]:
    """The scenario's graph JSON files, in load order."""
    return sorted((seed_dir / "scenario").glob("*.json"))


def load_seed(store: GraphStore, seed_dir: Path = SEED_DIR, *, actor: str = "seed") -> dict[str, GraphImportReport]:
    """Load every scenario file; return the import report of each, by file name."""
    files = scenario_files(seed_dir)
    if not files:
        raise FileNotFoundError(f"no scenario files in {seed_dir / 'scenario'}")
    return {path.name: import_graph(store, path.read_bytes(), actor=actor, merge=True) for path in files}
