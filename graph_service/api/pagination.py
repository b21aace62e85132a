"""Limit/offset query parameters with bounds, and the ``next`` link of a page.

Pages fetch one row more than asked, so the last page is known without counting every match.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1 to {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]


def next_link(request: Request, limit: int, offset: int, fetched: int) -> str | None:
    """The URL of the next page when ``fetched`` (asked ``limit + 1``) shows there is one."""
    if fetched <= limit:
        return None
    return str(request.url.include_query_params(limit=limit, offset=offset + limit))
