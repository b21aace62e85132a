"""The planner UI in headless chromium, against the demo data served by the real app.

Each test checks what a planner sees, that the console stayed clean and that no request left
localhost; every page's screenshot lands in build/screenshots/.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageStat

from tests.browser.browser import Watched

pytestmark = pytest.mark.browser

NANNING = "geonames:1799869"


def visit(watched, url: str, *, network: bool = False):
    page = watched.page
    page.goto(url, wait_until="load", timeout=120_000)
    if network:
        frame = page.frame_locator("#network-frame")
        frame.locator('#mynetwork[data-drawn="1"]').wait_for(timeout=60_000)
    return page


def assert_clean(watched) -> None:
    assert watched.errors == [], watched.errors
    assert watched.external() == [], watched.external()
    assert watched.requests, "no request was recorded at all"


def pixel_spread(png: bytes) -> float:
    """Mean standard deviation of the RGB channels: 0 for a blank (single-colour) picture."""
    stat = ImageStat.Stat(Image.open(io.BytesIO(png)).convert("RGB"))
    return sum(stat.stddev) / 3


def test_nanning_page_shows_partners_suggestions_and_network(watched, base_url, screenshots):
    page = visit(watched, f"{base_url}/city/{NANNING}", network=True)
    partners = page.locator("table.partners tr.partner")
    assert partners.count() >= 2
    assert "Khon Kaen" in page.locator("#partners").inner_text()
    suggestion = page.locator("li.suggestion").first
    assert suggestion.is_visible()
    assert suggestion.locator("li.reason").count() >= 1
    assert suggestion.locator("li.reason").first.inner_text().strip()
    network = page.locator("#network-frame").screenshot(path=str(screenshots / "network-nanning.png"))
    assert pixel_spread(network) > 5, "the network area is blank"
    page.screenshot(path=str(screenshots / "city-nanning.png"), full_page=True)
    assert_clean(watched)


def test_chinese_labels(watched, base_url, screenshots):
    page = visit(watched, f"{base_url}/city/{NANNING}?lang=zh", network=True)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#city-name").inner_text().startswith("南宁")
    text = page.locator("main").inner_text()
    for label in ("合作伙伴", "友好城市(正式)", "按地区的友城空白", "建议发展的友城及理由", "友城关系网络"):
        assert label in text
    assert "孔敬" in page.locator("#partners").inner_text()
    page.screenshot(path=str(screenshots / "city-nanning-zh.png"), full_page=True)
    page.click("#lang-switch")
    page.wait_for_load_state("load")
    assert "Partners" in page.locator("main").inner_text()
    assert_clean(watched)


@pytest.mark.parametrize("typed", ["南宁", "Nanning", "nanning"])
def test_search_finds_nanning(watched, base_url, typed, screenshots):
    page = visit(watched, f"{base_url}/")
    page.locator("#q").press_sequentially(typed)
    page.locator("#q").press("Enter")
    page.wait_for_selector("#results")
    hit = page.locator(f'tr.result[data-id="{NANNING}"] a')
    assert hit.count() == 1
    if typed == "nanning":
        page.screenshot(path=str(screenshots / "home-search.png"), full_page=True)
    hit.click()
    page.wait_for_url(f"**/city/{NANNING}**")
    assert_clean(watched)


@pytest.mark.parametrize(("name", "path", "network"), [
    ("home", "/", False),
    ("home-zh", "/?lang=zh", False),
    ("region-asia", "/region/continent:AS", True),
    ("geo-china", "/geo?country=CN", True),
    ("geo-all", "/geo", True),
])
def test_every_page_renders_offline(watched, base_url, screenshots, name, path, network):
    page = visit(watched, base_url + path, network=network)
    assert page.locator("main h1").inner_text().strip()
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert_clean(watched)


def test_geo_view_places_nodes_by_coordinates(watched, base_url):
    page = visit(watched, f"{base_url}/geo?country=CN", network=True)
    frame = page.frame_locator("#network-frame")
    physics = frame.locator("#mynetwork").evaluate("() => window.network.physics.options.enabled")
    assert physics is False
    positions = frame.locator("#mynetwork").evaluate(
        "() => { const p = window.network.getPositions(); "
        "return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, [v.x, v.y]])); }"
    )
    nanning, khon_kaen = positions[NANNING], positions["geonames:1609776"]
    assert nanning[0] > khon_kaen[0] and nanning[1] < khon_kaen[1], "Nanning lies north-east of Khon Kaen"
    assert_clean(watched)


def test_read_only_visitors_see_no_edit_controls(watched, base_url):
    for path in ("/", f"/city/{NANNING}", "/geo"):
        page = visit(watched, base_url + path)
        assert page.locator('form[method="post"], button.edit, #editor-tools').count() == 0
    assert_clean(watched)


def test_tooltips_show_markup_in_names_as_plain_text(watched, base_url):
    from tests.browser.conftest import HOSTILE

    page = watched.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base_url}/network/city/test:host", wait_until="load")
    page.locator('#mynetwork[data-drawn="1"]').wait_for(timeout=60_000)
    x, y = page.evaluate("""() => {
        const p = window.network.getPositions(["test:hostile"])["test:hostile"];
        const d = window.network.canvasToDOM(p);
        const r = document.getElementById("mynetwork").getBoundingClientRect();
        return [r.left + d.x, r.top + d.y];
    }""")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert tooltip.inner_text().splitlines()[0] == HOSTILE
    assert page.locator("img").count() == 0 and page.locator("div.vis-tooltip script").count() == 0
    assert page.title() != "1" and dialogs == []
    assert_clean(watched)


BROKEN_TEXT = """() => {
  const broken = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), el = node.parentElement;
    if ([...text].length < 2 || !el || el.closest("script, style, datalist, select")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = [...range.getClientRects()].filter(r => r.width > 0);
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (lines.length >= 2 && Math.max(...lines.map(r => r.width)) <= size * 1.3) broken.push(text.slice(0, 40));
  }
  return broken;
}"""
"""Text nodes of two characters or more laid out one character per line."""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("name", "path"), [
    ("home", "/"), ("city", f"/city/{NANNING}"), ("map", "/geo?country=CN"), ("region", "/region/continent:AS"),
    ("key", "/key"),
])
def test_phone_width_breaks_no_text_one_character_per_line(browser, base_url, screenshots, name, path, lang):
    """Acceptance 5: at 375 px, in both languages, no text is broken one character per line and the
    page is no wider than the screen (tables scroll inside it)."""
    from tests.browser.browser import is_local

    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN" if lang == "zh" else "en-US")
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    try:
        watched = Watched.open(context)
        page = visit(watched, f"{base_url}{path}{'&' if '?' in path else '?'}lang={lang}",
                     network="/key" not in path and path != "/")
        assert page.evaluate(BROKEN_TEXT) == []
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        assert page.locator("header.top nav a").first.is_visible()
        page.screenshot(path=str(screenshots / f"phone-{name}-{lang}.png"), full_page=True)
        assert_clean(watched)
    finally:
        context.close()
