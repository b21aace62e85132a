"""The services run on a real SQLite file holding the canonical world of the analysis tests."""

from __future__ import annotations

import pytest

from graph_service.store.sqlite import SQLiteStore
from tests.analysis.conftest import canonical_records


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "services.db")
    nodes, edges = canonical_records()
    store.upsert_nodes(nodes)
    store.upsert_edges(edges)
    yield store
    store.close()
