"""The UI's cookies: the sign-in session and the form token of visitors without one.

Both cookies are HttpOnly and SameSite=Strict. With the setting ``secure_cookies`` (the UI is served
over HTTPS) they also get ``Secure`` and the ``__Host-`` prefix, which binds them to this host and
path ``/``. The session cookie holds a random session id, never the API key
(``graph_service.services.sessions``).

>>> from graph_service.config import Settings
>>> cookie_name(SESSION_COOKIE, Settings(secure_cookies=True))
'__Host-pg_session'
"""

from __future__ import annotations

from fastapi import Request, Response

from graph_service.config import Settings
from graph_service.services import sessions
from graph_service.store.base import SessionRecord, SessionStore

SESSION_COOKIE = "pg_session"
FORM_COOKIE = "pg_form"
"""The form token of a visitor who is not signed in (the sign-in form itself needs one)."""
_NO_SESSION = object()


def cookie_name(base: str, settings: Settings) -> str:
    return f"__Host-{base}" if settings.secure_cookies else base


def set_cookie(response: Response, settings: Settings, base: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(cookie_name(base, settings), value, max_age=max_age, path="/", httponly=True,
                        samesite="strict", secure=settings.secure_cookies)


def delete_cookie(response: Response, settings: Settings, base: str) -> None:
    response.delete_cookie(cookie_name(base, settings), path="/", httponly=True, samesite="strict",
                           secure=settings.secure_cookies)


def cookie(request: Request, base: str) -> str | None:
    return request.cookies.get(cookie_name(base, request.app.state.settings))


def current_session(request: Request) -> SessionRecord | None:
    """The live session of the request's session cookie (looked up once per request), or None."""
    found = getattr(request.state, "session", _NO_SESSION)
    if found is _NO_SESSION:
        store: SessionStore = request.app.state.store
        found = sessions.find_session(store, cookie(request, SESSION_COOKIE))
        request.state.session = found
    return found if isinstance(found, SessionRecord) else None
