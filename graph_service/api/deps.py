"""Annotated dependencies shared by the routers: the store, the settings, and who is calling.

>>> from typing import get_args
>>> get_args(Editor)[0].__name__
'Principal'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from graph_service.api.auth import KeyRing, Role
from graph_service.api.errors import ApiError
from graph_service.config import Settings
from graph_service.store.base import GraphStore

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="an API key from `partner-graph keys create`"
)


@dataclass(frozen=True)
class Principal:
    """The caller: a key's public id and role, or an anonymous reader when reads are public."""

    key_id: str | None
    role: Role | None

    @property
    def actor(self) -> str:
        """What audit entries record as the actor: the key id, never the key."""
        return f"key:{self.key_id}" if self.key_id else "anonymous"


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_keyring(request: Request) -> KeyRing:
    return request.app.state.keyring


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def requires(needed: Role):
    """A dependency that admits callers whose key has role ``needed`` or higher (401 / 403 otherwise)."""

    def check(
        request: Request,
        key: Annotated[str | None, Security(api_key_header)] = None,
    ) -> Principal:
        settings = get_settings(request)
        if not key:
            if needed is Role.VIEWER and settings.public_reads:
                return Principal(None, None)
            raise ApiError(401, "this request needs an API key in the X-API-Key header", code="unauthorized")
        record = get_keyring(request).lookup(key)
        if record is None:
            raise ApiError(401, "the API key is unknown or revoked", code="unauthorized")
        role = Role(record.role)
        if not role.allows(needed):
            raise ApiError(403, f"this request needs the {needed.value} role; the key has {role.value}", code="forbidden")
        return Principal(record.id, role)

    check.__name__ = f"requires_{needed.value}"
    return check


Reader = Annotated[Principal, Depends(requires(Role.VIEWER))]
Editor = Annotated[Principal, Depends(requires(Role.EDITOR))]
Admin = Annotated[Principal, Depends(requires(Role.ADMIN))]
