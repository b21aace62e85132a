"""API keys and who is calling: keys are created once, stored as SHA-256 hashes, checked in
constant time against a ring cached per store revision.

A key is ``pg_`` plus 32 random URL-safe bytes; its record keeps only the hash, a short public id
(the ``actor`` of audit entries), the role and a label. ``authenticate`` is the one rule for every
front end: the JSON API (``X-API-Key``) and the web UI (header or the ``/key`` cookie) both use it.

>>> key, record = new_key("editor", label="ci")
>>> record.hash == hash_key(key) and key not in record.model_dump_json()
True
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from graph_service.errors import Forbidden, KeyNotFound, Unauthorized
from graph_service.store.base import ApiKeyRecord, KeyStore

log = logging.getLogger("partner_graph.auth")

MAX_KEY_CHARS = 200


class Role(StrEnum):
    """Viewer reads; editor also writes; admin also imports, deletes everything and manages keys."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


ROLE_ZH = {"viewer": "浏览者", "editor": "编辑者", "admin": "管理员"}
"""The roles' names on Chinese pages and in Chinese error messages."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_key(role: Role | str, label: str = "") -> tuple[str, ApiKeyRecord]:
    """A fresh key and the record to store for it (hash only)."""
    key = "pg_" + secrets.token_urlsafe(32)
    record = ApiKeyRecord(
        id=secrets.token_hex(4),
        hash=hash_key(key),
        role=Role(role).value,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        label=label,
    )
    return key, record


def create_key(store: KeyStore, role: Role | str, label: str = "", *, actor: str = "local") -> tuple[str, ApiKeyRecord]:
    """Make a key, store its record, and return both; the key itself is never stored."""
    key, record = new_key(role, label)
    store.save_api_key(record, actor=actor)
    return key, record


def revoke_key(store: KeyStore, key_id: str, *, actor: str = "local") -> ApiKeyRecord:
    """Mark a key revoked (idempotent); raise ``KeyNotFound`` for an unknown id."""
    for record in store.api_keys():
        if record.id == key_id:
            if not record.revoked:
                record = record.model_copy(update={"revoked": True})
                store.save_api_key(record, actor=actor)
            return record
    raise KeyNotFound(f"no API key with id {key_id[:40]!r}", zh=f"没有编号为“{key_id[:40]}”的 接口密钥。")


class KeyRing:
    """The store's active key records, reloaded only when the store revision moved.

    The revision is read at most every ``ttl`` seconds, so a key revoked in another process stops
    working within ``ttl`` seconds, and a request never scans the key table on its own.

    ``failures`` counts the keys presented that matched no active record (unknown, revoked, mistyped:
    failed authentications) since the process started; each is logged as a warning, never the key.
    """

    def __init__(self, store: KeyStore, ttl: float = 1.0):
        self.store, self.ttl = store, ttl
        self.failures = 0
        self.started = datetime.now(UTC).isoformat(timespec="seconds")
        self._lock = threading.Lock()
        self._records: list[ApiKeyRecord] = []
        self._revision: int | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._revision = None

    def _active(self) -> list[ApiKeyRecord]:
        with self._lock:
            now = time.monotonic()
            if self._revision is None or now - self._checked >= self.ttl:
                revision = self.store.revision()
                if revision != self._revision:
                    self._records = [r for r in self.store.api_keys() if not r.revoked]
                    self._revision = revision
                self._checked = now
            return self._records

    def by_id(self, key_id: str) -> ApiKeyRecord | None:
        """The active record with this public id (a session's key), or None once it is revoked."""
        return next((record for record in self._active() if record.id == key_id), None)

    def lookup(self, key: str | None) -> ApiKeyRecord | None:
        """The active record whose hash matches ``key``. Compares against every record, in constant time."""
        if not key:
            return None
        found = None
        if len(key) <= MAX_KEY_CHARS:
            digest = hash_key(key)
            for record in self._active():
                if hmac.compare_digest(record.hash, digest):
                    found = record
        if found is None:
            with self._lock:
                self.failures += 1
                count = self.failures
            log.warning("failed authentication: a key that is unknown or revoked (%d since %s)", count, self.started)
        return found


@dataclass(frozen=True)
class Principal:
    """The caller: a key's public id and role, or an anonymous reader when reads are public."""

    key_id: str | None
    role: Role | None

    @property
    def actor(self) -> str:
        """What audit entries record as the actor: the key id, never the key."""
        return f"key:{self.key_id}" if self.key_id else "anonymous"

    @property
    def can_edit(self) -> bool:
        return self.role is not None and self.role.allows(Role.EDITOR)


def authenticate(keyring: KeyRing, key: str | None, needed: Role, *, public_reads: bool) -> Principal:
    """The caller of a request that needs role ``needed``, from the key it sent (None for none).

    Raises ``Unauthorized`` (no key where one is needed, or an unknown or revoked key) or
    ``Forbidden`` (a valid key with too low a role). A reader needs no key while reads are public.
    """
    if not key:
        if needed is Role.VIEWER and public_reads:
            return Principal(None, None)
        raise Unauthorized("this request needs an API key in the X-API-Key header",
                           zh="此请求需要在 X-API-Key 请求头中提供 接口密钥。")
    record = keyring.lookup(key)
    if record is None:
        raise Unauthorized("the API key is unknown or revoked", zh="接口密钥无效或已被吊销。")
    role = Role(record.role)
    if not role.allows(needed):
        raise Forbidden(f"this request needs the {needed.value} role; the key has {role.value}",
                        zh=f"此请求需要{ROLE_ZH[needed.value]}角色,该密钥为{ROLE_ZH[role.value]}角色。")
    return Principal(record.id, role)
