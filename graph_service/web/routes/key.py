"""``/key``: keep an API key in an HttpOnly, SameSite=Strict cookie (browsers cannot set headers on
links), or forget it. The key is checked against the stored hashes before it is kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service import i18n
from graph_service.api.deps import KeyRingDep
from graph_service.services.keys import MAX_KEY_CHARS
from graph_service.web.deps import COOKIE, PageLang, Visitor
from graph_service.web.render import href, message, page

router = APIRouter()


@router.get("/key", response_class=HTMLResponse)
def key_page(request: Request, lang: PageLang, who: Visitor) -> HTMLResponse:
    return page(request, "key.html", lang, who, signed_in=who if who.key_id else None)


@router.post("/key")
def keep_key(request: Request, lang: PageLang, who: Visitor, keyring: KeyRingDep,
             key: Annotated[str, Form(max_length=MAX_KEY_CHARS)]) -> Response:
    if keyring.lookup(key.strip()) is None:
        return message(request, lang, who, 401, i18n.t("sign_in", lang), i18n.t("key_unknown", lang),
                       show_key_link=True)
    response = RedirectResponse(href(lang, "/"), status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict", max_age=8 * 3600)
    return response


@router.post("/key/forget")
def forget_key(lang: PageLang) -> Response:
    response = RedirectResponse(href(lang, "/"), status_code=303)
    response.delete_cookie(COOKIE, httponly=True, samesite="strict")
    return response
