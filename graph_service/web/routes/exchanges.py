"""Recording, editing and deleting a city's exchanges (交流): field, date, title, direction,
participants, head of delegation, outcome and notes. The exchange's id travels in the ``edge`` query
parameter (it holds ``|``). Writes need the editor role; deleting asks first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.errors import InvalidFields
from graph_service.services import exchanges, partnerships
from graph_service.store.base import GraphStore
from graph_service.web.deps import Editor, PageLang, StoreDep
from graph_service.web.forms import form_fields, form_page, go_back, safe_next, shown_values
from graph_service.web.render import page
from graph_service.web.views import choices

router = APIRouter()

EdgeParam = Annotated[str, Query(min_length=5, max_length=500, description="the exchange's edge id")]
NextParam = Annotated[str | None, Query(max_length=500)]


def _form(request: Request, lang, who, store: GraphStore, city_id: str, values: dict[str, str], *,
          edge_id: str | None = None, problems=(), status_code: int = 200) -> HTMLResponse:
    city = partnerships.city_node(store, city_id)
    ours = [(city.id, f"{city.name_zh or city.name}")] + [(n.id, n.name_zh or n.name)
                                                          for n in exchanges.institutions_of(store, city.id)]
    return form_page(request, "exchange_form.html", lang, who, values=values, problems=problems,
                     status_code=status_code, city=city, options=choices(store, lang, city.country), ours=ours,
                     edge_id=edge_id)


@router.get("/city/{city_id}/exchanges/new", response_class=HTMLResponse)
def new_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                 counterpart: Annotated[str | None, Query(max_length=200)] = None, next: NextParam = None) -> Response:
    values = {"direction": "outbound", "state": "held", "next": safe_next(next, f"/city/{city_id}#timeline")}
    other = store.get_node(counterpart) if counterpart else None
    if other is not None:
        values |= {"counterpart": other.name_zh if lang == "zh" and other.name_zh else other.name,
                   "counterpart_id": other.id}
    return _form(request, lang, who, store, city_id, values)


@router.post("/city/{city_id}/exchanges")
async def create_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep) -> Response:
    fields = await form_fields(request)
    try:
        exchanges.record_exchange(store, city_id, fields, actor=who.actor)
    except InvalidFields as refused:
        return _form(request, lang, who, store, city_id, shown_values(fields), problems=refused.problems,
                     status_code=422)
    return go_back(lang, fields, f"/city/{city_id}#timeline")


@router.get("/city/{city_id}/exchanges/edit", response_class=HTMLResponse)
def edit_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep, edge: EdgeParam,
                  next: NextParam = None) -> Response:
    found = exchanges.exchange(store, city_id, edge)
    values = exchanges.form_values(found.edge, found.counterpart) | {
        "next": safe_next(next, f"/city/{city_id}#timeline")}
    return _form(request, lang, who, store, city_id, values, edge_id=found.edge.id)


@router.post("/city/{city_id}/exchanges/edit")
async def update_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                          edge: EdgeParam) -> Response:
    fields = await form_fields(request)
    try:
        exchanges.update_exchange(store, city_id, edge, fields, actor=who.actor)
    except InvalidFields as refused:
        return _form(request, lang, who, store, city_id, shown_values(fields), edge_id=edge,
                     problems=refused.problems, status_code=422)
    return go_back(lang, fields, f"/city/{city_id}#timeline")


@router.get("/city/{city_id}/exchanges/delete", response_class=HTMLResponse)
def confirm_delete_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                            edge: EdgeParam, next: NextParam = None) -> Response:
    found = exchanges.exchange(store, city_id, edge)
    return page(request, "confirm.html", lang, who, action=f"/city/{city_id}/exchanges/delete", edge_id=found.edge.id,
                cancel=safe_next(next, f"/city/{city_id}"), subject=found, subject_kind="exchange",
                next=safe_next(next, f"/city/{city_id}#timeline"))


@router.post("/city/{city_id}/exchanges/delete")
async def delete_exchange(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                          edge: EdgeParam) -> Response:
    fields = await form_fields(request)
    exchanges.delete_exchange(store, city_id, edge, actor=who.actor)
    return go_back(lang, fields, f"/city/{city_id}#timeline")
