"""``/import``: the planners' spreadsheet import in four steps (editor role).

1. ``GET /import``: choose an ``.xlsx`` or ``.csv`` file; ``POST /import`` reads it (nothing is written).
2. ``GET /import/{draft}``: map each column to a field (the mapping remembered for this header, or a
   guess from the column names), the home country and province, and the tier when a row says none.
3. ``POST /import/{draft}/preview``: what each row will do (create, enrich, already present, needs a
   decision, rejected and why); conflicting values get a choice, keeping the stored one by default.
4. ``POST /import/{draft}/commit``: write it all in one transaction, then show what was done.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph_service import i18n
from graph_service.errors import InvalidFields, InvalidFile, NotFound
from graph_service.i18n import Lang
from graph_service.services import spreadsheet
from graph_service.services.inputs import problem
from graph_service.services.keys import Principal
from graph_service.store.base import GraphStore, MappingStore
from graph_service.web.deps import Editor, PageLang, StoreDep
from graph_service.web.drafts import Draft, drafts_of
from graph_service.web.forms import form_fields, form_page, upload_and_fields
from graph_service.web.render import href, message, page

router = APIRouter()

SAMPLES = 3
DECIDE = "decide_"


def _draft(request: Request, lang: Lang, who: Principal, draft_id: str) -> Draft | Response:
    try:
        return drafts_of(request).get(draft_id, who.actor)
    except NotFound:
        return message(request, lang, who, 404, i18n.t("not_found", lang), i18n.t("draft_gone", lang))


def _targets(lang: Lang) -> list[tuple[str, str]]:
    return [(target.value, i18n.t(f"t_{target.value}", lang)) for target in spreadsheet.Target]


def _samples(draft: Draft) -> list[list[str]]:
    columns = list(zip(*draft.table.rows, strict=True)) if draft.table.rows else []
    return [[v for v in column if v][:SAMPLES] for column in columns]


def _mapping_page(request: Request, lang: Lang, who: Principal, store: GraphStore, draft: Draft,
                  values: dict[str, str] | None = None, problems=(), status_code: int = 200) -> HTMLResponse:
    header = draft.table.header
    suggested, remembered = (spreadsheet.suggested_mapping(store, header) if isinstance(store, MappingStore)
                             else (spreadsheet.guess_mapping(header), False))
    if values is None:
        country = "CN"
        province = spreadsheet.suggested_province(store, draft.table, suggested, country) or ""
        values = {f"map_{i}": suggested[c].value for i, c in enumerate(header)}
        values |= {"home_country": country, "home_province": province, "default_tier": "sister"}
    return form_page(request, "import_mapping.html", lang, who, values=values, problems=problems,
                     status_code=status_code, draft=draft, samples=_samples(draft), targets=_targets(lang),
                     remembered=remembered, tiers=[(t, i18n.t(f"tier_{t}", lang)) for t in ("sister", "friendly")])


@router.get("/import", response_class=HTMLResponse)
def upload_page(request: Request, lang: PageLang, who: Editor) -> HTMLResponse:
    return form_page(request, "import_upload.html", lang, who, values={})


@router.post("/import")
async def upload(request: Request, lang: PageLang, who: Editor) -> Response:
    upload_file, raw, _ = await upload_and_fields(request)
    filename = (upload_file.filename if upload_file else "") or "upload"
    try:
        if upload_file is None or not raw:
            raise InvalidFields([problem("file", "required")])
        table = spreadsheet.read_upload(raw, filename)
    except InvalidFile as bad:
        return form_page(request, "import_upload.html", lang, who, values={}, status_code=422,
                         file_problem=bad.message(lang))
    except InvalidFields as missing:
        return form_page(request, "import_upload.html", lang, who, values={}, problems=missing.problems,
                         status_code=422)
    draft = drafts_of(request).add(who.actor, filename, table)
    return RedirectResponse(href(lang, f"/import/{draft.id}"), status_code=303)


@router.get("/import/{draft_id}", response_class=HTMLResponse)
def mapping_page(request: Request, draft_id: str, lang: PageLang, who: Editor, store: StoreDep) -> Response:
    draft = _draft(request, lang, who, draft_id)
    if not isinstance(draft, Draft):
        return draft
    return _mapping_page(request, lang, who, store, draft)


async def _mapped(request: Request, lang: Lang, who: Principal, store: GraphStore, draft_id: str) -> tuple[
        Draft, dict[str, str], dict[str, spreadsheet.Target], spreadsheet.Options] | Response:
    """The posted mapping step of a draft, checked; else the page to answer with (the draft is gone,
    or the mapping form again with its problems)."""
    fields = await form_fields(request)
    draft = _draft(request, lang, who, draft_id)
    if not isinstance(draft, Draft):
        return draft
    try:
        mapping, options = spreadsheet.check_mapping(draft.table.header, fields, fields)
    except InvalidFields as refused:
        return _mapping_page(request, lang, who, store, draft, fields, refused.problems, 422)
    return draft, fields, mapping, options


@router.post("/import/{draft_id}/preview")
async def preview(request: Request, draft_id: str, lang: PageLang, who: Editor, store: StoreDep) -> Response:
    found = await _mapped(request, lang, who, store, draft_id)
    if isinstance(found, Response):
        return found
    draft, fields, mapping, options = found
    if isinstance(store, MappingStore):
        spreadsheet.remember_mapping(store, draft.table.header, mapping)
    plan = spreadsheet.plan_import(store, draft.table, mapping, options)
    return page(request, "import_preview.html", lang, who, draft=draft, plan=plan, fields=fields, done=False)


@router.post("/import/{draft_id}/commit")
async def commit(request: Request, draft_id: str, lang: PageLang, who: Editor, store: StoreDep) -> Response:
    found = await _mapped(request, lang, who, store, draft_id)
    if isinstance(found, Response):
        return found
    draft, fields, mapping, options = found
    decisions = {key.removeprefix(DECIDE): value for key, value in fields.items() if key.startswith(DECIDE)}
    plan = spreadsheet.commit_import(store, draft.table, mapping, options, decisions, actor=who.actor)
    drafts_of(request).discard(draft.id)
    return page(request, "import_preview.html", lang, who, draft=draft, plan=plan, fields={}, done=True)
