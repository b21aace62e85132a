"""Uploads between the steps of the spreadsheet import (upload, map, preview, commit), kept in the
server's memory for an hour and only for the key that uploaded them. A restart forgets them: the
planner uploads the file again (nothing was written before the commit step)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import Request

from graph_service.errors import NotFound
from graph_service.ingest.sheet import Table

TTL_SECONDS = 3600
MAX_DRAFTS = 32


@dataclass(frozen=True)
class Draft:
    id: str
    owner: str
    filename: str
    table: Table
    created: float


class DraftStore:
    """At most ``limit`` drafts, each for ``ttl`` seconds; the oldest go first."""

    def __init__(self, ttl: float = TTL_SECONDS, limit: int = MAX_DRAFTS):
        self.ttl, self.limit = ttl, limit
        self._drafts: OrderedDict[str, Draft] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for key in [k for k, d in self._drafts.items() if now - d.created > self.ttl]:
            del self._drafts[key]
        while len(self._drafts) >= self.limit:
            self._drafts.popitem(last=False)

    def add(self, owner: str, filename: str, table: Table) -> Draft:
        with self._lock:
            now = time.monotonic()
            self._expire(now)
            draft = Draft(secrets.token_urlsafe(16), owner, filename[:200], table, now)
            self._drafts[draft.id] = draft
            return draft

    def get(self, draft_id: str, owner: str) -> Draft:
        """The owner's draft (``NotFound`` when it is unknown, expired or someone else's)."""
        with self._lock:
            draft = self._drafts.get(draft_id)
            if draft is None or draft.owner != owner or time.monotonic() - draft.created > self.ttl:
                raise NotFound("this upload has expired or belongs to another key: upload the file again",
                               zh="此次上传已过期或属于其他密钥,请重新上传文件。")
            return draft

    def discard(self, draft_id: str) -> None:
        with self._lock:
            self._drafts.pop(draft_id, None)


_create_lock = threading.Lock()


def drafts_of(request: Request) -> DraftStore:
    """The app's draft store (made on first use)."""
    state = request.app.state
    with _create_lock:
        if not hasattr(state, "import_drafts"):
            state.import_drafts = DraftStore()
    store: DraftStore = state.import_drafts
    return store
