"""Recording a city's schools (with the school abroad they pair with), enterprises, consulates,
organisations and honorary citizens, and deleting them (after a confirmation). Editor role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph_service.errors import InvalidFields
from graph_service.services import institutions, partnerships
from graph_service.web.deps import Editor, PageLang, StoreDep
from graph_service.web.forms import form_fields, form_page, go_back, shown_values
from graph_service.web.render import page
from graph_service.web.views import choices

router = APIRouter()

KindParam = Annotated[str, Query(pattern="^(School|HonoraryCitizen|Enterprise|Consulate|Organization)$")]


@router.get("/city/{city_id}/institutions/new", response_class=HTMLResponse)
def new_institution(request: Request, city_id: str, lang: PageLang, who: Editor, store: StoreDep,
                    kind: KindParam = "School") -> HTMLResponse:
    city = partnerships.city_node(store, city_id)
    values = {"kind": kind, "link": "operates_in", "next": f"/city/{city.id}#institutions"}
    return form_page(request, "institution_form.html", lang, who, values=values, city=city,
                     options=choices(store, lang, city.country))


@router.post("/city/{city_id}/institutions")
async def create_institution(request: Request, city_id: str, lang: PageLang, who: Editor,
                             store: StoreDep) -> Response:
    fields = await form_fields(request)
    city = partnerships.city_node(store, city_id)
    try:
        institutions.record_institution(store, city.id, fields, actor=who.actor)
    except InvalidFields as refused:
        return form_page(request, "institution_form.html", lang, who, values=shown_values(fields),
                         problems=refused.problems, status_code=422, city=city,
                         options=choices(store, lang, city.country))
    return go_back(lang, fields, f"/city/{city.id}#institutions")


@router.get("/city/{city_id}/institutions/{node_id}/delete", response_class=HTMLResponse)
def confirm_delete_institution(request: Request, city_id: str, node_id: str, lang: PageLang, who: Editor,
                               store: StoreDep) -> HTMLResponse:
    node = institutions.institution(store, city_id, node_id)
    return page(request, "confirm.html", lang, who, action=f"/city/{city_id}/institutions/{node.id}/delete",
                cancel=f"/city/{city_id}", subject=node, subject_kind="institution",
                next=f"/city/{city_id}#institutions")


@router.post("/city/{city_id}/institutions/{node_id}/delete")
async def delete_institution(request: Request, city_id: str, node_id: str, lang: PageLang, who: Editor,
                             store: StoreDep) -> Response:
    fields = await form_fields(request)
    institutions.delete_institution(store, city_id, node_id, actor=who.actor)
    return go_back(lang, fields, f"/city/{city_id}#institutions")
