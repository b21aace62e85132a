"""The information base's forms through the real app (in-process): every form refuses bad input with a
message in the page's language, keeps what was typed and writes nothing; a viewer sees no form; a
form posted without the editor's session is refused; deleting asks first."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from markupsafe import escape

from graph_service.model import Edge, Node
from graph_service.store.sqlite import SQLiteStore
from tests.ui.forms import form_token, sign_in
from tests.ui.test_pages import key_for, make_client

NANNING = "geonames:1799869"
HOSTILE = "<script>alert('x')</script>'; DROP TABLE nodes;-- {{7*7}}"
FUTURE = f"{date.today().year + 2}-01-01"
TOO_LONG = "x" * 4_500


def build_store(path):
    """Nanning with a sister city (Khon Kaen), a friendly-exchange city (Osaka) and Bundaberg, not a partner."""
    store = SQLiteStore(path)
    store.upsert_nodes([
        Node(id=cc, kind="Country", name=name, name_zh=zh) for cc, name, zh in (
            ("CN", "China", "中国"), ("TH", "Thailand", "泰国"), ("JP", "Japan", "日本"),
            ("AU", "Australia", "澳大利亚"), ("TW", "Taiwan", "台湾"))
    ] + [
        Node(id=NANNING, kind="City", name="Nanning", name_zh="南宁", country="CN", admin1="Guangxi"),
        Node(id="kk", kind="City", name="Khon Kaen", name_zh="孔敬", country="TH"),
        Node(id="os", kind="City", name="Osaka", name_zh="大阪", country="JP"),
        Node(id="bb", kind="City", name="Bundaberg", name_zh="班达伯格", country="AU"),
    ])
    store.upsert_edges([Edge(src=NANNING, dst="kk", type="SISTER_CITY", status="active", since="1995"),
                        Edge(src=NANNING, dst="os", type="FRIENDLY_EXCHANGE", status="signed", since="2012")])
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path):
    return build_store(tmp_path / "forms.db")


@pytest.fixture(scope="module")
def shared_path(tmp_path_factory):
    """One store for the tests that must write nothing (each checks that it did not)."""
    return build_store(tmp_path_factory.mktemp("forms") / "forms.db")


@pytest.fixture(scope="module")
def shared_editor(shared_path):
    key = key_for(shared_path, "editor")
    with make_client(shared_path) as client:
        yield Signed(client, key)


class Signed:
    """A client signed in through ``/key`` that sends its session's form token with every form."""

    def __init__(self, client, key: str):
        sign_in(client, key)
        self.client, self.token = client, form_token(client, "/key")

    def post(self, path, data=None, **kwargs):
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token}, **kwargs)

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)


@pytest.fixture
def editor(store_path):
    key = key_for(store_path, "editor")
    with make_client(store_path) as client:
        yield Signed(client, key)


def revision(path) -> int:
    store = SQLiteStore(path)
    try:
        return store.revision()
    finally:
        store.close()


def error_of(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="error" id="err-{re.escape(name)}">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)) if found else None


