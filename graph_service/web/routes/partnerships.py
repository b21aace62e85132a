"""A city's partnerships in the information base: record one (with a picked or a new partner city),
its page (lifecycle, indicators, timeline, exchanges), edit its lifecycle, upgrade it, delete it.

Writes need the editor role (``Editor``); every form goes back to the page it came from, and a refused
form is shown again with its problems (see ``graph_service.web.forms``). Deleting asks first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.errors import InvalidFields
from graph_service.model import Edge
from graph_service.services import partnerships
from graph_service.web.deps import Editor, PageLang, StoreDep, Viewer
from graph_service.web.forms import form_fields, form_page, go_back, shown_values
from graph_service.web.render import page
from graph_service.web.views import TimelineFilter, TimelineQuery, choices, partnership_view

router = APIRouter()

LIFECYCLE_FIELDS = ("status", *partnerships.STEP_FIELDS, "notes", "source")
UPGRADE = "upgrade_"
"""Prefix of the upgrade form's fields, which share the page with the lifecycle form's."""


def lifecycle_values(edge: Edge) -> dict[str, str]:
    """A partnership's lifecycle fields as the form's text values."""
    data = edge.model_dump(mode="json")
    return {name: "" if data.get(name) is None else str(data[name]) for name in LIFECYCLE_FIELDS}


@router.get("/city/{city_id}/partners/new", response_class=HTMLResponse)
def new_partnership(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                    tier: Annotated[str, Query(max_length=20)] = "friendly") -> HTMLResponse:
    city = partnerships.city_node(store, city_id)
    values = {"partner_mode": "existing", "tier": tier, "next": f"/city/{city.id}#partners"}
    return form_page(request, "partnership_form.html", lang, who, values=values, city=city,
                     options=choices(store, lang, city.country))


@router.post("/city/{city_id}/partners")
async def create_partnership(request: Request, city_id: str, lang: PageLang, who: Editor,
                             store: StoreDep) -> Response:
    fields = await form_fields(request)
    city = partnerships.city_node(store, city_id)
    try:
        partnerships.record_partnership(store, city.id, fields, actor=who.actor)
    except InvalidFields as refused:
        return form_page(request, "partnership_form.html", lang, who, values=shown_values(fields),
                         problems=refused.problems, status_code=422, city=city,
                         options=choices(store, lang, city.country))
    return go_back(lang, fields, f"/city/{city.id}#partners")


@router.get("/city/{city_id}/partners/{partner_id}", response_class=HTMLResponse)
def partnership_page(request: Request, city_id: str, partner_id: str, lang: PageLang, who: Viewer,
                     store: StoreDep, timeline: TimelineQuery) -> HTMLResponse:
    view = partnership_view(store, city_id, partner_id, timeline)
    values = lifecycle_values(view.tie.edge) | {"next": request.url.path}
    return form_page(request, "partnership.html", lang, who, values=values, view=view,
                     options=choices(store, lang, view.tie.city.country))


@router.post("/city/{city_id}/partners/{partner_id}")
async def update_partnership(request: Request, city_id: str, partner_id: str, lang: PageLang, who: Editor,
                             store: StoreDep) -> Response:
    fields = await form_fields(request)
    try:
        partnerships.update_partnership(store, city_id, partner_id, fields, actor=who.actor)
    except InvalidFields as refused:
        view = partnership_view(store, city_id, partner_id, TimelineFilter())
        return form_page(request, "partnership.html", lang, who, values=shown_values(fields),
                         problems=refused.problems, status_code=422, view=view,
                     options=choices(store, lang, view.tie.city.country))
    return go_back(lang, fields, f"/city/{city_id}/partners/{partner_id}")


@router.post("/city/{city_id}/partners/{partner_id}/upgrade")
async def upgrade_partnership(request: Request, city_id: str, partner_id: str, lang: PageLang, who: Editor,
                              store: StoreDep) -> Response:
    fields = await form_fields(request)
    data = {key.removeprefix(UPGRADE): value for key, value in fields.items() if key.startswith(UPGRADE)}
    try:
        partnerships.upgrade_partnership(store, city_id, partner_id, data, actor=who.actor)
    except InvalidFields as refused:
        view = partnership_view(store, city_id, partner_id, TimelineFilter())
        values = lifecycle_values(view.tie.edge) | shown_values(fields)
        problems = [replace(p, field=UPGRADE + p.field) for p in refused.problems]
        return form_page(request, "partnership.html", lang, who, values=values, problems=problems,
                         status_code=422, view=view,
                     options=choices(store, lang, view.tie.city.country))
    return go_back(lang, fields, f"/city/{city_id}/partners/{partner_id}")


@router.get("/city/{city_id}/partners/{partner_id}/delete", response_class=HTMLResponse)
def confirm_delete_partnership(request: Request, city_id: str, partner_id: str, lang: PageLang, who: Editor,
                               store: StoreDep) -> HTMLResponse:
    tie = partnerships.tie(store, city_id, partner_id)
    return page(request, "confirm.html", lang, who, action=f"/city/{city_id}/partners/{partner_id}/delete",
                cancel=f"/city/{city_id}/partners/{partner_id}", subject=tie, subject_kind="partnership",
                next=f"/city/{city_id}#partners")


@router.post("/city/{city_id}/partners/{partner_id}/delete")
async def delete_partnership(request: Request, city_id: str, partner_id: str, lang: PageLang, who: Editor,
                             store: StoreDep) -> Response:
    fields = await form_fields(request)
    partnerships.delete_partnership(store, city_id, partner_id, actor=who.actor)
    return go_back(lang, fields, f"/city/{city_id}#partners")

