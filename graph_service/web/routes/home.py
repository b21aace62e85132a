"""``/``: search by any name (Chinese, English, pinyin) and the overview of the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.services import cities, graph, places
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import node_href, page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lang: PageLang, who: Viewer, store: StoreDep,
         q: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    text = q.strip() if q else ""
    results = cities.without_former_names(text, graph.search(store, text, limit=40)) if text else []
    return page(request, "home.html", lang, who, q=q or "", results=[(n, node_href(n, lang)) for n in results],
                counts=store.counts(), regions=places.regions(store), busiest=places.busiest_cities(store))
