"""``/docs`` (Swagger UI) and ``/redoc`` from assets served by the app itself, so the API docs work
offline and on intranets: the scripts and styles come from the PyPI package ``fastapi-offline``,
served under ``/static/docs/``. The docs are hidden (404) when reads are private; the one inline
script of Swagger UI carries the response's CSP nonce (``api.security_headers``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from graph_service.errors import NotFound

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
}
ASSET_BASE = "/static/docs"


OFFLINE_REPLACEMENTS = {b"https://cdn.redoc.ly/redoc/logo-mini.svg": b"/favicon.ico"}
"""URLs inside the shipped assets that would leave the machine, and what they load instead (ReDoc's
"API docs by Redocly" footer shows its logo from a CDN)."""


@cache
def _asset(name: str) -> bytes:
    data = (resources.files("fastapi_offline") / "static" / name).read_bytes()
    for external, local in OFFLINE_REPLACEMENTS.items():
        data = data.replace(external, local)
    return data


def _visible(request: Request) -> None:
    if not request.app.state.settings.public_reads:
        raise NotFound("not found", zh="未找到。")


def install_docs(app: FastAPI) -> None:
    """Add ``/docs``, ``/redoc`` and their assets to ``app`` (built with ``docs_url=None, redoc_url=None``)."""

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        _visible(request)
        page = get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - Swagger UI",
                                   swagger_js_url=f"{ASSET_BASE}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSET_BASE}/swagger-ui.css", swagger_favicon_url="/favicon.ico")
        nonce = getattr(request.state, "csp_nonce", "")
        return HTMLResponse(bytes(page.body).decode().replace("<script>", f'<script nonce="{nonce}">'))

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        _visible(request)
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc",
                              redoc_js_url=f"{ASSET_BASE}/redoc.standalone.js", redoc_favicon_url="/favicon.ico",
                              with_google_fonts=False)

    @app.get(f"{ASSET_BASE}/{{name}}", include_in_schema=False)
    def asset(name: str) -> Response:
        if name not in ASSETS:
            raise NotFound("not found", zh="未找到。")
        return Response(_asset(name), media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})
