"""Annotated dependencies of the page routers: the page's language, the store, and who is looking.

The visitor is found the way the API finds a caller (``services.keys``, the same key ring), from
the ``X-API-Key`` header, or else from the sign-in session that ``/key`` opened (its cookie holds a
random session id, never the key; see ``web.session``). An unknown or revoked key, or an expired
session, counts as no key, so a stale cookie never locks anyone out of public pages. ``Viewer`` refuses anonymous
visitors when reads are not public (a 401 page); ``Editor`` refuses anyone without the editor role
(a 403 page), rendered by ``graph_service.web.errors``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from graph_service.api.deps import KeyRingDep, SettingsDep, StoreDep
from graph_service.errors import Forbidden, Unauthorized
from graph_service.i18n import Lang, pick_lang
from graph_service.services.keys import Principal, Role
from graph_service.web.session import current_session

__all__ = ["Editor", "PageLang", "StoreDep", "Viewer", "Visitor"]


def page_lang(lang: Annotated[str | None, Query(max_length=10, description="en or zh")] = None) -> Lang:
    return pick_lang(lang)


def visitor(request: Request, keyring: KeyRingDep) -> Principal:
    """The visitor's active key (the header first, then the session's key), or an anonymous visitor.

    Found once per request (an error page asks again), so a wrong key counts as one failed attempt."""
    known = getattr(request.state, "visitor", None)
    if isinstance(known, Principal):
        return known
    header = request.headers.get("x-api-key")
    if header:
        record = keyring.lookup(header)
    else:
        session = current_session(request)
        record = keyring.by_id(session.key_id) if session else None
    request.state.visitor = who = Principal(record.id, Role(record.role)) if record else Principal(None, None)
    return who


PageLang = Annotated[Lang, Depends(page_lang)]
Visitor = Annotated[Principal, Depends(visitor)]


def viewer(who: Visitor, settings: SettingsDep) -> Principal:
    if who.role is None and not settings.public_reads:
        raise Unauthorized("this server needs an API key for reading", zh="此服务器要求使用 接口密钥浏览。")
    return who


def editor(who: Visitor) -> Principal:
    if not who.can_edit:
        raise Forbidden("editing needs an editor key", zh="编辑需要编辑者密钥。")
    return who


Viewer = Annotated[Principal, Depends(viewer)]
Editor = Annotated[Principal, Depends(editor)]
