"""Errors on page requests become pages in the page's language, with the status the API would give.

``render_error_page`` is installed by the app (``graph_service.api.errors.install_error_handlers``)
for every request outside ``/api``: a missing key shows the key form's link, a missing page says
"not found", bad input says that nothing was changed.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from graph_service import i18n
from graph_service.i18n import pick_lang
from graph_service.web.deps import visitor
from graph_service.web.render import message

TITLES = {401: "sign_in", 403: "edit", 404: "not_found", 409: "ambiguous", 500: "server_error"}
"""The label that titles an error page, by status. Other statuses say that nothing was changed (a
form) or that the request is not valid (a link)."""
MESSAGES = {"unauthorized": "needs_key", "forbidden": "needs_editor", "csrf_refused": "form_refused"}
"""Error codes whose page says a fixed, translated sentence instead of the error's own message."""


def render_error_page(request: Request, status: int, code: str, texts: dict[str, str]) -> Response:
    """The message page for an error on a page request, in the page's language."""
    lang = pick_lang(request.query_params.get("lang"))
    text = texts[lang]
    who = visitor(request, request.app.state.keyring)
    title_key = "bad_input" if code == "csrf_refused" else TITLES.get(status)
    title = i18n.t(title_key or ("bad_input" if request.method == "POST" else "invalid_request"), lang)
    body = i18n.t(MESSAGES[code], lang) if code in MESSAGES else text
    return message(request, lang, who, status, title, body, show_key_link=status in (401, 403))
