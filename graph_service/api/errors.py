"""One error shape for every failure: ``{"error": code, "message": text, "details": ...}``.

Store errors map to statuses by class name, so each adapter's own subclasses (``KindConflict`` in
SQLite or Neo4j) get the same status without the API importing adapter modules.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph_service.store.base import StoreError

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

STORE_ERROR_STATUS = {
    "NotFound": (404, "not_found"),
    "KeyNotFound": (404, "not_found"),
    "Ambiguous": (409, "ambiguous"),
    "KindConflict": (409, "kind_conflict"),
    "MissingNodes": (422, "missing_nodes"),
    "WrongEndpointKind": (422, "wrong_endpoint_kind"),
    "OutsideClosedSet": (422, "outside_closed_set"),
    "StoreUnavailable": (503, "store_unavailable"),
}
"""Store error class name → (status, error code). Other ``StoreError``s are 400."""


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str
    message: str
    details: Any = None


class ApiError(Exception):
    """An error a route raises on purpose, with its status, code and details."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details
        self.code = code or ERROR_CODES.get(status, "error")


def error_response(status: int, code: str, message: str, details: Any = None, headers=None) -> JSONResponse:
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


def store_error_status(exc: StoreError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls.__name__ in STORE_ERROR_STATUS:
            return STORE_ERROR_STATUS[cls.__name__]
    return 400, "store_error"


def store_error_details(exc: StoreError) -> Any:
    if hasattr(exc, "missing"):
        return {"missing": list(exc.missing)}
    if hasattr(exc, "candidates"):
        return {"candidates": [{"id": n.id, "name": n.name, "country": n.country} for n in exc.candidates]}
    if hasattr(exc, "problems"):
        return {"problems": list(exc.problems)[:200]}
    return None


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.details)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = ERROR_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, None, headers=getattr(exc, "headers", None))


async def _request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = validation_details(list(exc.errors()))
    return error_response(422, "invalid", describe(details), details)


async def _model_invalid(request: Request, exc: ValidationError) -> JSONResponse:
    details = validation_details(exc.errors())
    return error_response(422, "invalid", describe(details), details)


async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
    status, code = store_error_status(exc)
    return error_response(status, code, str(exc), store_error_details(exc))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal", "internal error; it was logged (this is a bug, please report it)")


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through ``ErrorBody``; 500 only for bugs, and those are logged."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(ValidationError, _model_invalid)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)


COMMON_ERRORS = (400, 401, 403, 413, 422)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the errors a keyed route may answer with: the common ones
    (bad request, no key, wrong role, body too large, invalid input) plus ``statuses``."""
    codes = sorted(set(COMMON_ERRORS) | set(statuses))
    return {status: {"model": ErrorBody, "description": ERROR_CODES.get(status, "error")} for status in codes}
