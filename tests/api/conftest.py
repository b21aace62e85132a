"""The shared live APIs for the tests in this folder: uvicorn in a subprocess on a free loopback port,
over a store seeded with the demo scenario and one key per role. Reads need a key here
(``public_reads`` off); tests needing other settings start their own server.

``api`` (``sqlite_api``) serves a temporary SQLite file for the whole session. A module that also
runs on Neo4j overrides ``api`` with ``api_on_both_stores``: its tests run once on SQLite, then once on
the session's live Neo4j (emptied and seeded for that module, served by its own uvicorn).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support import Api, start_api, start_neo4j_api, stop_api


@pytest.fixture(scope="session")
def sqlite_api(tmp_path_factory) -> Iterator[Api]:
    """The shared live API over SQLite (public reads off)."""
    live = start_api(tmp_path_factory.mktemp("api"))
    yield live
    stop_api(live)


@pytest.fixture(scope="session")
def api(sqlite_api) -> Api:
    return sqlite_api


@pytest.fixture(scope="module")
def neo4j_api(neo4j_server, tmp_path_factory) -> Iterator[Api]:
    """The live API over the session's Neo4j, seeded afresh for one module (public reads off)."""
    live = start_neo4j_api(tmp_path_factory.mktemp("api-neo4j"), neo4j_server)
    yield live
    stop_api(live)


def api_on_both_stores(request: pytest.FixtureRequest) -> Api:
    """The body of a module's ``api`` override: ``params=["sqlite", "neo4j"]``, module scope."""
    return request.getfixturevalue(f"{request.param}_api")
