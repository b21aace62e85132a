"""Issue 9, acceptance 2: every page on ``?lang=zh`` shows Chinese, and no English beyond proper names
that have no Chinese form in the data. In headless chromium, on what ``partner-graph demo`` builds (the
seed scenario plus world geography), served read-only.

``PAGES`` holds a sample of every page route of the UI; ``test_every_page_route_is_checked`` fails when
a route has none, so a page added later (a province page, forms, reports) must add its sample here and
pass the same check.
"""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import parse_qsl, urlsplit

import pytest

from graph_service.ingest.admin1_names import admin1_label
from graph_service.policy import policy_for
from graph_service.web import routes as web_routes
from tests.browser.chinese_text import english_left, han_count, visible_text
from tests.browser.server import serve
from tests.browser.test_pages import assert_clean

pytestmark = pytest.mark.browser

NANNING = "geonames:1799869"
KHON_KAEN = "geonames:1609776"

PAGES: dict[str, list[tuple[str, int, str]]] = {
    "/": [("/", 200, "友城最多的城市"), ("/?q=南宁", 200, "搜索结果"), ("/?q=Khon", 200, "搜索结果")],
    "/city/{city_id}": [(f"/city/{NANNING}", 200, "建议发展的友城及理由"),
                        (f"/city/{NANNING}?strategy=nanning-2012&depth=2", 200, "南宁2012友城布局"),
                        (f"/city/{KHON_KAEN}", 200, "按地区的友城空白"),
                        ("/city/Xyzzyq", 404, "没有名为“Xyzzyq”的城市"), (f"/city/{NANNING}?depth=9", 422, "请求无效"),
                        (f"/city/{NANNING}?strategy=nope", 422, "没有名为")],
    "/geo": [("/geo?country=CN", 200, "友城关系地图"), ("/geo", 200, "所有国家"),
             ("/geo?country=TW", 200, "中国台湾"),
             ("/geo?province=广西&tier=sister&status=active", 200, "友城关系地图"),
             (f"/geo?city={NANNING}", 200, "城市页面"), ("/geo?city=Xyzzyq", 200, "没有符合此筛选条件的地点")],
    "/region/{region_id}": [("/region/ASEAN", 200, "城市结对情况"), ("/region/continent:AS", 200, "港澳台交流"),
                            ("/region/nowhere", 404, "没有编号为"),
                            ("/region/ASEAN?page=1", 200, "全部结对"), ("/region/ASEAN?page=99", 404, "没有第 99 页")],
    "/key": [("/key", 200, "接口密钥")],
    "/network/city/{city_id}": [(f"/network/city/{NANNING}", 200, "")],
    "/network/geo": [("/network/geo?country=CN", 200, "")],
    "/network/region/{region_id}": [("/network/region/ASEAN", 200, "")],
    "/city/{city_id}/partners/{partner_id}": [(f"/city/{NANNING}/partners/{KHON_KAEN}", 200, "关系进程")],
    "/city/{city_id}/annual": [(f"/city/{NANNING}/annual?year=2020", 200, "年度友城工作报告")],
    "/province/{name}": [("/province/Guangxi", 200, "本省有友城的城市"), ("/province/Nowhere", 404, "没有名为")],
    "/province/{name}/annual": [("/province/Guangxi/annual", 200, "年度友城工作报告")],
    **{route: [(sample, 403, "编辑需要编辑者密钥")] for route, sample in {
        "/city/{city_id}/partners/new": f"/city/{NANNING}/partners/new",
        "/city/{city_id}/partners/{partner_id}/delete": f"/city/{NANNING}/partners/{KHON_KAEN}/delete",
        "/city/{city_id}/exchanges/new": f"/city/{NANNING}/exchanges/new",
        "/city/{city_id}/exchanges/edit": f"/city/{NANNING}/exchanges/edit?edge=a%7CEXCHANGE%7Cb",
        "/city/{city_id}/exchanges/delete": f"/city/{NANNING}/exchanges/delete?edge=a%7CEXCHANGE%7Cb",
        "/city/{city_id}/institutions/new": f"/city/{NANNING}/institutions/new",
        "/city/{city_id}/institutions/{node_id}/delete": f"/city/{NANNING}/institutions/school:x/delete",
        "/import": "/import",
        "/import/{draft_id}": "/import/abc",
    }.items()},
    "/static/{name:path}": [],
    "/favicon.ico": [],
    "/lookup": [],
    "/city/{city_id}/report.xlsx": [],
    "/city/{city_id}/annual.xlsx": [],
    "/province/{name}/report.xlsx": [],
    "/province/{name}/annual.xlsx": [],
    "/region/{region_id}/pairs.xlsx": [],
    "/region/{region_id}/pairs.csv": [],
}
"""Route → (sample URL, status, a Chinese text the page must show). Network pictures draw on a canvas:
their text is checked, though they may show none. Static files (``/static``, the favicon), the picker's
JSON (``/lookup``) and the workbooks (``.xlsx``) are no pages. The site is served to a viewer, so the
editors' forms show their refusal here; ``test_information_base`` checks the forms themselves in Chinese
as an editor."""
OTHER_PAGES = [("/no/such/page", 404, "未找到")]


