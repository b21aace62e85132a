"""The planners' spreadsheet import: reading files, mapping columns, the preview's row by row outcomes,
decisions on conflicts, and the real Guangxi file on top of the world dataset."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from graph_service.errors import InvalidFields, InvalidFile
from graph_service.model import Node
from graph_service.services import spreadsheet
from graph_service.services.spreadsheet import Options, Target
from graph_service.store.sqlite import SQLiteStore

ACTOR = "key:test"
HEADER = ["我方城市", "外方城市", "外方城市中文", "国家", "结好日期", "关系类型", "备注"]
ROWS = [
    ["南宁市", "Khon Kaen", "孔敬", "泰国", "2023/5/10", "友好城市", ""],       # enrich: date on an existing tie
    ["南宁市", "Hai Phong", "海防市", "VN", "2010年5月10日", "友好交流城市", ""],  # enrich: date and Chinese name
    ["南宁市", "Udon Thani", "乌隆他尼", "TH", "2023.05", "意向书", "new one"],  # create, tier from the note
    ["南宁市", "Khon Kaen", "", "TH", "1999", "", ""],                            # conflict: 1999 against 2023-05-10
    ["桂林市", "Osaka", "大阪", "JP", "1987–2005", "sister", ""],                 # date not a date: kept in notes
    ["（未注明）", "Vientiane", "万象", "LA", "", "", ""],                         # rejected: home not stated
    ["南宁市", "Atlantis", "", "XX", "", "", ""],                                 # rejected: unknown country
    ["南宁市", "", "", "TH", "", "", ""],                                         # rejected: no partner
]


def table_bytes(rows=ROWS, header=HEADER, encoding="utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def mapping_fields(mapping: dict[str, Target], header=HEADER, **options) -> dict[str, str]:
    return {f"map_{i}": mapping[c].value for i, c in enumerate(header)} | {"home_country": "CN"} | options


@pytest.fixture
def store(store):
    """The canonical world, with the Chinese names an office file uses for its home cities."""
    store.upsert_nodes([store.get_node("nn").model_copy(update={"name_zh": "南宁"}),
                        store.get_node("gl").model_copy(update={"name_zh": "桂林"})])
    return store


@pytest.fixture
def plan_of(store):
    def run(rows=ROWS, decisions=None, settle=False):
        table = spreadsheet.read_upload(table_bytes(rows), "office.csv")
        mapping, options = spreadsheet.check_mapping(table.header, mapping_fields(spreadsheet.guess_mapping(
            table.header)), {"home_country": "CN"})
        return table, mapping, options, spreadsheet.plan_import(store, table, mapping, options, decisions,
                                                                settle=settle)
    return run


def test_column_names_in_chinese_or_english_are_mapped():
    assert spreadsheet.guess_mapping(HEADER) == {
        "我方城市": Target.HOME_EN, "外方城市": Target.PARTNER_EN, "外方城市中文": Target.PARTNER_ZH,
        "国家": Target.PARTNER_COUNTRY, "结好日期": Target.SINCE, "关系类型": Target.RELATION, "备注": Target.NOTES}
    guangxi = ["guangxi_side_zh", "guangxi_side_en", "level", "partner_en", "partner_zh", "partner_country",
               "date_or_year", "relation_note", "source_type", "source", "also_in_sister_pairs_csv"]
    assert [t.value for t in spreadsheet.guess_mapping(guangxi).values()] == [
        "home_zh", "home_en", "level", "partner_en", "partner_zh", "partner_country", "since", "relation", "ignore",
        "source", "ignore"]


def test_a_mapping_needs_a_partner_a_country_and_a_home_and_each_field_once():
    with pytest.raises(InvalidFields) as caught:
        spreadsheet.check_mapping(["a", "b", "c"], {"map_0": "since", "map_1": "since", "map_2": "planet"},
                                  {"home_country": "Atlantis", "default_tier": "cousin"})
    assert {(p.field, p.code) for p in caught.value.problems} == {
        ("map_1", "mapped_twice"), ("map_2", "bad_choice"), ("home_country", "bad_country"),
        ("default_tier", "bad_choice")}
    with pytest.raises(InvalidFields) as caught:
        spreadsheet.check_mapping(["a"], {"map_0": "notes"}, {"home_country": "CN"})
    assert [p.params["target"] for p in caught.value.problems] == ["partner_en", "partner_country", "home_zh"]


def test_files_in_utf8_gb18030_and_xlsx_read_alike():
    utf8 = spreadsheet.read_upload(table_bytes(), "a.csv")
    gbk = spreadsheet.read_upload(table_bytes(encoding="gb18030"), "a.csv")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    xlsx = spreadsheet.read_upload(out.getvalue(), "a.xlsx")
    assert utf8.header == gbk.header == xlsx.header == HEADER
    assert utf8.rows == gbk.rows == xlsx.rows and len(utf8.rows) == 8
    assert utf8.lines[:2] == [2, 3]
    for bad, name in ((b"\x00\x01binary", "x.csv"), (b"PK\x03\x04not a zip", "x.xlsx"), (b"", "x.csv"),
                      (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "x.xls"), ("只有表头\n".encode(), "x.csv")):
        with pytest.raises(InvalidFile):
            spreadsheet.read_upload(bad, name)


def test_every_row_gets_one_outcome_with_its_reason(store, plan_of):
    _, _, _, plan = plan_of()
    outcomes = [(r.line, r.outcome) for r in plan.rows]
    assert outcomes == [(2, "enriched"), (3, "enriched"), (4, "created"), (5, "conflict"), (6, "enriched"),
                        (7, "rejected"), (8, "rejected"), (9, "rejected")]
    assert plan.counts() == {"created": 1, "enriched": 3, "unchanged": 0, "conflict": 1, "rejected": 3, "rows": 8}
    by_line = {r.line: r for r in plan.rows}
    assert ("since", "2023-05-10") in by_line[2].fills
    assert ("since", "2010-05-10") in by_line[3].fills and ("name_zh", "海防市") in by_line[3].fills
    assert (by_line[4].tier.value, by_line[4].partner.id, by_line[4].partner_new) == ("friendly", "ud", False)
    assert [(c.field, c.stored, c.file) for c in by_line[5].conflicts] == [("since", "2023-05-10", "1999")]
    assert [n.code for n in by_line[6].notes] == ["date_unread"]
    assert [r.reason.code for r in plan.rows if r.reason] == ["home_unstated", "unknown_country", "no_partner"]
    assert plan.change.delete_edges == []


def test_a_conflict_is_never_overwritten_without_a_decision(store, plan_of):
    table, mapping, options, _ = plan_of()
    revision = store.revision()
    kept = spreadsheet.commit_import(store, table, mapping, options, {}, actor=ACTOR)
    assert store.revision() == revision + 1, "the whole file is one transaction"
    assert kept.counts()["conflict"] == 0 and {r.line: r.outcome for r in kept.rows}[5] == "unchanged"
    assert store.get_edge("kk|SISTER_CITY|nn").since == "2023-05-10"
    assert store.get_node("hp").name_zh == "海防市"
    assert store.get_edge("nn|FRIENDLY_EXCHANGE|ud").since == "2023-05"
    assert "1987–2005" in store.get_edge("gl|SISTER_CITY|os").notes
    entry = store.read_audit(limit=1)[0]
    assert (entry.action, entry.actor) == ("spreadsheet_import", ACTOR)
    again = spreadsheet.commit_import(store, table, mapping, options, {}, actor=ACTOR)
    assert store.revision() == revision + 1, "importing the same file again writes nothing"
    assert again.counts()["created"] == 0 and again.counts()["enriched"] == 0


def test_a_decision_takes_the_files_value(store, plan_of):
    table, mapping, options, _ = plan_of()
    done = spreadsheet.commit_import(store, table, mapping, options, {"5:since": "file"}, actor=ACTOR)
    assert {r.line: r.outcome for r in done.rows}[5] == "enriched"
    assert store.get_edge("kk|SISTER_CITY|nn").since == "1999"


def test_a_tier_conflict_taken_from_the_file_changes_the_tie_in_one_step(store):
    rows = [["南宁市", "Hai Phong", "", "VN", "", "sister city", ""]]
    table = spreadsheet.read_upload(table_bytes(rows), "t.csv")
    mapping, options = spreadsheet.check_mapping(table.header, mapping_fields(spreadsheet.guess_mapping(HEADER)),
                                                 {"home_country": "CN"})
    preview = spreadsheet.plan_import(store, table, mapping, options)
    assert [(c.field, c.stored, c.file) for c in preview.rows[0].conflicts] == [("tier", "friendly", "sister")]
    spreadsheet.commit_import(store, table, mapping, options, {"2:tier": "file"}, actor=ACTOR)
    assert store.get_edge("hp|FRIENDLY_EXCHANGE|nn") is None
    assert store.get_edge("hp|SISTER_CITY|nn").status.value == "signed"


def test_a_new_home_city_prefers_the_home_province(store):
    store.upsert_nodes([Node(id="dx-hlj", kind="City", name="Didao", name_zh="东兴", country="CN",
                             admin1="Heilongjiang", population=100),
                        Node(id="dx-gx", kind="City", name="Dongxing", country="CN", admin1="Guangxi", population=50)])
    header = ["guangxi_side_zh", "guangxi_side_en", "partner_en", "partner_country"]
    table = spreadsheet.read_upload(table_bytes([["东兴市", "Dongxing", "Khon Kaen", "TH"]], header), "t.csv")
    mapping = spreadsheet.guess_mapping(header)
    in_heilongjiang = spreadsheet.plan_import(store, table, mapping, Options(home_province="Heilongjiang"))
    assert in_heilongjiang.rows[0].home.id == "dx-hlj"
    in_guangxi = spreadsheet.plan_import(store, table, mapping, Options(home_province="Guangxi"))
    assert in_guangxi.rows[0].home.id == "dx-gx"


def test_the_mapping_is_remembered_for_the_header(store):
    header = ["城市", "国家", "我方"]
    assert spreadsheet.suggested_mapping(store, header)[1] is False
    chosen = {"城市": Target.PARTNER_ZH, "国家": Target.PARTNER_COUNTRY, "我方": Target.HOME_ZH}
    spreadsheet.remember_mapping(store, header, chosen)
    assert spreadsheet.suggested_mapping(store, header) == (chosen, True)
    assert spreadsheet.suggested_mapping(store, [*header, "备注"])[1] is False


# -- the real file -------------------------------------------------------------------------------------------
@pytest.fixture
def guangxi(world_db, shared_data, tmp_path):
    store = SQLiteStore(world_db.copy_to(tmp_path))
    raw = (shared_data / "guangxi_pairs.csv").read_bytes()
    table = spreadsheet.read_upload(raw, "guangxi_pairs.csv")
    mapping, _ = spreadsheet.suggested_mapping(store, table.header)
    province = spreadsheet.suggested_province(store, table, mapping)
    yield store, table, mapping, Options(home_country="CN", home_province=province)
    store.close()


def test_guangxi_pairs_on_the_world_dataset_every_row_accounted_for(guangxi):
    store, table, mapping, options = guangxi
    assert options.home_province == "Guangxi"
    preview = spreadsheet.plan_import(store, table, mapping, options)
    assert preview.counts() == {"created": 25, "enriched": 56, "unchanged": 0, "conflict": 4, "rejected": 4,
                                "rows": 89}
    assert sorted(r.line for r in preview.rows) == table.lines, "each row once"
    rejected = {r.line: (r.reason.code, r.reason.params["value"]) for r in preview.by_outcome("rejected")}
    assert set(rejected) == {4, 5, 6, 7} and {code for code, _ in rejected.values()} == {"home_unstated"}
    bundaberg = next(r for r in preview.rows if r.partner and r.partner.name == "Bundaberg")
    assert ("since", "1998-05-12") in bundaberg.fills
    assert [(c.field, c.stored, c.file) for c in bundaberg.conflicts] == [("name_zh", "班德堡", "班达伯格市")]
    revision = store.revision()
    done = spreadsheet.commit_import(store, table, mapping, options, {}, actor=ACTOR)
    assert done.counts() == {"created": 25, "enriched": 60, "unchanged": 0, "conflict": 0, "rejected": 4, "rows": 89}
    assert store.revision() == revision + 1
    nanning_bundaberg = store.get_edge("geonames:1799869|SISTER_CITY|geonames:2173323")
    assert (nanning_bundaberg.since, nanning_bundaberg.level.value) == ("1998-05-12", "prefecture")
    assert store.get_node("geonames:2173323").name_zh == "班德堡", "a conflicting Chinese name is kept unless chosen"
    bengtsfors = next(r.partner for r in done.rows if r.partner and r.partner.name == "Bengtsfors")
    assert store.get_node(bengtsfors.id).name_zh == "本茨弗什市", "a missing Chinese name is filled"
    akita = next(r for r in done.rows if r.partner and r.partner.name == "Akita")
    assert akita.outcome == "created"
    assert store.get_edge(f"geonames:1799869|SISTER_CITY|{akita.partner.id}").since == "2021-11-22"
    ami = next(r for r in done.rows if r.partner and "Ami-machi" in r.partner.name)
    assert ami.tier.value == "friendly", "'friendly EXCHANGE relationship' is a friendly-exchange tie"
    davao = next(r for r in done.rows if r.partner and r.partner.name == "Davao")
    assert [(c.field, c.decision) for c in davao.conflicts] == [("tier", "keep")]
    assert store.get_edge(f"geonames:1799869|SISTER_CITY|{davao.partner.id}") is not None

