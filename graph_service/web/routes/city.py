"""``/city/{id}``: a city's partners by tier and status, its partner network, explained suggestions
and gaps by region; and the one edit an editor makes there, a partnership's status and date.

``/city/南宁`` or ``/city/Nanning`` redirects to the city's id when the name is unique.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service.analysis.gaps import Coverage
from graph_service.errors import InvalidFields
from graph_service.model import NodeKind
from graph_service.services import cities, partnerships
from graph_service.web.deps import Editor, PageLang, StoreDep, Viewer
from graph_service.web.forms import form_page, shown_values
from graph_service.web.render import href, page
from graph_service.web.routes.partnerships import lifecycle_values
from graph_service.web.views import (
    ActivityQuery,
    TimelineFilter,
    TimelineQuery,
    choices,
    city_view,
    partnership_view,
)

router = APIRouter()

MAX_GAP_COUNTRIES = 15
"""Gap countries shown per region before "and N more"."""
SHOWN_REASONS = 4
"""Reasons shown per suggestion, largest contribution first; the rest open on demand."""


@router.get("/city/{city_id}", response_class=HTMLResponse)
def city_page(request: Request, city_id: str, lang: PageLang, who: Viewer, store: StoreDep,
              timeline: TimelineQuery, thresholds: ActivityQuery,
              strategy: Annotated[str | None, Query(max_length=60)] = None,
              depth: Annotated[int, Query(ge=1, le=2)] = 1, coverage: Coverage = "all") -> Response:
    city = store.get_node(city_id)
    if city is None or city.kind is not NodeKind.CITY:
        named = cities.resolve_city(store, city_id)
        return RedirectResponse(href(lang, f"/city/{named.id}"), status_code=307)
    view = city_view(store, city, strategy, lang=lang, coverage=coverage, timeline=timeline, thresholds=thresholds)
    return page(request, "city.html", lang, who, city=city, view=view, depth=depth, max_gaps=MAX_GAP_COUNTRIES,
                home_country=city.country, shown_reasons=SHOWN_REASONS)


@router.post("/city/{city_id}/partnership")
def update_partnership(
    request: Request,
    city_id: str,
    lang: PageLang,
    who: Editor,
    store: StoreDep,
    edge_id: Annotated[str, Form(max_length=500)],
    status: Annotated[str, Form(max_length=20)] = "",
    since: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Set the status and date of one of the city's partnerships (editor role). Bad input (a future date
    on a signed tie, say) changes nothing: the partnership's page shows the problems, with what was typed
    in its lifecycle form."""
    current = partnerships.tie_of_edge(store, city_id, edge_id)
    typed = {"status": status, "since": since}
    try:
        partnerships.set_status(store, current, typed, actor=who.actor)
    except InvalidFields as refused:
        view = partnership_view(store, city_id, current.partner.id, TimelineFilter())
        values = lifecycle_values(current.edge) | shown_values(typed) | {"next": f"/city/{city_id}#partners"}
        return form_page(request, "partnership.html", lang, who, values=values, problems=refused.problems,
                         status_code=422, view=view, options=choices(store, lang, current.city.country))
    return RedirectResponse(href(lang, f"/city/{city_id}") + "#partners", status_code=303)
