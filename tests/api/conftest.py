"""The shared live API for the tests in this folder: uvicorn in a subprocess on a free loopback port,
over a temporary SQLite store seeded with the demo scenario and one key per role. Reads need a key
here (``public_reads`` off); tests needing other settings start their own server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .support import Api, start_api


@pytest.fixture(scope="session")
def api(tmp_path_factory) -> Iterator[Api]:
    """The shared live API (public reads off)."""
    live = start_api(tmp_path_factory.mktemp("api"))
    yield live
    for client in live.clients.values():
        client.close()
    live.server.stop()
