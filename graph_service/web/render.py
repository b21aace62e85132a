"""Rendering shared by the page routers: the templates, language-keeping links and message pages.

Templates and static files are package data of ``graph_service.web``, read through
``importlib.resources`` (Jinja's ``PackageLoader``), so an installed wheel carries them.

>>> href("zh", "/geo", country="CN")
'/geo?country=CN&lang=zh'
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from graph_service import i18n
from graph_service.analysis import projection
from graph_service.analysis.naming import NodeNames
from graph_service.i18n import Lang, display_name
from graph_service.ingest.admin1_names import admin1_label
from graph_service.model import Node, NodeKind, Status
from graph_service.policy import policy_for
from graph_service.services.keys import Principal
from graph_service.web.csrf import form_token, remember_form_token
from viz.styles import DEMO_COLOUR, KIND_COLOURS, TIER_COLOURS

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


class PageNames:
    """How a page names nodes and country codes: in its language, under the home-country policy of the
    page's home city (``home_country``), else of the office the server works for (``Settings.home_country``).
    Country nodes are read from the projection only when a template first asks."""

    def __init__(self, request: Request, lang: Lang, home_country: str | None):
        self.request, self.lang = request, lang
        self.policy = policy_for(home_country or request.app.state.settings.home_country)

    @cached_property
    def _names(self) -> NodeNames:
        return NodeNames(projection(self.request.app.state.store).countries.nodes, self.policy)

    def node(self, node: Node) -> str:
        """A node's name: the policy's official name for a country it names (中国台湾), else its own."""
        if node.kind is NodeKind.COUNTRY:
            return NodeNames({node.id: node}, self.policy).name(node.id, self.lang)
        return display_name(node, self.lang)

    def kind(self, node: Node) -> str:
        """A node's kind as a page names it: a part of the home country with a code of its own (Taiwan,
        Hong Kong, Macao for a Chinese office) is a region of that country (中国地区), never a 国家."""
        if node.kind is NodeKind.COUNTRY and self.policy.classify(node.id) == "domestic":
            return i18n.t("domestic_region", self.lang, country=self.country(self.policy.country))
        return i18n.kind_label(node.kind.value, self.lang)

    def country_of(self, node: Node) -> str:
        """The country a node lies in, as a name: the home country for its domestic territories."""
        if node.kind is NodeKind.COUNTRY and self.policy.classify(node.id) == "domestic":
            return self.country(self.policy.country)
        return self.country(node.country)

    def country(self, code: str | None) -> str:
        """A country code as a name (``TH`` → 泰国 / Thailand); empty for None."""
        return self._names.name(code, self.lang) if code else ""


def page(
    request: Request, name: str, lang: Lang, who: Principal, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render template ``name`` with the labels, link helpers, the visitor's edit rights, the form token
    (``csrf_token()``, used by the ``_forms.html`` macro) and the page's script nonce (``csp_nonce``)."""
    names = PageNames(request, lang, context.get("home_country"))
    other = "en" if lang == "zh" else "zh"
    switch = request.url.path + "?" + urlencode({**dict(request.query_params), "lang": other})
    base = {
        "lang": lang,
        "t": partial(i18n.t, lang=lang),
        "kind_label": partial(i18n.kind_label, lang=lang),
        "edge_label": partial(i18n.edge_label, lang=lang),
        "continent_label": partial(i18n.continent_label, lang=lang),
        "name": names.node,
        "country_name": names.country,
        "node_kind": names.kind,
        "node_country": names.country_of,
        "admin1_name": partial(admin1_label, lang=lang),
        "note_label": i18n.note_label,
        "original_note": i18n.original_note,
        "source_label": partial(i18n.source_label, lang=lang),
        "record_text": partial(i18n.record_text, lang=lang),
        "role_label": partial(i18n.role_label, lang=lang),
        "strategy_label": partial(i18n.strategy_label, lang=lang),
        "policy": names.policy,
        "event": partial(i18n.event_text, lang=lang),
        "attention_text": partial(i18n.attention_text, lang=lang),
        "note_text": partial(i18n.import_note_text, lang=lang),
        "href": partial(href, lang),
        "switch_url": switch,
        "kind_colours": KIND_COLOURS,
        "tier_colours": TIER_COLOURS,
        "demo_colour": DEMO_COLOUR,
        "key_record": who if who.key_id else None,
        "editor": who.can_edit,
        "statuses": [s.value for s in Status],
        "csrf_token": partial(form_token, request),
        "csp_nonce": getattr(request.state, "csp_nonce", ""),
    }
    response = templates.TemplateResponse(request, name, base | context, status_code=status_code)
    remember_form_token(request, response)
    return response


def message(request: Request, lang: Lang, who: Principal, status_code: int, title: str, text: str,
            **extra: Any) -> HTMLResponse:
    """A page that says one thing: not found, needs a key, nothing changed."""
    return page(request, "message.html", lang, who, status_code=status_code, title=title, message=text, **extra)
