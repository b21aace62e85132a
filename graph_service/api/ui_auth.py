"""Who is looking at a UI page: the API key sent in ``X-API-Key`` or kept in a cookie.

Browsers cannot set headers on links, so ``/key`` stores a key in an HttpOnly, SameSite=Strict
cookie; it is checked against the stored hashes on every request, exactly like the header. Reads
are public unless the settings turn ``public_reads`` off; edit controls need the editor role.
"""

from __future__ import annotations

from fastapi import Request

from graph_service.api.auth import Role
from graph_service.store.base import ApiKeyRecord

COOKIE = "pg_key"
MAX_KEY_CHARS = 200


def lookup(request: Request, key: str | None) -> ApiKeyRecord | None:
    if not key or len(key) > MAX_KEY_CHARS:
        return None
    return request.app.state.keyring.lookup(key)


def caller(request: Request) -> ApiKeyRecord | None:
    """The active key record of the caller (header first, then cookie), or None."""
    return lookup(request, request.headers.get("x-api-key") or request.cookies.get(COOKIE))


def can_read(request: Request, record: ApiKeyRecord | None) -> bool:
    return request.app.state.settings.public_reads or record is not None


def can_edit(record: ApiKeyRecord | None) -> bool:
    return record is not None and Role(record.role).allows(Role.EDITOR)
