"""The API docs in chromium: Swagger UI and ReDoc render the API with no request leaving localhost
(external requests are blocked and recorded) and no console error (a CSP violation would be one)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline(watched, base_url, screenshots):
    page = watched.page
    page.goto(f"{base_url}/docs", wait_until="load")
    page.locator(".opblock").first.wait_for(timeout=60_000)
    assert page.locator(".opblock").count() >= 20
    assert "/api/v1/nodes" in page.locator("#swagger-ui").inner_text()
    page.screenshot(path=str(screenshots / "docs-swagger.png"))
    assert watched.external() == [] and watched.errors == [], (watched.external(), watched.errors)
    assert all(url.startswith(base_url) for url in watched.requests)


def test_redoc_renders_offline(watched, base_url, screenshots):
    page = watched.page
    page.goto(f"{base_url}/redoc", wait_until="load")
    page.get_by_text("/api/v1/nodes").first.wait_for(timeout=60_000)
    page.screenshot(path=str(screenshots / "docs-redoc.png"))
    assert watched.external() == [] and watched.errors == [], (watched.external(), watched.errors)
    assert all(url.startswith(base_url) or url.startswith("blob:") for url in watched.requests)
