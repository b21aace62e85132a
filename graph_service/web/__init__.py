"""The planner UI: server-rendered pages in Chinese or English (``?lang=zh|en``), served by the same
app as the JSON API and built on the same services.

- ``routes/``: one router per page; ``deps.py``: the page's language and who is looking;
- ``views.py``: typed view models the templates read; ``render.py``: templates and links;
- ``errors.py``: errors on page requests as pages in the page's language;
- ``session.py`` and ``csrf.py``: the sign-in session cookie, and the form-token and origin check
  that the router below applies to every POST (forms write the token with ``_forms.html``);
- ``templates/`` and ``static/``: package data. Network pictures come from ``viz`` only.

To add a page: a router module in ``routes/`` with its template in ``templates/``, included below.
"""

from fastapi import APIRouter, Depends

from graph_service.web.csrf import csrf_guard
from graph_service.web.errors import render_error_page
from graph_service.web.routes import (
    city,
    exchanges,
    geo,
    home,
    imports,
    institutions,
    key,
    lookup,
    networks,
    partnerships,
    province,
    region,
    reports,
    static,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_guard)])
for module in (home, city, partnerships, exchanges, institutions, imports, lookup, province, reports, region, geo,
               networks, key, static):
    router.include_router(module.router)

__all__ = ["render_error_page", "router"]
