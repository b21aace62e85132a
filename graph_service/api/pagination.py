"""Limit/offset query parameters with bounds, and the ``next`` link of a page.

Pages fetch one row more than asked, so the last page is known without counting every match. The
``next`` link is relative to the server (a path and query): it never carries the request's ``Host``
header, which a client (or an attacker in front of a proxy) chooses.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request

MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, 1 to {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]


def next_link(request: Request, limit: int, offset: int, fetched: int) -> str | None:
    """The path and query of the next page when ``fetched`` (asked ``limit + 1``) shows there is one."""
    if fetched <= limit:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]
    return f"{request.url.path}?{urlencode([*query, ('limit', limit), ('offset', offset + limit)])}"
