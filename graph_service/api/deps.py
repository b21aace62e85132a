"""Annotated dependencies shared by the API routers: the store ports, the settings, and who is calling.

The caller comes from the ``X-API-Key`` header through ``services.keys.authenticate``, the same rule
the web UI applies to its header or cookie.

>>> from typing import get_args
>>> get_args(Editor)[0].__name__
'Principal'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.security import APIKeyHeader

from graph_service.config import Settings
from graph_service.i18n import Lang, lang_from_header, pick_lang
from graph_service.services.keys import KeyRing, Principal, Role, authenticate
from graph_service.store.base import AuditLog, GraphStore, KeyStore

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="an API key from `partner-graph keys create`"
)


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_audit_log(request: Request) -> AuditLog:
    audit: AuditLog = request.app.state.store
    return audit


def get_key_store(request: Request) -> KeyStore:
    keys: KeyStore = request.app.state.store
    return keys


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_keyring(request: Request) -> KeyRing:
    keyring: KeyRing = request.app.state.keyring
    return keyring


def api_lang(
    request: Request,
    lang: Annotated[str | None, Query(max_length=10, description="en or zh (else the Accept-Language header)")] = None,
) -> Lang:
    """The language of every text a response carries (reasons, notes, names, error messages):
    ``?lang=zh``, else ``Accept-Language: zh``, else English. Declared on every ``/api/v1`` route."""
    return pick_lang(lang) if lang else lang_from_header(request.headers.get("accept-language"))


StoreDep = Annotated[GraphStore, Depends(get_store)]
ApiLang = Annotated[Lang, Depends(api_lang)]
AuditDep = Annotated[AuditLog, Depends(get_audit_log)]
KeyStoreDep = Annotated[KeyStore, Depends(get_key_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
KeyRingDep = Annotated[KeyRing, Depends(get_keyring)]


def requires(needed: Role) -> Callable[..., Principal]:
    """A dependency that admits callers whose key has role ``needed`` or higher (401 / 403 otherwise)."""

    def check(
        settings: SettingsDep, keyring: KeyRingDep, key: Annotated[str | None, Security(api_key_header)] = None
    ) -> Principal:
        return authenticate(keyring, key, needed, public_reads=settings.public_reads)

    check.__name__ = f"requires_{needed.value}"
    return check


Reader = Annotated[Principal, Depends(requires(Role.VIEWER))]
Editor = Annotated[Principal, Depends(requires(Role.EDITOR))]
Admin = Annotated[Principal, Depends(requires(Role.ADMIN))]
