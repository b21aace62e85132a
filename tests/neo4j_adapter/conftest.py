from __future__ import annotations

import pytest

from graph_service.store.neo4j import Neo4jStore

from .recording_driver import RecordingDriver

DATABASE = "partners"


@pytest.fixture
def driver() -> RecordingDriver:
    return RecordingDriver()


@pytest.fixture
def store(driver) -> Neo4jStore:
    """A Neo4jStore on the recording driver, with small batches so batching shows."""
    return Neo4jStore(driver, database=DATABASE, batch_size=2)
