"""Web UI sign-in sessions: a random id in the visitor's cookie, its hash and form token in the store.

The cookie never holds the API key. Signing in checks the key once and stores a session record
(``SessionRecord``) under the SHA-256 of a fresh random id; every later request finds the record by
hashing the cookie, and the key ring confirms the key behind it is still active, so revoking a key
ends its sessions at once. Records live in the store, not in one process's memory, so every uvicorn
worker sees every session.

>>> from graph_service.store.sqlite import SQLiteStore
>>> from graph_service.services.keys import KeyRing, create_key
>>> store = SQLiteStore(":memory:")
>>> key, record = create_key(store, "editor")
>>> session_id, session = start_session(store, KeyRing(store), key)
>>> find_session(store, session_id).key_id == record.id and key not in session_id
True
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from graph_service.errors import Unauthorized
from graph_service.services.keys import KeyRing
from graph_service.store.base import SessionRecord, SessionStore

SESSION_HOURS = 8
MAX_SESSION_ID_CHARS = 100


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def start_session(store: SessionStore, keyring: KeyRing, key: str, *, hours: int = SESSION_HOURS
                  ) -> tuple[str, SessionRecord]:
    """Check ``key`` and open a session for it; return the session id (for the cookie) and its record.

    Raises ``Unauthorized`` for an unknown or revoked key. Expired sessions are purged on the way.
    """
    record = keyring.lookup(key.strip())
    if record is None:
        raise Unauthorized("the API key is unknown or revoked")
    now = datetime.now(UTC)
    store.purge_sessions(_iso(now))
    session_id = secrets.token_urlsafe(32)
    session = SessionRecord(id_hash=hash_session_id(session_id), key_id=record.id, csrf=secrets.token_urlsafe(32),
                            created=_iso(now), expires=_iso(now + timedelta(hours=hours)))
    store.save_session(session)
    return session_id, session


def find_session(store: SessionStore, session_id: str | None) -> SessionRecord | None:
    """The live session a cookie names, or None (no cookie, unknown id, or expired)."""
    if not session_id or len(session_id) > MAX_SESSION_ID_CHARS:
        return None
    session = store.get_session(hash_session_id(session_id))
    if session is None or session.expires <= _iso(datetime.now(UTC)):
        return None
    return session


def end_session(store: SessionStore, session_id: str | None) -> None:
    """Forget a session (signing out); nothing happens for an unknown one."""
    if session_id and len(session_id) <= MAX_SESSION_ID_CHARS:
        store.delete_session(hash_session_id(session_id))
