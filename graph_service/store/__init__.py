"""Store adapters behind the ``GraphStore`` port, and ``open_store`` to pick one by URL.

>>> store = open_store("sqlite:///:memory:")
>>> type(store).__name__
'SQLiteStore'
"""

from __future__ import annotations

from graph_service.config import Settings
from graph_service.errors import StoreError
from graph_service.store.base import AuditLog, GraphStore, KeyStore, SessionStore, Store

__all__ = ["AuditLog", "GraphStore", "KeyStore", "SessionStore", "Store", "open_store"]


def open_store(url: str, settings: Settings | None = None) -> Store:
    """Open the store a URL names: ``sqlite:///relative.db``, ``sqlite:////abs.db`` or ``neo4j://…``."""
    if url.startswith("sqlite:///"):
        from graph_service.store.sqlite import SQLiteStore

        busy = (settings or Settings()).sqlite_busy_seconds
        return SQLiteStore(url.removeprefix("sqlite:///"), busy_seconds=busy)
    if url.split("://", 1)[0] in {"neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"}:
        from graph_service.store.neo4j import Neo4jStore

        settings = settings or Settings()
        return Neo4jStore.connect(
            url, settings.neo4j_user, settings.neo4j_password, database=settings.neo4j_database
        )
    raise StoreError(f"unknown store URL {url!r}: use sqlite:///path.db or neo4j://host:7687")
