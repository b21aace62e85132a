"""``/lookup?q=…&kind=City``: the suggestions of the forms' search-as-you-type pickers, as JSON.

Names in any language or pinyin match (the store's search); a city's hint names its province and
country, so two cities of one name can be told apart. Only cities and institutions are offered.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from graph_service.i18n import display_name, kind_label
from graph_service.ingest.admin1_names import admin1_label
from graph_service.model import Node, NodeKind
from graph_service.services import graph
from graph_service.web.deps import PageLang, StoreDep, Viewer

router = APIRouter()

LIMIT = 12
PickerKind = Literal["City", "School", "any"]


def _other_name(node: Node, lang: str) -> str:
    shown = display_name(node, "zh" if lang == "zh" else "en")
    other = node.name if shown != node.name else (node.name_zh or "")
    return f"{shown} ({other})" if other and other != shown else shown


@router.get("/lookup")
def lookup(lang: PageLang, _: Viewer, store: StoreDep, q: Annotated[str, Query(max_length=200)] = "",
           kind: PickerKind = "City") -> JSONResponse:
    text = q.strip()
    if not text:
        return JSONResponse([])
    wanted = None if kind == "any" else NodeKind(kind)
    found = graph.search(store, text, kind=wanted, limit=LIMIT * 2)
    found = [n for n in found if n.kind not in (NodeKind.COUNTRY, NodeKind.REGION)][:LIMIT]
    countries = store.get_nodes({n.country for n in found if n.country})
    items = []
    for node in found:
        country = display_name(countries[node.country], lang) if node.country in countries else node.country
        where = [admin1_label(node, lang) if node.admin1 else "", country or ""]
        hint = " · ".join(filter(None, where))
        if node.kind is not NodeKind.CITY:
            hint = " · ".join(filter(None, (kind_label(node.kind.value, lang), hint)))
        items.append({"id": node.id, "label": _other_name(node, lang), "hint": hint})
    return JSONResponse(items)
