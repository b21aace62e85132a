"""Service metadata: health, stats, strategy profiles and the audit log (admin only)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request

from graph_service.api.deps import Admin, AuditDep, Reader, StoreDep
from graph_service.api.errors import responses
from graph_service.api.pagination import Limit, Offset, next_link
from graph_service.api.schemas import AuditPage, Health, Stats
from graph_service.services.analysis import analysis_revision, strategy_names

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Liveness, the store's revision and this worker's analysis revision; needs no key."""
    return Health(status="ok", revision=store.revision(), worker=os.getpid(),
                  analysis_revision=analysis_revision(store))


@router.get("/stats", response_model=Stats, responses=responses(401, 403))
def stats(store: StoreDep, _: Reader) -> Stats:
    """Node counts by kind and edge counts by type."""
    counts = store.counts()
    return Stats(
        nodes=counts["nodes"],
        edges=counts["edges"],
        total_nodes=sum(counts["nodes"].values()),
        total_edges=sum(counts["edges"].values()),
        revision=store.revision(),
    )


@router.get("/strategies", response_model=list[str], responses=responses())
def strategies(_: Reader) -> list[str]:
    """Names of the strategy profiles that ``gaps`` and ``suggestions`` accept as ``strategy``."""
    return strategy_names()


@router.get("/audit", response_model=AuditPage, responses=responses(401, 403, 422))
def audit(request: Request, store: AuditDep, _: Admin, limit: Limit = 100, offset: Offset = 0) -> AuditPage:
    """Recorded writes, newest first: time, key id (never the key), action, target and summary."""
    entries = store.read_audit(limit=limit + 1, offset=offset)
    return AuditPage(items=entries[:limit], limit=limit, offset=offset,
                     next=next_link(request, limit, offset, len(entries)))
