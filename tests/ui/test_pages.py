"""UI pages through the real app in-process: languages, search, escaping, read gate and editing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from graph_service.api.app import create_app
from graph_service.config import Settings
from graph_service.model import Edge, Node
from graph_service.services.keys import create_key
from graph_service.store.sqlite import SQLiteStore

from .forms import form_token, sign_in

NANNING = "geonames:1799869"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "ui.db"
    store = SQLiteStore(path)
    store.upsert_nodes([
        Node(id=NANNING, kind="City", name="Nanning", name_zh="南宁", country="CN", lat=22.8, lon=108.3),
        Node(id="kk", kind="City", name="Khon Kaen", name_zh="孔敬", country="TH", lat=16.4, lon=102.8),
        Node(id="evil", kind="City", name=HOSTILE, name_zh=HOSTILE, country="FR", lat=48.8, lon=2.3, notes=HOSTILE),
        Node(id="TH", kind="Country", name="Thailand"),
    ])
    store.upsert_edges([
        Edge(src=NANNING, dst="kk", type="SISTER_CITY", status="active", since="1995"),
        Edge(src=NANNING, dst="evil", type="FRIENDLY_EXCHANGE", notes=HOSTILE),
    ])
    store.close()
    return path


def make_client(path, **settings):
    return TestClient(create_app(Settings(store=f"sqlite:///{path}", **settings)))


@pytest.fixture
def client(store_path):
    with make_client(store_path) as client:
        yield client


def key_for(path, role):
    store = SQLiteStore(path)
    try:
        return create_key(store, role)[0]
    finally:
        store.close()


def test_search_finds_nanning_in_every_spelling(client):
    for typed in ("南宁", "Nanning", "nanning", "NANNING"):
        html = client.get("/", params={"q": typed}).text
        assert f'data-id="{NANNING}"' in html, typed


def test_taiwan_is_found_as_a_region_of_china_never_a_country(store_path):
    store = SQLiteStore(store_path)
    store.upsert_nodes([Node(id="TW", kind="Country", name="Taiwan", name_zh="台湾"),
                        Node(id="CN", kind="Country", name="China", name_zh="中国")])
    store.close()
    with make_client(store_path) as client:
        for lang, region, country in (("zh", "中国地区", "国家"), ("en", "Region of China", "Country")):
            rows = re.findall(r'<tr class="result" data-id="(\w+)">(.*?)</tr>',
                              client.get("/", params={"q": "Taiwan", "lang": lang}).text, re.S)
            assert [r[0] for r in rows] == ["TW"]
            assert f'class="badge">{region}<' in rows[0][1] and f">{country}<" not in rows[0][1]
            assert re.search(r"<td>(中国|China)</td>", rows[0][1]), rows[0][1]
        thailand = client.get("/", params={"q": "Thailand", "lang": "zh"}).text
        assert 'class="badge">国家<' in thailand


def test_notes_show_in_chinese_or_folded_away_as_the_english_original(store_path):
    store = SQLiteStore(store_path)
    store.upsert_nodes([Node(id="bd", kind="City", name="Bundaberg", country="AU")])
    store.upsert_edges([
        Edge(src=NANNING, dst="kk", type="SISTER_CITY", status="active", since="1995",
             notes="Teachers sent every year.", attrs={"notes_zh": "每年选派教师。"}),
        Edge(src=NANNING, dst="bd", type="SISTER_CITY", notes="A summer camp is planned.", source="pairs import"),
    ])
    store.close()
    with make_client(store_path) as client:
        zh = client.get(f"/city/{NANNING}", params={"lang": "zh"}).text
        en = client.get(f"/city/{NANNING}").text
    rows = dict(re.findall(r'<tr class="partner" data-id="(\w+)">(.*?)</tr>', zh, re.S))
    assert "每年选派教师。" in rows["kk"] and "Teachers" not in rows["kk"] and "original-note" not in rows["kk"]
    assert re.search(r'友城数据导入\s*<details class="original-note"><summary>英文原文</summary>'
                     r'<span lang="en">A summer camp is planned.</span></details>', rows["bd"]), rows["bd"]
    assert "Teachers sent every year." in en and "A summer camp is planned." in en and "original-note" not in en


def test_search_with_nothing_to_search_for_says_so(client):
    for typed in ("", "_", "*", "'"):
        en = client.get("/", params={"q": typed})
        zh = client.get("/", params={"q": typed, "lang": "zh"}).text
        assert en.status_code == 200 and 'role="alert"' in en.text, typed
        assert "type a name" in en.text and 'class="result"' not in en.text, typed
        assert "请输入要查找的名称" in zh and 'class="result"' not in zh, typed
    assert 'role="alert"' not in client.get("/").text  # no search asked, no message
    assert f'data-id="{NANNING}"' in client.get("/", params={"q": '"南宁"'}).text


def test_labels_and_names_follow_the_language(client):
    en = client.get(f"/city/{NANNING}").text
    zh = client.get(f"/city/{NANNING}", params={"lang": "zh"}).text
    assert "Sister cities (formal)" in en and '<html lang="en">' in en
    assert "友好城市(正式)" in zh and "合作伙伴" in zh and '<html lang="zh-CN">' in zh
    assert re.search(r'<h1 id="city-name"[^>]*>南宁', zh) and re.search(r'<h1 id="city-name"[^>]*>Nanning', en)
    assert client.get("/", params={"lang": "fr"}).status_code == 200


def test_names_holding_markup_are_shown_as_text(client):
    for path in (f"/city/{NANNING}", "/?q=script", "/geo", f"/city/{NANNING}?lang=zh", "/city/evil"):
        html = client.get(path).text
        assert "<img src=x" not in html and '<script>alert("x")' not in html, path
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get(f"/city/{NANNING}").text
    network = client.get(f"/network/city/{NANNING}").text
    assert "<img src=x" not in network and "\\u003cimg src=x" in network


def test_unknown_pages_and_bad_parameters(client):
    response = client.get("/city/nowhere-at-all")
    assert response.status_code == 404 and "Not found" in response.text
    assert "未找到" in client.get("/region/nowhere", params={"lang": "zh"}).text
    assert client.get("/network/city/nowhere").status_code == 404
    assert client.get("/network/city/TH", params={"depth": 2}).status_code == 404, "ego networks are for cities"
    assert client.get("/geo", params={"country": "<script>"}).status_code == 422
    assert client.get("/static/../pyproject.toml").status_code == 404
    assert client.get("/static/vis/../../network.py").status_code == 404


def test_read_only_visitors_browse_everything_without_edit_controls(store_path):
    with make_client(store_path) as client:
        for path in ("/", f"/city/{NANNING}", "/geo", "/geo?country=CN", f"/network/city/{NANNING}", "/network/geo"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "edit-partnership" not in response.text and 'method="post"' not in response.text


def test_reads_need_a_key_when_reads_are_not_public(store_path):
    viewer = key_for(store_path, "viewer")
    with make_client(store_path, public_reads=False) as client:
        for path in ("/", f"/city/{NANNING}", f"/network/city/{NANNING}", "/geo"):
            assert client.get(path).status_code == 401, path
        assert client.get("/", headers={"X-API-Key": viewer}).status_code == 200
        html = client.get(f"/city/{NANNING}", headers={"X-API-Key": viewer}).text
        assert "edit-partnership" not in html, "a viewer key shows no edit controls"
        token = form_token(client)
        assert client.post("/key", data={"key": "pg_wrong", "csrf_token": token},
                           follow_redirects=False).status_code == 401
        kept = client.post("/key", data={"key": viewer, "csrf_token": token}, follow_redirects=False)
        assert kept.status_code == 303 and "samesite=strict" in kept.headers["set-cookie"].lower()
        assert client.get(f"/city/{NANNING}").status_code == 200, "the session cookie now stands for the key"


def edge_of(path, edge_id):
    store = SQLiteStore(path)
    try:
        return next(e for e in store.snapshot().edges if e.id == edge_id)
    finally:
        store.close()


def test_editor_sets_status_and_date_of_a_partnership(store_path):
    editor = key_for(store_path, "editor")
    edge_id = f"{NANNING}|FRIENDLY_EXCHANGE|evil" if NANNING < "evil" else f"evil|FRIENDLY_EXCHANGE|{NANNING}"
    with make_client(store_path) as client:
        sign_in(client, editor)
        html = client.get(f"/city/{NANNING}").text
        assert html.count('class="inline edit-partnership"') == 2
        done = client.post(
            f"/city/{NANNING}/partnership",
            data={"edge_id": edge_id, "status": "signed", "since": "2012-04", "csrf_token": form_token(client)},
            follow_redirects=False,
        )
        assert done.status_code == 303
    edge = edge_of(store_path, edge_id)
    assert (edge.status.value, edge.since, edge.notes) == ("signed", "2012-04", HOSTILE)
    store = SQLiteStore(store_path)
    assert store.read_audit(limit=1)[0].action == "ui_update_partnership"
    assert store.read_audit(limit=1)[0].actor.startswith("key:") and editor not in str(store.read_audit(limit=1)[0])
    store.close()


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"status": "finished"}, 422),
        ({"since": "2012-13-01"}, 422),
        ({"since": "last spring"}, 422),
        ({"status": "active", "since": "2012\x00"}, 422),
        ({"status": "signed", "since": "2099-01-01"}, 422),
        ({"edge_id": "kk|SISTER_CITY|evil"}, 404),
        ({"edge_id": "x" * 600}, 422),
    ],
)
def test_bad_edits_change_nothing(store_path, form, status):
    editor = key_for(store_path, "editor")
    edge_id = f"{NANNING}|SISTER_CITY|kk" if NANNING < "kk" else f"kk|SISTER_CITY|{NANNING}"
    before = edge_of(store_path, edge_id)
    with make_client(store_path) as client:
        token = form_token(client, f"/city/{NANNING}", headers={"X-API-Key": editor})
        response = client.post(
            f"/city/{NANNING}/partnership",
            headers={"X-API-Key": editor},
            data={"edge_id": edge_id, "status": "active", "csrf_token": token} | form,
            follow_redirects=False,
        )
        assert response.status_code == status, response.text
        assert {422: "Nothing was changed", 404: "Not found"}[status] in response.text
    assert edge_of(store_path, edge_id) == before


@pytest.mark.parametrize(("typed", "zh"), [
    ({"status": "signed", "since": "2099-01-01"}, "已签署的关系不能填写未来的日期（2099-01-01）"),
    ({"status": "active", "since": "last spring"}, "“last spring”不是有效日期"),
])
def test_a_refused_quick_edit_keeps_what_was_typed_with_the_problem_in_chinese(store_path, typed, zh):
    """Finding F8: a signed tie dated 2099 was saved, and a bad date lost the form."""
    editor = key_for(store_path, "editor")
    edge_id = f"{NANNING}|SISTER_CITY|kk" if NANNING < "kk" else f"kk|SISTER_CITY|{NANNING}"
    before = edge_of(store_path, edge_id)
    with make_client(store_path) as client:
        sign_in(client, editor)
        response = client.post(f"/city/{NANNING}/partnership?lang=zh",
                               data={"edge_id": edge_id, "csrf_token": form_token(client)} | typed,
                               follow_redirects=False)
    assert response.status_code == 422
    assert "未作任何修改" in response.text and zh in response.text
    since = re.search(r'<input[^>]*name="since"[^>]*>', response.text).group(0)
    assert f'value="{typed["since"]}"' in since, "the typed date is kept in the lifecycle form"
    status = re.search(r'<select[^>]*name="status".*?</select>', response.text, re.S).group(0)
    assert re.search(rf'<option value="{typed["status"]}"[^>]*selected', status)
    assert edge_of(store_path, edge_id) == before


def test_edits_need_an_editor_key(store_path):
    viewer = key_for(store_path, "viewer")
    edge_id = f"{NANNING}|SISTER_CITY|kk" if NANNING < "kk" else f"kk|SISTER_CITY|{NANNING}"
    before = edge_of(store_path, edge_id)
    with make_client(store_path) as client:
        token = form_token(client)
        for headers in ({}, {"X-API-Key": viewer}, {"X-API-Key": "pg_not_a_key"}):
            response = client.post(
                f"/city/{NANNING}/partnership",
                headers=headers,
                data={"edge_id": edge_id, "status": "ended", "csrf_token": token},
                follow_redirects=False,
            )
            assert response.status_code == 403, headers
            assert "Editing needs an editor key." in response.text, "refused for the role, not the form token"
    assert edge_of(store_path, edge_id) == before


def test_two_hop_network_adds_partners_of_partners_but_no_country_hub(store_path):
    store = SQLiteStore(store_path)
    store.upsert_nodes(
        [
            Node(id="TH", kind="Country", name="Thailand"),
            Node(id="udon", kind="City", name="Udon Thani", country="TH"),
            Node(id="bkk", kind="City", name="Bangkok", country="TH"),
        ]
    )
    store.upsert_edges(
        [
            Edge(src="kk", dst="udon", type="SISTER_CITY"),
            Edge(src="udon", dst="TH", type="LOCATED_IN"),
            Edge(src="bkk", dst="TH", type="LOCATED_IN"),
            Edge(src="kk", dst="TH", type="LOCATED_IN"),
        ]
    )
    store.close()
    with make_client(store_path) as client:
        one = client.get(f"/network/city/{NANNING}").text
        two = client.get(f"/network/city/{NANNING}", params={"depth": 2}).text
        assert '"id": "udon"' not in one and '"id": "udon"' in two
        assert '"id": "bkk"' not in two, "a country is not expanded into all its cities"
        assert client.get(f"/network/city/{NANNING}", params={"depth": 3}).status_code == 422
        assert (
            'src="/network/city/geonames:1799869?depth=2&amp;lang=en"'
            in client.get(f"/city/{NANNING}", params={"depth": 2}).text
        )


def test_city_pages_accept_a_unique_name(client):
    for name in ("南宁", "Nanning", "nanning"):
        response = client.get(f"/city/{name}", params={"lang": "zh"}, follow_redirects=False)
        assert response.status_code == 307 and response.headers["location"] == f"/city/{NANNING}?lang=zh", name
    assert client.get("/city/Atlantis").status_code == 404
