"""The store-contract fixture: every test here runs on each adapter.

SQLite always runs. Neo4j runs when ``NEO4J_URI`` is set (with ``NEO4J_USER``, ``NEO4J_PASSWORD``
and ``NEO4J_DATABASE``); the database is emptied before each test, so point it at a scratch database.
"""

from __future__ import annotations

import os

import pytest

from graph_service.store.sqlite import SQLiteStore

NEO4J_HOWTO = "Neo4j contract tests skipped: NEO4J_URI is not set (README, section 'Live Neo4j', says how)"


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j_live)])
def store(request, tmp_path):
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "contract.db")
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip(NEO4J_HOWTO)
        from graph_service.store.neo4j import Neo4jStore

        store = Neo4jStore.connect(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        store.wipe_for_tests()
    yield store
    store.close()
