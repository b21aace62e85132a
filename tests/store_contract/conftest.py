"""The store-contract fixture: every test here runs on each adapter.

SQLite runs on a fresh file per test. Neo4j runs on the session's live server (``neo4j_server`` in
``tests/conftest.py``: ``NEO4J_URI`` if set, else the local launcher), emptied before each test, so
a server named by ``NEO4J_URI`` must hold a scratch database.
"""

from __future__ import annotations

import pytest

from graph_service.store.sqlite import SQLiteStore


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request, tmp_path):
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    store = SQLiteStore(tmp_path / "contract.db")
    yield store
    store.close()
