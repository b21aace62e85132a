"""The UI's only writes: keeping an API key in a cookie, and an editor updating a partnership.

An editor (a key with the editor role, from the header or the ``/key`` cookie) sees a small form
per partner on the city page to set the status and the date. The form posts here; the change goes
through the ``Edge`` model and one ``upsert_edges`` call, audited under the key's id. Bad input
gets a 400 page and changes nothing. The cookie is SameSite=Strict, so another site cannot post
with it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from graph_service import i18n
from graph_service.api.ui_auth import COOKIE, MAX_KEY_CHARS, caller, can_edit, lookup
from graph_service.api.ui_render import denied, href, message, not_found, page, store_of
from graph_service.i18n import pick_lang
from graph_service.model import PARTNERSHIP_TYPES, Edge

router = APIRouter(include_in_schema=False)

LangForm = Annotated[str | None, Form(max_length=10)]


@router.get("/key", response_class=HTMLResponse)
def key_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """Enter an API key (kept in a cookie) or forget it."""
    lang = pick_lang(lang)
    return page(request, "key.html", lang, signed_in=caller(request))


@router.post("/key")
def keep_key(request: Request, key: Annotated[str, Form(max_length=MAX_KEY_CHARS)], lang: LangForm = None) -> Response:
    lang = pick_lang(lang)
    if lookup(request, key.strip()) is None:
        return message(request, lang, 401, i18n.t("sign_in", lang), i18n.t("key_unknown", lang), show_key_link=True)
    response = RedirectResponse(href(lang, "/"), status_code=303)
    response.set_cookie(COOKIE, key.strip(), httponly=True, samesite="strict", max_age=8 * 3600)
    return response


@router.post("/key/forget")
def forget_key(lang: LangForm = None) -> Response:
    response = RedirectResponse(href(pick_lang(lang), "/"), status_code=303)
    response.delete_cookie(COOKIE, httponly=True, samesite="strict")
    return response


@router.post("/city/{city_id}/partnership")
def update_partnership(
    request: Request,
    city_id: str,
    edge_id: Annotated[str, Form(max_length=500)],
    status: Annotated[str, Form(max_length=20)] = "",
    since: Annotated[str, Form(max_length=20)] = "",
    lang: LangForm = None,
) -> Response:
    """Set the status and date of one of the city's partnerships (editor role)."""
    lang = pick_lang(lang)
    if refusal := denied(request, lang):
        return refusal
    record = caller(request)
    if not can_edit(record):
        return message(request, lang, 403, i18n.t("edit", lang), i18n.t("needs_editor", lang), show_key_link=True)
    store = store_of(request)
    sub = store.neighbourhood(city_id, depth=1, types=PARTNERSHIP_TYPES)
    edge = next((e for e in sub.edges if e.id == edge_id and city_id in (e.src, e.dst)), None)
    if edge is None:
        return not_found(request, lang, edge_id)
    try:
        updated = Edge.model_validate(edge.model_dump() | {"status": status.strip() or None, "since": since.strip() or None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return message(request, lang, 400, i18n.t("bad_input", lang), problems)
    store.upsert_edges([updated], actor=f"key:{record.id}", action="ui_update_partnership")
    return RedirectResponse(href(lang, f"/city/{city_id}") + "#partners", status_code=303)