def value_of(page: str, name: str) -> str | None:
    found = re.search(rf'<input id="f-{re.escape(name)}" name="{re.escape(name)}" type="[a-z]+" value="([^"]*)"', page)
    if found:
        return html.unescape(found.group(1))
    area = re.search(rf'<textarea id="f-{re.escape(name)}" name="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)) if area else None


FORMS = {
    "partnership": (f"/city/{NANNING}/partners", {"partner": "Bundaberg", "tier": "sister", "status": "active"}),
    "lifecycle": (f"/city/{NANNING}/partners/kk", {"status": "active", "since": "1995"}),
    "upgrade": (f"/city/{NANNING}/partners/os/upgrade", {"upgrade_since": "2020"}),
    "exchange": (f"/city/{NANNING}/exchanges", {"counterpart": "Khon Kaen", "field": "education", "date": "2023-05-10",
                                                 "title": "Teachers", "direction": "outbound"}),
    "institution": (f"/city/{NANNING}/institutions", {"kind": "HonoraryCitizen", "name": "Jane Smith",
                                                      "since": "2020"}),
}
"""Each form, with a valid set of fields; the cases below break one field at a time."""

BAD = [
    # form, field, value, (English, Chinese) message fragment
    ("partnership", "partner", "", ("Required.", "必填。")),
    ("partnership", "partner", "Atlantis", ("No city named “Atlantis”", "找不到名为“Atlantis”的城市")),
    ("partnership", "notes", TOO_LONG, ("At most 4000 characters.", "最多 4000 个字符。")),
    ("partnership", "since", "12/05/2020", ("is not a date", "不是有效日期")),
    ("partnership", "since", FUTURE, ("A signed tie cannot carry a future date", "已签署的关系不能填写未来的日期")),
    ("partnership", "partner", HOSTILE, ("No city named", "找不到名为")),
    ("lifecycle", "since", "2020-02-30", ("is not a date", "不是有效日期")),
    ("lifecycle", "since", FUTURE, ("A signed tie cannot carry a future date", "已签署的关系不能填写未来的日期")),
    ("lifecycle", "source", "y" * 1_001, ("At most 1000 characters.", "最多 1000 个字符。")),
    ("lifecycle", "status", "", None),
    ("upgrade", "upgrade_since", FUTURE, ("A signed tie cannot carry a future date", "已签署的关系不能填写未来的日期")),
    ("upgrade", "upgrade_since", "last spring", ("is not a date", "不是有效日期")),
    ("exchange", "title", "", ("Required.", "必填。")),
    ("exchange", "counterpart", "Atlantis", ("No city named “Atlantis”", "找不到名为“Atlantis”的城市")),
    ("exchange", "date", "2023-13-01", ("is not a date", "不是有效日期")),
    ("exchange", "date", FUTURE, ("lies in the future", "是未来的日期")),
    ("exchange", "title", "t" * 301, ("At most 300 characters.", "最多 300 个字符。")),
    ("exchange", "counterpart", HOSTILE, ("No city named", "找不到名为")),
    ("institution", "name", "", ("Required.", "必填。")),
    ("institution", "located_in", "Atlantis", ("No city named “Atlantis”", "找不到名为“Atlantis”的城市")),
    ("institution", "since", "2020-00", ("is not a date", "不是有效日期")),
    ("institution", "since", FUTURE, ("lies in the future", "是未来的日期")),
    ("institution", "name", "n" * 201, ("At most 200 characters.", "最多 200 个字符。")),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("form", "field", "value", "message"), [case for case in BAD if case[3] is not None],
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(BAD) if c[3] is not None])
def test_bad_input_is_refused_in_the_page_language_keeping_what_was_typed(shared_editor, shared_path, form, field,
                                                                          value, message, lang):
    path, fields = FORMS[form]
    before = revision(shared_path)
    response = shared_editor.post(path, params={"lang": lang}, data=fields | {field: value, "notes2": HOSTILE})
    assert response.status_code == 422
    page = response.text
    shown = error_of(page, field)
    expected = message[1] if lang == "zh" else message[0]
    assert shown is not None and expected in shown, shown
    banner = "未作任何修改：请修改下列标出的内容" if lang == "zh" else "Nothing was changed: please correct the fields"
    assert banner in page
    kept = value_of(page, field)
    assert kept == value, f"the typed {field!r} was not kept"
    assert "<script>alert" not in page, "typed text must be shown escaped"
    assert revision(shared_path) == before, "a refused form wrote something"


def test_every_field_problem_shows_at_once_in_chinese(shared_editor, shared_path):
    before = revision(shared_path)
    response = shared_editor.post(f"/city/{NANNING}/exchanges", params={"lang": "zh"},
                                  data={"title": "", "date": "soon"})
    assert response.status_code == 422
    assert {f: error_of(response.text, f) for f in ("counterpart", "field", "title", "direction")} == {
        "counterpart": "必填。", "field": "必填。", "title": "必填。", "direction": "必填。"}
    assert "不是有效日期" in error_of(response.text, "date")
    assert revision(shared_path) == before


