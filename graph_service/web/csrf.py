"""Forged-form protection for every UI POST: a form token plus the ``Origin`` / ``Sec-Fetch-Site`` check.

``csrf_guard`` is a dependency of the whole web router (``graph_service.web.router``), so every page
route that takes a POST (or any unsafe method) is checked before it runs, whatever it does; a new
form needs nothing but the hidden field, written by the ``csrf_field()`` macro of
``templates/_forms.html``::

    {% import "_forms.html" as forms with context %}
    <form method="post" action="...">{{ forms.csrf_field() }} ...</form>

The token is the session's own (``SessionRecord.csrf``) for a signed-in visitor, and the value of
the ``pg_form`` cookie for anyone else (the sign-in form, ``/key``, is protected too). A request is
refused with ``CsrfRefused`` (a 403 page; nothing changes) when:

- ``Sec-Fetch-Site`` is present and is not ``same-origin`` (another port of the same host is
  ``same-site``, and is refused);
- ``Origin`` is present and is not this server's own origin (``null`` included);
- the form's ``csrf_token`` is missing or differs from the visitor's token.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response

from graph_service.errors import CsrfRefused
from graph_service.web.session import FORM_COOKIE, cookie, current_session, set_cookie

FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKEN_CHARS = 200


def form_token(request: Request) -> str:
    """The token this visitor's forms carry; a new ``pg_form`` cookie value when there is none yet
    (``remember_form_token`` sets it on the page's response)."""
    session = current_session(request)
    if session is not None:
        return session.csrf
    token = cookie(request, FORM_COOKIE)
    if not token or len(token) > MAX_TOKEN_CHARS:
        token = getattr(request.state, "new_form_token", None) or secrets.token_urlsafe(32)
        request.state.new_form_token = token
    return token


def remember_form_token(request: Request, response: Response) -> None:
    """Set the ``pg_form`` cookie if ``form_token`` had to make a new token for this page."""
    token = getattr(request.state, "new_form_token", None)
    if token:
        set_cookie(response, request.app.state.settings, FORM_COOKIE, token)


def check_origin(request: Request) -> None:
    """Refuse a request a browser says came from another site or origin (ports count)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site != "same-origin":
        raise CsrfRefused(f"form refused: it was sent from another site ({site[:20]})")
    origin = request.headers.get("origin")
    if origin is not None:
        host = request.headers.get("host", "").lower()
        if origin == "null" or urlsplit(origin).netloc.lower() != host:
            raise CsrfRefused("form refused: it was sent from another origin")


def expected_token(request: Request) -> str | None:
    session = current_session(request)
    if session is not None:
        return session.csrf
    token = cookie(request, FORM_COOKIE)
    return token if token and len(token) <= MAX_TOKEN_CHARS else None


def _same(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


async def csrf_guard(request: Request) -> None:
    """Check the origin and the form token of every unsafe request to a page route."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    form = await request.form()
    sent = form.get(FIELD)
    expected = expected_token(request)
    if not isinstance(sent, str) or not expected or not _same(sent, expected):
        raise CsrfRefused("form refused: its form token is missing or out of date")
