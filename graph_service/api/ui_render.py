"""Rendering shared by the UI routers: templates, language-keeping links, message pages, read gate.

>>> href("zh", "/geo", country="CN")
'/geo?country=CN&lang=zh'
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from graph_service import i18n
from graph_service.api.ui_auth import can_edit, can_read, caller
from graph_service.i18n import Lang, display_name
from graph_service.model import Status
from graph_service.store.base import GraphStore
from viz.styles import KIND_COLOURS, TIER_COLOURS

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def store_of(request: Request) -> GraphStore:
    return request.app.state.store


def href(lang: Lang, path: str, **params: Any) -> str:
    """A link that keeps the language."""
    query = {k: v for k, v in params.items() if v is not None} | {"lang": lang}
    return f"{path}?{urlencode(query)}"


def page(request: Request, name: str, lang: Lang, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the labels, link helpers and the caller's edit rights."""
    record = caller(request)
    other = "en" if lang == "zh" else "zh"
    switch = request.url.path + "?" + urlencode({**dict(request.query_params), "lang": other})
    base = {
        "lang": lang,
        "t": partial(i18n.t, lang=lang),
        "kind_label": partial(i18n.kind_label, lang=lang),
        "edge_label": partial(i18n.edge_label, lang=lang),
        "continent_label": partial(i18n.continent_label, lang=lang),
        "name": partial(display_name, lang=lang),
        "href": partial(href, lang),
        "switch_url": switch,
        "kind_colours": KIND_COLOURS,
        "tier_colours": TIER_COLOURS,
        "key_record": record,
        "editor": can_edit(record),
        "statuses": [s.value for s in Status],
    }
    return templates.TemplateResponse(request, name, base | context, status_code=status_code)


def message(request: Request, lang: Lang, status_code: int, title: str, text: str, **extra: Any) -> HTMLResponse:
    """A page that says one thing: not found, needs a key, nothing changed."""
    return page(request, "message.html", lang, status_code=status_code, title=title, message=text, **extra)


def not_found(request: Request, lang: Lang, what: str) -> HTMLResponse:
    return message(request, lang, 404, i18n.t("not_found", lang), what)


def denied(request: Request, lang: Lang) -> HTMLResponse | None:
    """A 401 page when reads need a key and the caller has none; None when the page may be shown."""
    if can_read(request, caller(request)):
        return None
    return message(request, lang, 401, i18n.t("sign_in", lang), i18n.t("needs_key", lang), show_key_link=True)


