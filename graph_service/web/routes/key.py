"""``/key``: sign in with an API key (browsers cannot set headers on links), or sign out.

Signing in checks the key against the stored hashes and opens a server-side session
(``services.sessions``); the cookie holds only the random session id. Both forms are CSRF-checked
like every UI POST (``web.csrf``), so another site cannot sign a visitor in or out.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service import i18n
from graph_service.api.deps import KeyRingDep, SettingsDep
from graph_service.errors import Unauthorized
from graph_service.services import sessions
from graph_service.services.keys import MAX_KEY_CHARS
from graph_service.store.base import SessionStore
from graph_service.web.deps import PageLang, Visitor
from graph_service.web.render import href, message, page
from graph_service.web.session import FORM_COOKIE, SESSION_COOKIE, cookie, delete_cookie, set_cookie

router = APIRouter()


@router.get("/key", response_class=HTMLResponse)
def key_page(request: Request, lang: PageLang, who: Visitor) -> HTMLResponse:
    return page(request, "key.html", lang, who, signed_in=who if who.key_id else None)


@router.post("/key")
def keep_key(request: Request, lang: PageLang, who: Visitor, keyring: KeyRingDep, settings: SettingsDep,
             key: Annotated[str, Form(max_length=MAX_KEY_CHARS)]) -> Response:
    store: SessionStore = request.app.state.store
    try:
        session_id, _ = sessions.start_session(store, keyring, key)
    except Unauthorized:
        return message(request, lang, who, 401, i18n.t("sign_in", lang), i18n.t("key_unknown", lang),
                       show_key_link=True)
    sessions.end_session(store, cookie(request, SESSION_COOKIE))
    response = RedirectResponse(href(lang, "/"), status_code=303)
    set_cookie(response, settings, SESSION_COOKIE, session_id, max_age=sessions.SESSION_HOURS * 3600)
    delete_cookie(response, settings, FORM_COOKIE)
    return response


@router.post("/key/forget")
def forget_key(request: Request, lang: PageLang, settings: SettingsDep) -> Response:
    sessions.end_session(request.app.state.store, cookie(request, SESSION_COOKIE))
    response = RedirectResponse(href(lang, "/"), status_code=303)
    delete_cookie(response, settings, SESSION_COOKIE)
    return response
