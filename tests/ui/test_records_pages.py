"""The information base's read pages and downloads on the demo scenario (in-process app): gaps by tier,
the province page, the annual report, the workbooks, and the spreadsheet import step by step."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook, load_workbook

from graph_service.store.sqlite import SQLiteStore
from tests.ui.test_forms import Signed
from tests.ui.test_pages import key_for, make_client

NANNING = "geonames:1799869"


def gap_codes(page: str) -> set[str]:
    """The gap countries the city page's gap table names, by their Chinese names."""
    section = page[page.index('id="gaps"'):]
    return set(re.findall(r'<span class="badge gap[^"]*"[^>]*>([^<★·]+)', section))


def test_gaps_can_count_only_sister_city_ties(client):
    everything = client.get(f"/city/{NANNING}", params={"lang": "zh", "strategy": "nanning-2012"}).text
    sister = client.get(f"/city/{NANNING}", params={"lang": "zh", "strategy": "nanning-2012",
                                                     "coverage": "sister"}).text
    assert "日本" not in {g.strip() for g in gap_codes(everything)}, "Uki, a friendly-exchange city, covers Japan"
    assert "日本" in {g.strip() for g in gap_codes(sister)}, "seed 004 lists Japan among the sister-city gaps"
    assert '<strong id="coverage-sister">仅计入正式友好城市</strong>' in sister


def test_the_province_page_lists_cities_partners_gaps_and_attention(client):
    response = client.get("/province/Guangxi", params={"lang": "zh"})
    assert response.status_code == 200
    page = response.text
    assert '<h1 id="province-name">广西壮族自治区' in page
    assert re.search(rf'<tr class="province-city" data-id="{NANNING}">', page)
    for words in ("本省有友城的城市", "全省按地区的友城空白", "交往活跃度（评估）", "需关注", "孔敬"):
        assert words in page, words
    english = client.get("/province/Guangxi", params={"lang": "en"}).text
    assert "Gaps by region, for the whole province" in english
    assert client.get("/province/Atlantis", params={"lang": "zh"}).status_code == 404
    for typed in ("广西", "广西壮族自治区"):  # as a planner writes it
        by_chinese = client.get(f"/province/{typed}", params={"lang": "zh"})
        assert by_chinese.status_code == 200 and re.search(rf'data-id="{NANNING}"', by_chinese.text), typed
        assert client.get(f"/province/{typed}/report.xlsx").status_code == 200


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbooks_open_with_a_sheet_per_subject(client, lang):
    sheets = {"zh": ["友城", "交流活动", "空白", "建议", "需关注", "机构与人士", "大事记"],
              "en": ["Partners", "Exchanges", "Gaps", "Suggestions", "Attention", "Institutions", "Timeline"]}[lang]
    for path in (f"/city/{NANNING}/report.xlsx", "/province/Guangxi/report.xlsx"):
        response = client.get(path, params={"lang": lang})
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == sheets
        partners = [row for row in book[sheets[0]].iter_rows(min_row=2, values_only=True)]
        names = {cell for row in partners for cell in row if isinstance(cell, str)}
        assert "Khon Kaen" in names and len(partners) >= 7


def test_the_annual_report_for_a_chosen_year(client):
    response = client.get(f"/city/{NANNING}/annual", params={"lang": "zh", "year": 2024})
    assert response.status_code == 200
    assert "2024 年度友城工作报告" in response.text and "按领域统计的交流" in response.text
    assert client.get(f"/city/{NANNING}/annual", params={"year": 1800}).status_code == 422
    book = load_workbook(io.BytesIO(client.get(f"/city/{NANNING}/annual.xlsx", params={"year": 2024,
                                                                                        "lang": "zh"}).content))
    assert book.sheetnames[:2] == ["概要", "新缔结的关系"]


def test_a_bad_timeline_filter_is_a_clear_error_page(client):
    response = client.get(f"/city/{NANNING}", params={"lang": "zh", "field": "cooking"})
    assert response.status_code == 422 and "大事记筛选条件无效" in response.text
    assert client.get(f"/city/{NANNING}", params={"quiet": "99"}).status_code == 422