def test_injection_strings_are_stored_verbatim_and_shown_escaped(editor, store_path):
    response = editor.post(f"/city/{NANNING}/partners", params={"lang": "zh"},
                           data={"partner": "Bundaberg", "tier": "friendly", "notes": HOSTILE, "source": HOSTILE,
                                 "next": f"/city/{NANNING}#partners"}, follow_redirects=False)
    assert response.status_code == 303
    store = SQLiteStore(store_path)
    assert store.get_edge(f"bb|FRIENDLY_EXCHANGE|{NANNING}").notes == HOSTILE
    store.close()
    page = editor.get(f"/city/{NANNING}/partners/bb", params={"lang": "zh"}).text
    assert str(escape(HOSTILE)) in page and "<script>alert" not in page


def test_a_form_goes_back_to_the_page_it_came_from_never_elsewhere(editor, store_path):
    response = editor.post(f"/city/{NANNING}/partners", params={"lang": "zh"}, follow_redirects=False,
                           data={"partner": "Bundaberg", "tier": "sister", "next": f"/city/{NANNING}?x=1#partners"})
    assert (response.status_code, response.headers["location"]) == (303, f"/city/{NANNING}?x=1&lang=zh#partners")
    response = editor.post(f"/city/{NANNING}/exchanges", params={"lang": "en"}, follow_redirects=False,
                           data=FORMS["exchange"][1] | {"next": "https://evil.example/"})
    assert response.headers["location"] == f"/city/{NANNING}?lang=en#timeline"


def test_the_partnership_form_offers_a_picker_and_creates_a_new_city(editor, store_path):
    page = editor.get(f"/city/{NANNING}/partners/new", params={"lang": "zh"}).text
    assert 'data-picker="City"' in page and "信息库中还没有的城市" in page
    assert '<option value="TW">中国台湾 (TW)</option>' in page, "Taiwan is named as a part of China"
    assert '<option value="CN"' not in page and ">台湾 (TW)<" not in page
    found = editor.get("/lookup", params={"q": "孔", "lang": "zh"}).json()
    assert found[0] == {"id": "kk", "label": "孔敬 (Khon Kaen)", "hint": "泰国"}
    nanning = editor.get("/lookup", params={"q": "南宁", "lang": "zh"}).json()[0]
    assert nanning["hint"] == "广西壮族自治区 · 中国", "the province in Chinese on a Chinese page"
    response = editor.post(f"/city/{NANNING}/partners", params={"lang": "zh"}, follow_redirects=False, data={
        "partner_mode": "new", "city_name": "Uki", "city_name_zh": "宇城", "city_country": "JP", "tier": "friendly",
        "status": "signed", "since": "2016"})
    assert response.status_code == 303
    store = SQLiteStore(store_path)
    assert store.get_edge(f"city:jp:uki|FRIENDLY_EXCHANGE|{NANNING}").since == "2016"
    assert store.read_audit(limit=1)[0].action == "record_partnership"
    store.close()


def test_deleting_asks_first(editor, store_path):
    confirm = editor.get(f"/city/{NANNING}/partners/os/delete", params={"lang": "zh"})
    assert confirm.status_code == 200 and "确定删除这条记录吗？" in confirm.text
    store = SQLiteStore(store_path)
    assert store.get_edge(f"os|FRIENDLY_EXCHANGE|{NANNING}") is not None
    store.close()
    done = editor.post(f"/city/{NANNING}/partners/os/delete", params={"lang": "zh"},
                       data={"next": f"/city/{NANNING}#partners"}, follow_redirects=False)
    assert done.status_code == 303
    store = SQLiteStore(store_path)
    assert store.get_edge(f"os|FRIENDLY_EXCHANGE|{NANNING}") is None
    assert store.read_audit(limit=1)[0].action == "delete_partnership"
    store.close()


RECORD_PAGES = [f"/city/{NANNING}/partners/new", f"/city/{NANNING}/exchanges/new", f"/city/{NANNING}/institutions/new",
                f"/city/{NANNING}/partners/os/delete", "/import"]


