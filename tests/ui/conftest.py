"""A demo store and an in-process client of the real app, for the UI tests that need no browser."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph_service.api.app import create_app
from graph_service.config import Settings
from graph_service.ingest.seed import load_seed
from graph_service.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("ui") / "demo.db"
    store = SQLiteStore(path)
    load_seed(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def client(demo_db):
    with TestClient(create_app(Settings(store=f"sqlite:///{demo_db}"))) as client:
        yield client
