"""UI sessions and forged forms: the cookie holds a random session id (never the key), every UI POST
checks the form token and the origin, and every response carries the security headers."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from importlib import resources

import httpx
import pytest
from fastapi.testclient import TestClient

from graph_service.api.app import create_app
from graph_service.api.live import LiveServer
from graph_service.config import Settings
from graph_service.model import Edge, Node
from graph_service.services.keys import create_key, revoke_key
from graph_service.store.sqlite import SQLiteStore

from .forms import TOKEN, form_token, sign_in

NANNING = "geonames:1799869"
EDGE = "geonames:1799869|SISTER_CITY|kk"


@pytest.fixture
def store_path(tmp_path):
    path = tmp_path / "sessions.db"
    store = SQLiteStore(path)
    store.upsert_nodes([Node(id=NANNING, kind="City", name="Nanning", name_zh="南宁", country="CN"),
                        Node(id="kk", kind="City", name="Khon Kaen", country="TH")])
    store.upsert_edges([Edge(src=NANNING, dst="kk", type="SISTER_CITY", status="active")])
    store.close()
    return path


def key_for(path, role) -> tuple[str, str]:
    store = SQLiteStore(path)
    try:
        key, record = create_key(store, role)
        return key, record.id
    finally:
        store.close()


def client_for(path, **settings) -> TestClient:
    return TestClient(create_app(Settings(store=f"sqlite:///{path}", **settings)))


def stored_status(path) -> str:
    store = SQLiteStore(path)
    try:
        return store.get_edge(EDGE).status.value
    finally:
        store.close()


def test_the_cookie_holds_a_random_session_id_never_the_key(store_path):
    editor, key_id = key_for(store_path, "editor")
    with client_for(store_path) as client:
        token = form_token(client)
        response = client.post("/key", data={"key": editor, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("pg_session="))
        session_id = cookie.split(";")[0].removeprefix("pg_session=")
        assert editor not in response.headers.get("set-cookie") and len(session_id) >= 40
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= flags and "secure" not in flags
        assert "editor" in client.get(f"/city/{NANNING}").text.lower()
        assert "edit-partnership" in client.get(f"/city/{NANNING}").text, "the session speaks for the editor key"
    store = SQLiteStore(store_path)
    stored = store.get_session(hashlib.sha256(session_id.encode()).hexdigest())
    assert stored is not None and stored.key_id == key_id
    assert store.get_session(session_id) is None, "the store keeps only the hash of the id"
    store.close()


def test_over_https_the_cookie_is_secure_with_the_host_prefix(store_path):
    editor, _ = key_for(store_path, "editor")
    with client_for(store_path, secure_cookies=True) as client:
        page = client.get("/key")
        form_cookie = page.headers["set-cookie"]
        assert form_cookie.startswith("__Host-pg_form=") and "secure" in form_cookie.lower()
        token = TOKEN.search(page.text).group(1)
        response = client.post("https://testserver/key", data={"key": editor, "csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, response.text[:300]
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-pg_session="))
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "secure", "path=/"} <= flags
        assert not any(flag.startswith("domain") for flag in flags)


def test_signing_out_and_revoking_the_key_end_the_session(store_path):
    editor, key_id = key_for(store_path, "editor")
    with client_for(store_path) as client:
        sign_in(client, editor)
        assert "edit-partnership" in client.get(f"/city/{NANNING}").text
        store = SQLiteStore(store_path)
        revoke_key(store, key_id)
        store.close()
        client.app.state.keyring.invalidate()
        assert "edit-partnership" not in client.get(f"/city/{NANNING}").text, "a revoked key's session is dead"
    editor, _ = key_for(store_path, "editor")
    with client_for(store_path) as client:
        sign_in(client, editor)
        token = form_token(client, f"/city/{NANNING}")
        out = client.post("/key/forget", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        assert "edit-partnership" not in client.get(f"/city/{NANNING}").text


def forged_post(client, headers=None, **fields):
    data = {"edge_id": EDGE, "status": "ended"} | fields
    return client.post(f"/city/{NANNING}/partnership", data=data, headers=headers or {}, follow_redirects=False)


@pytest.mark.parametrize(
    ("case", "headers", "token"),
    [
        ("no token", {}, None),
        ("wrong token", {}, "not-the-token"),
        ("another port", {"Origin": "http://testserver:8001"}, "right"),
        ("another host", {"Origin": "http://evil.example"}, "right"),
        ("opaque origin", {"Origin": "null"}, "right"),
        ("same-site fetch", {"Sec-Fetch-Site": "same-site"}, "right"),
        ("cross-site fetch", {"Sec-Fetch-Site": "cross-site"}, "right"),
    ],
)
def test_forged_edits_are_refused_and_change_nothing(store_path, case, headers, token):
    editor, _ = key_for(store_path, "editor")
    with client_for(store_path) as client:
        sign_in(client, editor)
        right = form_token(client, f"/city/{NANNING}")
        fields = {} if token is None else {"csrf_token": right if token == "right" else token}
        response = forged_post(client, headers, **fields)
        assert response.status_code == 403, case
        assert "The form was not accepted" in response.text and "Nothing was changed" in response.text, case
        zh = client.post(f"/city/{NANNING}/partnership?lang=zh", data={"edge_id": EDGE, "status": "ended"},
                         follow_redirects=False)
        assert zh.status_code == 403 and "表单未被接受" in zh.text
    assert stored_status(store_path) == "active", case


def test_a_same_origin_post_with_the_token_is_accepted(store_path):
    editor, _ = key_for(store_path, "editor")
    with client_for(store_path) as client:
        sign_in(client, editor)
        token = form_token(client, f"/city/{NANNING}")
        headers = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
        assert forged_post(client, headers, csrf_token=token).status_code == 303
    assert stored_status(store_path) == "ended"


def test_sign_in_and_sign_out_are_csrf_checked(store_path):
    editor, _ = key_for(store_path, "editor")
    with client_for(store_path) as client:
        for data in ({"key": editor}, {"key": editor, "csrf_token": "guess"}):
            refused = client.post("/key", data=data, follow_redirects=False)
            assert refused.status_code == 403 and "pg_session" not in refused.headers.get("set-cookie", "")
        token = form_token(client)
        other_port = client.post("/key", data={"key": editor, "csrf_token": token},
                                 headers={"Origin": "http://testserver:9999"}, follow_redirects=False)
        assert other_port.status_code == 403
        sign_in(client, editor)
        assert client.post("/key/forget", follow_redirects=False).status_code == 403
        assert "edit-partnership" in client.get(f"/city/{NANNING}").text, "the refused sign-out kept the session"


def test_sessions_are_shared_by_every_worker(store_path, tmp_path):
    """Two uvicorn workers: a session opened through one is known to the other."""
    editor, _ = key_for(store_path, "editor")
    with LiveServer(f"sqlite:///{store_path}", workers=2, log_path=tmp_path / "server.log") as server, \
            httpx.Client(base_url=server.url, timeout=30) as client:
        sign_in(client, editor)
        pages = [client.get(f"/city/{NANNING}").text for _ in range(12)]
        assert all("edit-partnership" in html for html in pages)
        token = form_token(client, f"/city/{NANNING}")
        assert forged_post(client, csrf_token=token).status_code == 303
    assert stored_status(store_path) == "ended"


def test_security_headers_on_every_response(store_path):
    with client_for(store_path) as client:
        responses = {
            "page": client.get(f"/city/{NANNING}"),
            "api": client.get("/api/v1/stats"),
            "missing": client.get("/no/such/page"),
            "static": client.get("/static/ui.css"),
            "favicon": client.get("/favicon.ico"),
            "health": client.get("/health"),
            "network": client.get(f"/network/city/{NANNING}"),
        }
        for name, response in responses.items():
            csp = response.headers["content-security-policy"]
            scripts = csp.split("script-src")[1].split(";")[0]
            assert "'nonce-" in scripts and "unsafe-inline" not in scripts, name
            assert response.headers["x-content-type-options"] == "nosniff", name
            assert response.headers["referrer-policy"] == "same-origin", name
            framing = "frame-ancestors 'self'" if name == "network" else "frame-ancestors 'none'"
            assert framing in csp, name
        assert responses["favicon"].status_code == 200 and responses["favicon"].content[:4] == b"\x00\x00\x01\x00"
        network = responses["network"]
        nonce = network.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
        assert f'<script nonce="{nonce}">' in network.text
        assert network.text.count("<script") == 2, "vis-network from /static, and the one nonce'd inline script"
        page = responses["page"].text
        assert "<script" not in page.replace('<script src="/static/', ""), "pages run no inline script"
        again = client.get(f"/network/city/{NANNING}").headers["content-security-policy"]
        assert nonce not in again, "a fresh nonce per response"


POST_FORM = re.compile(r'<form\b[^>]*method="post"[^>]*>', re.IGNORECASE)
ACTION = re.compile(r'action="([^"]*)"')


def post_form_actions(html: str) -> list[str]:
    return [unescape(ACTION.search(tag).group(1)) for tag in POST_FORM.findall(html)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signing_in_and_out_keeps_the_language(store_path, lang):
    """The key page's forms post back to a URL in the page's language, and every redirect keeps it
    (entering the key on ``/key?lang=zh`` used to land on the English home page)."""
    editor, key_id = key_for(store_path, "editor")
    with client_for(store_path) as client:
        page = client.get(f"/key?lang={lang}")
        assert post_form_actions(page.text) == [f"/key?lang={lang}"]
        token = TOKEN.search(page.text).group(1)
        wrong = client.post(f"/key?lang={lang}", data={"key": "pg_not-a-key", "csrf_token": token},
                            follow_redirects=False)
        assert wrong.status_code == 401 and ("密钥无效或已被吊销" in wrong.text) == (lang == "zh"), wrong.text[-800:]
        signed_in = client.post(f"/key?lang={lang}", data={"key": editor, "csrf_token": token},
                                follow_redirects=False)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == f"/?lang={lang}"
        signed_page = client.get(f"/key?lang={lang}")
        assert post_form_actions(signed_page.text) == [f"/key/forget?lang={lang}"]
        says = {"en": "Signed in with key ", "zh": "已使用密钥 "}[lang] + key_id
        assert says in signed_page.text and ("编辑者" if lang == "zh" else "role: editor") in signed_page.text
        city = client.get(f"/city/{NANNING}?lang={lang}").text
        actions = post_form_actions(city)
        assert actions and all(a.endswith(f"?lang={lang}") for a in actions), actions
        token = TOKEN.search(signed_page.text).group(1)
        edited = client.post(actions[0], data={"edge_id": EDGE, "status": "signed", "csrf_token": token},
                             follow_redirects=False)
        assert edited.status_code == 303 and edited.headers["location"] == f"/city/{NANNING}?lang={lang}#partners"
        out = client.post(f"/key/forget?lang={lang}", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303 and out.headers["location"] == f"/?lang={lang}"


def test_every_post_form_posts_to_a_url_that_keeps_the_language():
    """Every ``method="post"`` form of every template builds its action with ``href()`` (which adds
    ``lang``), so the route it posts to answers, and redirects, in the page's language."""
    templates = resources.files("graph_service.web") / "templates"
    forms = {f"{entry.name}: {tag}": tag for entry in templates.iterdir() if entry.name.endswith(".html")
             for tag in POST_FORM.findall(entry.read_text(encoding="utf-8"))}
    assert forms, "the templates have post forms"
    assert [name for name, tag in forms.items() if "action=\"{{ href(" not in tag] == []
