"""The forms of the planner UI: reading a posted form, showing it again with its problems in the page's
language and what was typed, and going back to the page it came from.

Every form posts a hidden ``next`` (the page it was opened from); after a successful write the
browser goes there (``go_back``). Only a local path is followed, never another site. A refused form
is rendered again with status 422, each problem under its field (``problem_text``), the typed values
kept, and nothing written.

>>> safe_next("/city/geonames:1799869#partners", "/")
'/city/geonames:1799869#partners'
>>> safe_next("https://evil.example/", "/"), safe_next("//evil.example", "/"), safe_next("/\\\\evil", "/")
('/', '/', '/')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from graph_service.errors import FieldProblem
from graph_service.i18n import Lang, problem_text
from graph_service.services.keys import Principal
from graph_service.web.render import page

MAX_FIELDS = 80
MAX_SHOWN = 5_000
"""Longest value a refused form shows again (every field's own limit is far below)."""


async def form_fields(request: Request) -> dict[str, str]:
    """The posted text fields (files are left out), each at most ``MAX_SHOWN`` characters kept."""
    form = await request.form(max_files=0, max_fields=MAX_FIELDS)
    try:
        return {key: value for key, value in form.multi_items() if isinstance(value, str) and key != "csrf_token"}
    finally:
        await form.close()


async def upload_and_fields(request: Request) -> tuple[UploadFile | None, bytes, dict[str, str]]:
    """An uploaded file (with its bytes) and the other fields of a multipart form."""
    form = await request.form(max_files=1, max_fields=MAX_FIELDS)
    try:
        upload = next((v for _, v in form.multi_items() if isinstance(v, UploadFile)), None)
        raw = await upload.read() if upload is not None else b""
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        return upload, raw, fields
    finally:
        await form.close()


def safe_next(value: str | None, default: str) -> str:
    """``value`` when it is a path on this site, else ``default``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value):
        return default
    return value


def go_back(lang: Lang, fields: dict[str, str], default: str) -> RedirectResponse:
    """After a write: back to the form's ``next`` (or ``default``), in the page's language."""
    target = safe_next(fields.get("next"), default)
    path, _, fragment = target.partition("#")
    base, _, query = path.partition("?")
    params = [p for p in query.split("&") if p and not p.startswith("lang=")] + [f"lang={lang}"]
    return RedirectResponse(f"{base}?{'&'.join(params)}" + (f"#{fragment}" if fragment else ""), status_code=303)


def shown_values(fields: dict[str, str]) -> dict[str, str]:
    return {k: v[:MAX_SHOWN] for k, v in fields.items()}


def form_page(request: Request, template: str, lang: Lang, who: Principal, *, values: dict[str, Any],
              problems: Iterable[FieldProblem] = (), status_code: int = 200, **context: Any) -> HTMLResponse:
    """A form page: ``values`` fill the fields, each problem shows under its field in ``lang``."""
    errors: dict[str, str] = {}
    for problem in problems:
        errors.setdefault(problem.field, problem_text(problem, lang))
    return page(request, template, lang, who, status_code=status_code, values=values, errors=errors,
                **context)
