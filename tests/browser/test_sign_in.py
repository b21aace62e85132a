"""Signing in and out in chromium keeps the page's language: a planner who enters the key on the
Chinese key page lands on the Chinese home page, and signs out to it."""

from __future__ import annotations

import pytest

from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def viewer_key(demo_db) -> str:
    store = SQLiteStore(demo_db)
    try:
        return create_key(store, "viewer", "browser sign-in test")[0]
    finally:
        store.close()


def test_signing_in_on_the_chinese_key_page_stays_chinese(watched, base_url, viewer_key, screenshots):
    page = watched.page
    page.goto(f"{base_url}/key?lang=zh", wait_until="load")
    page.fill("#key", viewer_key)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url == f"{base_url}/?lang=zh"
    assert page.locator("html").get_attribute("lang").startswith("zh")
    header = page.locator("header").inner_text()
    assert "浏览者" in header and "viewer" not in header, header
    page.screenshot(path=str(screenshots / "signed-in-zh.png"))

    page.goto(f"{base_url}/key?lang=zh", wait_until="load")
    page.locator("form.sign-out button").click()
    page.wait_for_load_state("load")
    assert page.url == f"{base_url}/?lang=zh"
    header = page.locator("header").inner_text()
    assert "接口密钥" in header and "浏览者" not in header, header
    assert watched.errors == [], watched.errors