@pytest.mark.parametrize("role", [None, "viewer"])
def test_a_viewer_sees_no_form_and_cannot_post_one(store_path, role):
    with make_client(store_path) as client:
        if role:
            sign_in(client, key_for(store_path, role))
        for lang in ("zh", "en"):
            for path in (f"/city/{NANNING}", f"/city/{NANNING}/partners/os"):
                page = client.get(path, params={"lang": lang}).text
                assert 'method="post"' not in page, path
                assert "登记友城关系" not in page and "Record a partnership" not in page
        for path in RECORD_PAGES:
            assert client.get(path, params={"lang": "zh"}).status_code == 403, path
        token = form_token(client, "/key")
        before = revision(store_path)
        for path, fields in FORMS.items():
            response = client.post(fields[0], params={"lang": "zh"}, data=fields[1] | {"csrf_token": token},
                                   follow_redirects=False)
            assert response.status_code == 403 and "编辑需要编辑者密钥" in response.text, path
        assert revision(store_path) == before


def test_a_forged_post_without_the_editors_form_token_is_refused(editor, store_path):
    """The editor is signed in; a page elsewhere can make the browser send the session cookie, but it
    cannot read the form token, and the browser names the other origin."""
    before = revision(store_path)
    client = editor.client
    for path, fields in [*FORMS.values(), (f"/city/{NANNING}/partners/kk/delete", {"next": "/"})]:
        response = client.post(path, params={"lang": "zh"}, data=fields, follow_redirects=False)
        assert response.status_code == 403, path
        response = client.post(path, params={"lang": "zh"}, data=fields | {"csrf_token": "forged"},
                               follow_redirects=False)
        assert response.status_code == 403, path
    response = client.post(f"/city/{NANNING}/partners/kk/delete", data={"next": "/", "csrf_token": editor.token},
                           headers={"Origin": "http://127.0.0.1:9999"}, follow_redirects=False)
    assert response.status_code == 403
    assert revision(store_path) == before
    with make_client(store_path) as stranger:
        token = form_token(stranger, "/key")
        response = stranger.post(f"/city/{NANNING}/partners", data=FORMS["partnership"][1] | {"csrf_token": token},
                                 headers={"X-API-Key": "pg_not_a_key"}, follow_redirects=False)
        assert response.status_code == 403
    assert revision(store_path) == before


def browser_fields(page: str, form_id: str) -> dict[str, str]:
    """Every field a browser would send for the form ``form_id`` as the page shows it: text boxes and
    hidden fields with their values (blank ones included), the selected (or first) option of each
    select, the checked radio, and each textarea."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S).group(0)
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("radio", "checkbox") and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        options = re.findall(r'<option value="([^"]*)"([^>]*)>', body)
        chosen = next((v for v, attrs in options if "selected" in attrs), options[0][0] if options else "")
        fields[name] = html.unescape(chosen)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        fields[name] = html.unescape(body)
    return fields


@pytest.mark.parametrize(("page_path", "form_id", "typed"), [
    (f"/city/{NANNING}/partners/new", "partnership-form", {"partner": "Bundaberg"}),
    (f"/city/{NANNING}/partners/new", "partnership-form", {"partner_mode": "new", "city_name": "Uki",
                                                           "city_country": "JP"}),
    (f"/city/{NANNING}/partners/kk", "lifecycle-form", {"notes": "teachers exchanged every year"}),
    (f"/city/{NANNING}/partners/os", "upgrade-form", {}),
    (f"/city/{NANNING}/exchanges/new", "exchange-form", {"counterpart": "Khon Kaen", "field": "culture",
                                                         "date": "2024-05", "title": "Dance troupe"}),
    (f"/city/{NANNING}/institutions/new", "institution-form", {"name": "Nanning No. 3 Middle School"}),
])
def test_a_form_as_the_browser_sends_it_blanks_included_is_accepted(editor, store_path, page_path, form_id, typed):
    page = editor.get(page_path, params={"lang": "zh"}).text
    fields = browser_fields(page, form_id) | typed
    action = html.unescape(re.search(rf'<form[^>]*id="{form_id}"[^>]*action="([^"]+)"', page).group(1))
    before = revision(store_path)
    response = editor.client.post(action, data=fields, follow_redirects=False)
    assert response.status_code == 303, error_of(response.text, "") or response.text[:500]
    assert revision(store_path) == before + 1
