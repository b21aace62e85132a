"""Forged forms and framing in a real browser: a page served from another port of 127.0.0.1 auto-posts
an edit with the signed-in editor's cookies and is refused; it cannot frame the UI either. The
editor's own form, on the UI's origin, still works."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from graph_service.model import Edge, Node
from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore
from tests.browser.server import free_port

pytestmark = pytest.mark.browser

A, B = "test:forge-a", "test:forge-b"
EDGE = f"{A}|SISTER_CITY|{B}"


@pytest.fixture(scope="module")
def editor_key(demo_db) -> str:
    store = SQLiteStore(demo_db)
    try:
        store.upsert_nodes([Node(id=A, kind="City", name="Forge A", country="FR", demo=True),
                            Node(id=B, kind="City", name="Forge B", country="DE", demo=True)])
        store.upsert_edges([Edge(src=A, dst=B, type="SISTER_CITY", status="active", demo=True)])
        return create_key(store, "editor", "browser forgery test")[0]
    finally:
        store.close()


def edge_status(db: Path) -> str:
    store = SQLiteStore(db)
    try:
        return store.get_edge(EDGE).status.value
    finally:
        store.close()


@contextmanager
def attacker_site(folder: Path, pages: dict[str, str]):
    """Serve ``pages`` from ``folder`` on another free port of 127.0.0.1; yield its base URL."""
    for name, html in pages.items():
        (folder / name).write_text(html, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def sign_in(page, base_url: str, key: str) -> None:
    page.goto(f"{base_url}/key", wait_until="load")
    page.fill("#key", key)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_load_state("load")
    page.goto(f"{base_url}/city/{A}", wait_until="load")
    assert page.locator("form.edit-partnership").count() == 1, "signed in as an editor"


def test_a_form_posted_from_another_port_is_refused(watched, base_url, demo_db, editor_key, tmp_path, screenshots):
    page = watched.page
    sign_in(page, base_url, editor_key)
    forged = f"""<!DOCTYPE html><html><body>
<form id="f" method="post" action="{base_url}/city/{A}/partnership">
  <input name="edge_id" value="{EDGE}"><input name="status" value="ended">
  <input name="csrf_token" value="guessed">
</form>
<script>document.getElementById("f").submit();</script>
</body></html>"""
    framed = f'<!DOCTYPE html><html><body><iframe id="ui" src="{base_url}/city/{A}"></iframe></body></html>'
    with attacker_site(tmp_path, {"forge.html": forged, "frame.html": framed}) as attacker:
        with page.expect_response(lambda r: r.url.startswith(f"{base_url}/city/{A}/partnership")) as posted:
            page.goto(f"{attacker}/forge.html")
        assert posted.value.status == 403
        page.wait_for_load_state("load")
        assert "The form was not accepted" in page.locator("main").inner_text()
        page.screenshot(path=str(screenshots / "forged-form-refused.png"), full_page=True)
        assert edge_status(demo_db) == "active", "the forged post changed nothing"

        page.goto(f"{attacker}/frame.html", wait_until="load")
        frame = next(f for f in page.frames if f.parent_frame is not None)
        assert "city-name" not in frame.content(), "the UI does not render inside another origin's frame"

    page.goto(f"{base_url}/city/{A}", wait_until="load")
    form = page.locator("form.edit-partnership")
    form.locator("select[name=status]").select_option("signed")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert edge_status(demo_db) == "signed", "the editor's own form, on the UI's origin, works"
    page.goto(f"{base_url}/key", wait_until="load")
    page.locator("form.sign-out button").click()
    page.wait_for_load_state("load")