# -- the spreadsheet import, step by step --------------------------------------------------------------------
def workbook_bytes(header, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["我方城市", "外方城市", "外方城市中文名", "国家", "结好时间", "关系"]
ROWS = [["南宁市", "Khon Kaen", "孔敬", "泰国", "1998年5月12日", "友好城市"],
        ["南宁市", "Hervey Bay", "赫维湾", "澳大利亚", "2023.05", "友好交流"],
        ["", "Nowhere", "", "AU", "", ""]]


@pytest.fixture
def editor(demo_db, tmp_path):
    path = tmp_path / "import.db"
    source = SQLiteStore(demo_db)
    target = SQLiteStore(path)
    snap = source.snapshot()
    target.upsert_nodes(snap.nodes)
    target.upsert_edges(snap.edges)
    source.close()
    target.close()
    key = key_for(path, "editor")
    with make_client(path) as client:
        yield Signed(client, key), path


def upload(signed, raw: bytes, name: str, lang: str = "zh"):
    return signed.post("/import", params={"lang": lang}, files={"file": (name, raw)}, follow_redirects=False)


def test_an_office_workbook_is_mapped_previewed_and_committed(editor):
    client, path = editor
    response = upload(client, workbook_bytes(HEADER, ROWS), "友城.xlsx")
    assert response.status_code == 303
    mapping_page = client.get(response.headers["location"]).text
    assert "已根据列名推测对应关系" in mapping_page
    chosen = dict(re.findall(r'<select id="f-(map_\d+)" name="map_\d+"[^>]*>.*?<option value="([a-z_]+)" selected',
                             mapping_page, re.S))
    assert chosen == {"map_0": "home_en", "map_1": "partner_en", "map_2": "partner_zh", "map_3": "partner_country",
                      "map_4": "since", "map_5": "relation"}
    draft = response.headers["location"].split("/import/")[1].split("?")[0]
    fields = chosen | {"home_country": "CN", "home_province": "Guangxi", "default_tier": "sister"}
    preview = client.post(f"/import/{draft}/preview", params={"lang": "zh"}, data=fields).text
    assert "共 3 行：新建 1，补充 1，已存在 0，需决定 0，拒绝 1。" in preview
    assert "未填写我方城市。" in preview
    store = SQLiteStore(path)
    revision = store.revision()
    store.close()
    done = client.post(f"/import/{draft}/commit", params={"lang": "zh"}, data=fields).text
    assert "共 3 行：新建 1，补充 1，未改动 0，拒绝 1。" in done
    store = SQLiteStore(path)
    assert store.revision() == revision + 1
    assert store.get_edge(f"geonames:1609776|SISTER_CITY|{NANNING}").since == "1998-05-12"
    assert store.read_audit(limit=1)[0].action == "spreadsheet_import"
    store.close()
    again = client.get(upload(client, workbook_bytes(HEADER, ROWS[:1]), "b.xlsx").headers["location"]).text
    assert "已自动填入上次导入相同表头时使用的对应关系" in again
    assert client.get(f"/import/{draft}", params={"lang": "zh"}).status_code == 404, "a committed upload is gone"


def test_a_bad_file_or_mapping_is_explained_in_the_page_language(editor):
    client, path = editor
    for raw, name, words in ((b"", "x.csv", "必填。"), (b"PK\x03\x04broken", "x.xlsx", "不是可读取的 .xlsx 工作簿"),
                             (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "x.xls", "旧版 Excel")):
        response = upload(client, raw, name)
        assert response.status_code == 422 and words in response.text, name
    english = upload(client, b"PK\x03\x04broken", "x.xlsx", lang="en")
    assert english.status_code == 422 and "not a readable .xlsx workbook" in english.text
    response = upload(client, b"a,b\n1,2\n", "x.csv")
    draft = response.headers["location"].split("/import/")[1].split("?")[0]
    refused = client.post(f"/import/{draft}/preview", params={"lang": "zh"},
                          data={"map_0": "since", "map_1": "since", "home_country": "XX"})
    assert refused.status_code == 422
    assert "该字段已对应到“a”列。" in refused.text and "“XX”不是有效的国家。" in refused.text
    with make_client(path) as other:
        stranger = Signed(other, key_for(path, "editor"))
        assert stranger.get(f"/import/{draft}", params={"lang": "zh"}).status_code == 404, "another key's upload"
