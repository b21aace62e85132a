"""``/``: search by any name (Chinese, English, pinyin) and the overview of the store."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from graph_service.errors import InvalidInput
from graph_service.services import cities, graph, places
from graph_service.web.deps import PageLang, StoreDep, Viewer
from graph_service.web.render import node_href, page

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lang: PageLang, who: Viewer, store: StoreDep,
         q: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    results, refused = [], None
    if q is not None:
        try:
            results = cities.without_former_names(q, graph.search(store, q, limit=40))
        except InvalidInput as error:  # an empty or punctuation-only query: say so beside the form
            refused = error.message(lang)
    return page(request, "home.html", lang, who, q=q or "", searched=q is not None, refused=refused,
                results=[(n, node_href(n, lang)) for n in results],
                counts=store.counts(), regions=places.regions(store), busiest=places.busiest_cities(store))