@pytest.fixture(scope="module")
def site(world_demo_db, tmp_path_factory, chromium_path):
    """The served demo world and the proper names it may show in Latin script (names without Chinese)."""
    store = world_demo_db.open()
    snapshot = store.snapshot()
    store.close()
    names = {n.name for n in snapshot.nodes if not n.name_zh}
    names |= {admin1_label(n, "zh") for n in snapshot.nodes if n.admin1}
    with serve(world_demo_db.path, tmp_path_factory.mktemp("zh-log") / "server.log") as url:
        yield url, names


def page_routes() -> set[str]:
    """The GET routes of every router module in ``graph_service.web.routes``."""
    found = set()
    for info in pkgutil.iter_modules(web_routes.__path__):
        module = importlib.import_module(f"{web_routes.__name__}.{info.name}")
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", []):
            if "GET" in getattr(route, "methods", set()):
                found.add(route.path)
    return found


def test_every_page_route_is_checked():
    routes = page_routes()
    assert len(routes) >= 8
    assert routes == set(PAGES), f"add a sample for {sorted(routes - set(PAGES))} to PAGES"


SAMPLES = [sample for samples in PAGES.values() for sample in samples] + OTHER_PAGES


@pytest.mark.parametrize("path, status, expected", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_page_is_chinese(site, watched, path, status, expected, screenshots):
    base, names = site
    url = f"{base}{path}{'&' if '?' in path else '?'}lang=zh"
    response = watched.page.goto(url, wait_until="load")
    assert response.status == status
    text = visible_text(watched.page)
    assert expected in text
    if not path.startswith("/network/"):
        assert han_count(text) >= 10, text[:500]
    typed = {value for _, value in parse_qsl(urlsplit(path).query)} | {urlsplit(path).path.rsplit("/", 1)[-1]}
    assert english_left(text, names | typed) == []  # what the user typed may be echoed back
    if path in ("/", f"/city/{NANNING}", "/region/continent:AS", "/geo?country=CN", "/key"):
        name = path.strip("/").replace("/", "-").replace(":", "-").split("?")[0] or "home"
        watched.page.screenshot(path=str(screenshots / f"zh-{name}.png"), full_page=True)
    if status == 200:
        assert_clean(watched)


def test_the_checker_sees_an_english_sentence_planted_in_a_chinese_page(site, watched):
    base, names = site
    watched.page.goto(f"{base}/city/{NANNING}?lang=zh", wait_until="load")
    assert english_left(visible_text(watched.page), names) == []
    watched.page.evaluate("""() => {
        const p = document.createElement('p');
        p.textContent = 'Suggested partners, with reasons';
        document.querySelector('main').appendChild(p);
    }""")
    assert english_left(visible_text(watched.page), names) == ["Suggested partners, with reasons"]


def test_the_english_page_fails_the_check(site, watched):
    base, names = site
    watched.page.goto(f"{base}/city/{NANNING}?lang=en", wait_until="load")
    left = english_left(visible_text(watched.page), names)
    assert {"Partners", "Suggested partners, with reasons"} <= set(left)


def test_the_map_picker_offers_taiwan_only_as_part_of_china(site, watched):
    base, _ = site
    page = watched.page
    page.goto(f"{base}/geo?lang=zh", wait_until="load")
    home = page.locator("#country optgroup").first
    assert home.get_attribute("label") == "中国"
    assert home.locator("option").all_inner_texts() == ["中国", "中国香港特别行政区", "中国澳门特别行政区", "中国台湾"]
    others = page.locator("#country optgroup").nth(1).locator("option").all_inner_texts()
    assert len(others) == policy_for("CN").diplomatic_relations.count, "国家: the countries with relations"
    apart = page.locator("#country optgroup").nth(2)
    assert apart.get_attribute("label") == "其他地区（未建交国家、属地等）"
    assert {"科索沃", "西撒哈拉", "巴拉圭"} <= set(apart.locator("option").all_inner_texts())
    offered = others + apart.locator("option").all_inner_texts()
    assert not [o for o in offered if "台湾" in o or "香港" in o or "澳门" in o]
    page.goto(f"{base}/geo?lang=en", wait_until="load")
    english = page.locator("#country option").all_inner_texts()
    assert "Taiwan, China" in english and "Taiwan" not in english
