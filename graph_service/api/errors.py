"""One error shape for every failure of the JSON API: ``{"error": code, "message": text, "details": ...}``.

The errors of ``graph_service.errors`` map to a status and code by class (``STATUS``, walked along
the class's MRO, so a subclass inherits its parent's status). The web UI renders the same errors as
pages (``graph_service.web.errors``); ``install_error_handlers`` sends each request to the right one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph_service import errors as e

log = logging.getLogger("partner_graph.api")

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    503: "store_unavailable",
}

STATUS: dict[type[e.PartnerGraphError], tuple[int, str]] = {
    e.NotFound: (404, "not_found"),
    e.Ambiguous: (409, "ambiguous"),
    e.KindConflict: (409, "kind_conflict"),
    e.Conflict: (409, "conflict"),
    e.MissingNodes: (422, "missing_nodes"),
    e.WrongEndpointKind: (422, "wrong_endpoint_kind"),
    e.OutsideClosedSet: (422, "outside_closed_set"),
    e.InvalidFile: (422, "invalid_file"),
    e.InvalidInput: (422, "invalid"),
    e.Unauthorized: (401, "unauthorized"),
    e.Forbidden: (403, "forbidden"),
    e.StoreUnavailable: (503, "store_unavailable"),
    e.StoreError: (400, "store_error"),
    e.PartnerGraphError: (400, "bad_request"),
}
"""Error class → (HTTP status, error code); the nearest class in the MRO wins."""


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str
    message: str
    details: Any = None


class ApiError(Exception):
    """An HTTP-level error a route raises on purpose (an unsupported media type, say), with its status,
    code and details. Errors of the domain come from ``graph_service.errors`` instead."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details
        self.code = code or ERROR_CODES.get(status, "error")


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=code, message=message, details=details).model_dump(mode="json")
    return JSONResponse(body, status_code=status, headers=headers)


def validation_details(errors: list[dict[str, Any]], limit: int = 50) -> list[dict[str, Any]]:
    """Pydantic errors without their ``input`` (which may be 10 MB, or a secret) and ``ctx``."""
    return [
        {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))[:500], "type": e.get("type", "")}
        for e in errors[:limit]
    ]


def describe(details: list[dict[str, Any]]) -> str:
    shown = "; ".join(f"{'.'.join(d['loc']) or 'request'}: {d['msg']}" for d in details[:5])
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return f"invalid request: {shown}{more}"


def status_of(exc: e.PartnerGraphError) -> tuple[int, str]:
    """The HTTP status and error code of a domain error, by its class."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400, "bad_request"


PageRenderer = Callable[[Request, int, str], Response]
"""Renders an error as a web page: ``(request, status, message) -> response``."""


def is_api_request(request: Request) -> bool:
    """Whether the request went to the JSON API (``/api/...`` and ``/health``) rather than a page."""
    path = request.url.path
    return path.startswith("/api/") or path == "/health"


def install_error_handlers(app: FastAPI, render_page: PageRenderer | None = None) -> None:
    """Route every error through ``ErrorBody`` (API requests) or ``render_page`` (page requests).

    500 only for bugs, and those are logged with their traceback; the response never shows it.
    """

    def respond(request: Request, status: int, code: str, message: str, details: Any = None,
                headers: dict[str, str] | None = None) -> Response:
        if render_page is not None and not is_api_request(request):
            return render_page(request, status, message)
        return error_response(status, code, message, details, headers=headers)

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, e.PartnerGraphError)
        status, code = status_of(exc)
        return respond(request, status, code, exc.summary, exc.details())

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = ERROR_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return respond(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError | ValidationError)
        details = validation_details([dict(error) for error in exc.errors()])
        return respond(request, 422, "invalid", describe(details), details)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, 500, "internal", "internal error; it was logged (this is a bug, please report it)")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(e.PartnerGraphError, domain_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(ValidationError, invalid)
    app.add_exception_handler(Exception, unexpected)


COMMON_ERRORS = (400, 401, 403, 413, 422)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the errors a keyed route may answer with: the common ones
    (bad request, no key, wrong role, body too large, invalid input) plus ``statuses``."""
    codes = sorted(set(COMMON_ERRORS) | set(statuses))
    return {status: {"model": ErrorBody, "description": ERROR_CODES.get(status, "error")} for status in codes}
