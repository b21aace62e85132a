"""Rendering shared by the page routers: the templates, language-keeping links and message pages.

Templates and static files are package data of ``graph_service.web``, read through
``importlib.resources`` (Jinja's ``PackageLoader``), so an installed wheel carries them.

>>> href("zh", "/geo", country="CN")
'/geo?country=CN&lang=zh'
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from graph_service import i18n
from graph_service.i18n import Lang, display_name
from graph_service.model import Node, NodeKind, Status
from graph_service.services.keys import Principal
from viz.styles import KIND_COLOURS, TIER_COLOURS

templates = Jinja2Templates(
    env=jinja2.Environment(loader=jinja2.PackageLoader("graph_service.web", "templates"), autoescape=True)
)


def href(lang: Lang, path: str, **params: Any) -> str:
    """A link that keeps the language."""
    query = {k: v for k, v in params.items() if v is not None} | {"lang": lang}
    return f"{path}?{urlencode(query)}"


def node_href(node: Node, lang: Lang) -> str | None:
    """The page of a node: a city's or region's page, a country's map; None for other kinds."""
    if node.kind is NodeKind.CITY:
        return href(lang, f"/city/{node.id}")
    if node.kind is NodeKind.REGION:
        return href(lang, f"/region/{node.id}")
    if node.kind is NodeKind.COUNTRY:
        return href(lang, "/geo", country=node.id)
    return None


def page(
    request: Request, name: str, lang: Lang, who: Principal, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render template ``name`` with the labels, link helpers and the visitor's edit rights."""
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
        "key_record": who if who.key_id else None,
        "editor": who.can_edit,
        "statuses": [s.value for s in Status],
    }
    return templates.TemplateResponse(request, name, base | context, status_code=status_code)


def message(request: Request, lang: Lang, who: Principal, status_code: int, title: str, text: str,
            **extra: Any) -> HTMLResponse:
    """A page that says one thing: not found, needs a key, nothing changed."""
    return page(request, "message.html", lang, who, status_code=status_code, title=title, message=text, **extra)
