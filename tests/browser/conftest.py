"""Browser-test fixtures: one seeded store, one real server and one system chromium per session.

Playwright drives ``/usr/bin/chromium`` through ``executable_path``; ``playwright install`` is never
needed. Without chromium the tests skip with a message (and the CI guard fails a CI=true run).
External requests are blocked at the context and recorded, so a stray CDN load fails a test
instead of hanging it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.model import Edge, Node
from graph_service.store.sqlite import SQLiteStore
from tests.browser.browser import CHROMIUM_ARGS, Watched, is_local, system_chromium
from tests.browser.server import cli, serve

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = system_chromium()
    if path is None:
        pytest.skip("system chromium not found (install it with `apt-get install chromium`); browser tests skipped")
    return path


HOSTILE = '<img src=x onerror="document.title=1">"<script>alert(1)</script>'
"""A name that would run code if any page treated it as markup."""


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A SQLite store loaded with ``partner-graph seed`` (the demo scenario), plus two test cities
    (``test:host`` and ``test:hostile``, whose name is markup) that no demo page links to."""
    db = tmp_path_factory.mktemp("ui") / "demo.db"
    cli(db, "seed")
    store = SQLiteStore(db)
    store.upsert_nodes([Node(id="test:host", kind="City", name="Test host", country="FR", demo=True),
                        Node(id="test:hostile", kind="City", name=HOSTILE, country="FR", demo=True)])
    store.upsert_edges([Edge(src="test:host", dst="test:hostile", type="SISTER_CITY", demo=True)])
    store.close()
    return db


@pytest.fixture(scope="session")
def base_url(demo_db, tmp_path_factory, chromium_path) -> str:
    with serve(demo_db, tmp_path_factory.mktemp("ui-log") / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def world(world_db, tmp_path_factory, chromium_path):
    """The session's world store (geography plus the shared pairs file), served read-only by the
    browser tests; yields (base URL, db path)."""
    with serve(world_db.path, tmp_path_factory.mktemp("world-log") / "server.log") as url:
        yield url, world_db.path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def watched(context) -> Watched:
    return Watched.open(context)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
