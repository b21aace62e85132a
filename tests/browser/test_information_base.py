"""The information base in chromium, as a planner uses it (issue 10, acceptance 1 and 3).

A planner with an editor key, in Chinese, on the demo scenario (``partner-graph seed``): records
a friendly-exchange partnership with a city not yet in the store, an education
exchange with its date, upgrades the tie to a sister-city tie, records a school pairing and an
honorary citizen. Then Nanning's timeline shows all of it in order, the audit log has each write
under the editor's key, and the city's ``.xlsx`` report holds it all.

The printed PDF of Nanning's page on the world dataset names every partner (``pdftotext``).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from contextlib import closing

import pytest
from openpyxl import load_workbook

from graph_service.services.cities import partners_of
from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore
from tests.browser.server import serve
from tests.browser.test_pages import assert_clean

pytestmark = pytest.mark.browser

NANNING = "geonames:1799869"
CITY, CITY_ZH = "Hervey Bay", "赫维湾"
"""An Australian town the demo scenario does not hold."""


@pytest.fixture(scope="module")
def planner_site(demo_db, tmp_path_factory, chromium_path):
    """A private copy of the demo scenario served by the real app, and an editor key for it."""
    folder = tmp_path_factory.mktemp("planner")
    db = folder / "planner.db"
    with closing(sqlite3.connect(demo_db)) as source, closing(sqlite3.connect(db)) as copy:
        source.backup(copy)
    store = SQLiteStore(db)
    key, record = create_key(store, "editor", label="planner")
    store.close()
    with serve(db, folder / "server.log") as url:
        yield url, db, key, record.id


def pick(page, selector: str, typed: str, expected: str) -> None:
    """Type into a search-as-you-type box and choose the suggestion that names ``expected``."""
    box = page.locator(selector)
    box.fill("")
    box.press_sequentially(typed, delay=40)
    option = page.locator(f"{selector} ~ ul.picker-list li", has_text=expected).first
    option.wait_for(timeout=15_000)
    option.click()


def save(page) -> None:
    """Submit the form; it must be accepted (a refused form comes back with its problems)."""
    with page.expect_navigation(wait_until="load"):
        page.locator("#save").click()
    problems = page.locator("p.error").all_inner_texts()
    assert problems == [], problems


def test_a_planner_records_a_partnership_its_exchange_upgrade_and_institutions(planner_site, watched, screenshots):
    base, db, key, key_id = planner_site
    page = watched.page
    page.goto(f"{base}/key?lang=zh", wait_until="load")
    page.locator("#key").fill(key)
    with page.expect_navigation(wait_until="load"):
        page.locator("form.search button").click()

    page.goto(f"{base}/city/{NANNING}?lang=zh", wait_until="load")
    with page.expect_navigation(wait_until="load"):
        page.locator("#new-partnership").click()
    assert page.locator("h1").inner_text().startswith("登记友城关系")
    page.locator("#mode-new").check()
    page.locator("#f-city_name").fill(CITY)
    page.locator("#f-city_name_zh").fill(CITY_ZH)
    page.locator("#f-city_country").select_option("AU")
    page.locator("#f-city_lat").fill("-25.29")
    page.locator("#f-city_lon").fill("152.84")
    page.locator("#f-tier").select_option("friendly")
    page.locator("#f-status").select_option("signed")
    page.locator("#f-proposed_on").fill("2018-11")
    page.locator("#f-since").fill("2019-05-20")
    page.locator("#f-notes").fill("友好交流城市意向书，以教育和旅游合作为主")
    page.screenshot(path=str(screenshots / "form-partnership-zh.png"), full_page=True)
    save(page)
    assert f"/city/{NANNING}" in page.url and page.url.endswith("#partners")
    assert CITY_ZH in page.locator("#partners").inner_text()

    with page.expect_navigation(wait_until="load"):
        page.locator("#new-exchange").click()
    pick(page, "#f-counterpart", "赫维", CITY_ZH)
    page.locator("#f-field").select_option("education")
    page.locator("#f-date").fill("2021-04-12")
    page.locator("#f-title").fill("南宁中学生赴赫维湾游学")
    page.locator("#f-direction").select_option("outbound")
    page.locator("#f-participants").fill("25")
    page.locator("#f-head_of_delegation").fill("李明(市教育局)")
    page.locator("#f-outcome").fill("签署两校交流备忘录")
    page.screenshot(path=str(screenshots / "form-exchange-zh.png"), full_page=True)
    save(page)

    store = SQLiteStore(db)
    partner = next(p.partner for p in partners_of(store, NANNING) if p.partner.name == CITY)
    store.close()
    page.goto(f"{base}/city/{NANNING}/partners/{partner.id}?lang=zh", wait_until="load")
    assert page.locator("#tie-tier").inner_text() == "友好交流城市"
    page.locator("#f-upgrade_since").fill("2023-09-15")
    page.screenshot(path=str(screenshots / "partnership-zh.png"), full_page=True)
    with page.expect_navigation(wait_until="load"):
        page.locator("#do-upgrade").click()
    assert page.locator("#tie-tier").inner_text() == "友好城市"
    assert "南宁中学生赴赫维湾游学" in page.locator("#exchanges").inner_text(), "the upgrade kept the exchange"

    page.goto(f"{base}/city/{NANNING}/institutions/new?lang=zh", wait_until="load")
    page.locator("#f-kind").select_option("School")
    page.locator("#f-name").fill("Nanning No. 3 Middle School")
    page.locator("#f-name_zh").fill("南宁市第三中学")
    page.locator("#f-since").fill("2022-06-01")
    page.locator("#f-partner_school").fill("John Paul College")
    pick(page, "#f-partner_school_city", "Hervey", CITY_ZH)
    save(page)
    page.goto(f"{base}/city/{NANNING}/institutions/new?lang=zh", wait_until="load")
    page.locator("#f-kind").select_option("HonoraryCitizen")
    page.locator("#f-name").fill("Steve Chadwick")
    page.locator("#f-name_zh").fill("史蒂夫·查德威克")
    page.locator("#f-country").select_option("AU")
    pick(page, "#f-located_in", "hervey bay", CITY_ZH)
    page.locator("#f-since").fill("2024-01-10")
    page.screenshot(path=str(screenshots / "form-institution-zh.png"), full_page=True)
    save(page)

    page.goto(f"{base}/city/{NANNING}?lang=zh", wait_until="load")
    events = page.locator("#timeline-events li.event")
    seen = [(events.nth(i).get_attribute("data-date"), events.nth(i).get_attribute("data-code"))
            for i in range(events.count())]
    assert seen[:6] == [("2024-01-10", "HONORARY_CITIZEN_OF"), ("2023-09-15", "upgraded"),
                        ("2022-06-01", "PARTNER_SCHOOL"), ("2021-04-12", "education"),
                        ("2019-05-20", "friendly_signed"), ("2018-11", "proposed")]
    text = page.locator("#timeline-events").inner_text()
    for words in ("授予史蒂夫·查德威克荣誉市民称号", "与赫维湾升级为友好城市", "南宁中学生赴赫维湾游学",
                  "友好学校结对：南宁市第三中学与John Paul College", "与赫维湾签署友好交流城市协议",
                  "提议与赫维湾结好"):
        assert words in text, words
    page.screenshot(path=str(screenshots / "city-nanning-timeline-zh.png"), full_page=True)

    store = SQLiteStore(db)
    writes = [(e.action, e.actor) for e in reversed(store.read_audit(limit=20)) if e.actor == f"key:{key_id}"]
    store.close()
    assert [action for action, _ in writes] == ["record_partnership", "record_exchange", "upgrade_partnership",
                                                "record_institution", "record_institution"]

    with page.expect_download() as download:
        page.locator("#xlsx-report").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = db.parent / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    assert book.sheetnames == ["友城", "交流活动", "空白", "建议", "需关注", "机构与人士", "大事记"]
    partners = {row[1]: row for row in book["友城"].iter_rows(min_row=2, values_only=True)}
    rotorua = partners[CITY]
    assert (rotorua[2], rotorua[4], rotorua[8], rotorua[12]) == (CITY_ZH, "友好城市", "2023-09-15", "2019-05-20")
    exchanges = [row for row in book["交流活动"].iter_rows(min_row=2, values_only=True)]
    held = [(r[0], r[5], r[8], r[9]) for r in exchanges]
    assert ("2021-04-12", "南宁中学生赴赫维湾游学", 25, "李明(市教育局)") in held
    people = {row[1]: row[0] for row in book["机构与人士"].iter_rows(min_row=2, values_only=True)}
    assert people["Nanning No. 3 Middle School"] == "学校" and people["Steve Chadwick"] == "荣誉市民"
    timeline = [row[0] for row in book["大事记"].iter_rows(min_row=2, values_only=True)]
    assert timeline[:6] == ["2024-01-10", "2023-09-15", "2022-06-01", "2021-04-12", "2019-05-20", "2018-11"]
    assert_clean(watched)


@pytest.fixture(scope="module")
def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        pytest.skip("pdftotext not found (Debian's poppler-utils; .ci/run installs it)")
    return path


def test_the_printed_page_of_nanning_names_every_partner(world, watched, screenshots, pdftotext, tmp_path):
    base, db = world
    store = SQLiteStore(db)
    names = sorted(p.partner.name for p in partners_of(store, NANNING))
    store.close()
    assert len(names) >= 20
    page = watched.page
    page.goto(f"{base}/city/{NANNING}?lang=en", wait_until="load")
    page.emulate_media(media="print")
    page.screenshot(path=str(screenshots / "city-nanning-print.png"), full_page=True)
    pdf = tmp_path / "nanning.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    missing = [name for name in names if name not in flat]
    assert missing == [], f"the printed page lacks {missing}"
    assert "Gaps by region" in flat and "Activity indicators" in flat
    assert "Record a partnership" not in flat, "editing controls are not printed"
