"""Sign-in sessions: opened only for an active key, found by the cookie's id, ended, expired, purged."""

from __future__ import annotations

import pytest

from graph_service.errors import Unauthorized
from graph_service.services import sessions
from graph_service.services.keys import KeyRing, create_key, revoke_key
from graph_service.store.sqlite import SQLiteStore


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "sessions.db")
    yield store
    store.close()


def test_a_session_is_opened_for_an_active_key_only(store):
    key, record = create_key(store, "viewer")
    ring = KeyRing(store, ttl=0)
    session_id, session = sessions.start_session(store, ring, f"  {key} ")
    assert sessions.find_session(store, session_id) == session and session.key_id == record.id
    assert session.id_hash == sessions.hash_session_id(session_id) != session_id
    for bad in ("pg_unknown", "", record.hash):
        with pytest.raises(Unauthorized):
            sessions.start_session(store, ring, bad)
    revoke_key(store, record.id)
    with pytest.raises(Unauthorized):
        sessions.start_session(store, ring, key)


def test_unknown_oversized_ended_and_expired_sessions_are_not_found(store):
    key, _ = create_key(store, "editor")
    ring = KeyRing(store, ttl=0)
    live, _ = sessions.start_session(store, ring, key)
    expired, _ = sessions.start_session(store, ring, key, hours=0)
    assert sessions.find_session(store, expired) is None
    for bad in (None, "", "x" * 5000, "nope"):
        assert sessions.find_session(store, bad) is None
    sessions.end_session(store, live)
    assert sessions.find_session(store, live) is None
    sessions.start_session(store, ring, key)
    assert store.get_session(sessions.hash_session_id(expired)) is None, "expired sessions are purged on sign-in"
