"""Finding F23: a region page stopped at 300 pairs ("仅显示前 300 条,共 561 条") with no way to see or
export the rest. On the world dataset, ASEAN's pairs now come page by page, and all of them as a
workbook and as a CSV file for Excel."""

from __future__ import annotations

import codecs
import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from graph_service.api.app import create_app
from graph_service.config import Settings
from graph_service.services import places
from graph_service.web.routes.region import PAGE_ROWS


@pytest.fixture(scope="module")
def world(world_db):
    """The shared world store, read through the app (nothing here writes)."""
    store = world_db.open()
    overview = places.region_overview(store, store.get_node("ASEAN"), home_country="CN")
    store.close()
    with TestClient(create_app(Settings(store=f"sqlite:///{world_db.path}"))) as client:
        yield client, {p.edge.id for p in overview.pairs}


def pair_ids(html: str) -> list[str]:
    return re.findall(r'<tr class="pair" data-id="([^"]+)"', html)


def test_the_pairs_come_page_by_page_until_every_one_was_shown(world):
    client, expected = world
    total = len(expected)
    assert total > PAGE_ROWS, "ASEAN has more pairs than one page shows"
    pages = -(-total // PAGE_ROWS)
    seen: list[str] = []
    for number in range(1, pages + 1):
        html = client.get("/region/ASEAN", params={"lang": "zh", "page": number}).text
        ids = pair_ids(html)
        first, last = (number - 1) * PAGE_ROWS + 1, min(number * PAGE_ROWS, total)
        assert f"第 {first}–{last} 条，共 {total} 条" in html
        assert len(ids) == last - first + 1
        assert ('rel="next"' in html) == (number < pages) and ('rel="prev"' in html) == (number > 1)
        seen += ids
    assert len(seen) == total and set(seen) == expected, "each pair on exactly one page"
    beyond = client.get("/region/ASEAN", params={"lang": "zh", "page": pages + 1})
    assert beyond.status_code == 404 and f"结对列表共 {pages} 页" in beyond.text
    assert client.get("/region/ASEAN", params={"page": 0}).status_code == 422


def test_every_pair_downloads_as_csv_for_excel_and_as_a_workbook(world):
    client, expected = world
    response = client.get("/region/ASEAN/pairs.csv", params={"lang": "zh"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(codecs.BOM_UTF8), "Excel needs the BOM to read the Chinese"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["城市", "国家", "合作城市"]
    assert {row[-1] for row in rows[1:]} == expected and len(rows) == len(expected) + 1
    assert "泰国" in {row[1] for row in rows[1:]} | {row[3] for row in rows[1:]}

    book = client.get("/region/ASEAN/pairs.xlsx", params={"lang": "zh"})
    assert "attachment" in book.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.title == "结对"
    assert {row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)} == expected
