"""One error shape for every failure of the JSON API: ``{"error": code, "message": text, "details": ...}``.

The errors of ``graph_service.errors`` map to a status and code by class (``STATUS``, walked along
the class's MRO, so a subclass inherits its parent's status). The web UI renders the same errors as
pages (``graph_service.web.errors``); ``install_error_handlers`` sends each request to the right one.

The message is in the caller's language (``request_lang``: ``?lang=zh``, else ``Accept-Language``):
a domain error's own Chinese text, or a Chinese sentence per status and per validation error type.

>>> describe([{"loc": ["query", "limit"], "msg": "Input should be less than or equal to 200",
...            "type": "less_than_equal"}], "zh")
'请求无效:数量数值过大'
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
from graph_service.i18n import Lang, lang_from_header, pick_lang

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
    429: "too_many_requests",
    500: "internal",
    503: "store_unavailable",
    507: "store_full",
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
    e.CsrfRefused: (403, "csrf_refused"),
    e.Forbidden: (403, "forbidden"),
    e.TooBusy: (429, "too_many_requests"),
    e.StoreFull: (507, "store_full"),
    e.StoreReadOnly: (503, "store_read_only"),
    e.StoreLocked: (503, "store_locked"),
    e.StoreUnavailable: (503, "store_unavailable"),
    e.StoreError: (400, "store_error"),
    e.PartnerGraphError: (400, "bad_request"),
}
"""Error class → (HTTP status, error code); the nearest class in the MRO wins."""


STATUS_ZH = {
    400: "请求有误。",
    401: "需要有效的 接口密钥。",
    403: "无权执行该操作。",
    404: "未找到。",
    405: "不支持此请求方法。",
    406: "无法提供所要求的格式。",
    409: "请求与已存数据冲突。",
    413: "上传的内容过大。",
    415: "不支持此内容类型。",
    422: "请求无效。",
    429: "请求过多,请稍后再试。",
    500: "内部错误,已记录(这是程序缺陷,请报告)。",
    503: "暂时无法连接数据库,请稍后再试。",
    507: "数据库所在磁盘已满。",
}
"""The Chinese message of an HTTP-level error, by status."""

VALIDATION_ZH = {
    "missing": "缺少此项",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "string_pattern_mismatch": "格式不符",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "json_invalid": "JSON 格式错误",
    "extra_forbidden": "不允许的字段",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "too_long": "项目过多",
    "value_error": "取值无效",
}
"""Chinese for the pydantic error types a request may fail with; others read "取值无效"."""


PARAMS_ZH = {
    "depth": "层数", "limit": "数量", "offset": "起始位置", "strategy": "策略方案", "country": "国家",
    "lang": "语言", "by": "分组方式", "q": "搜索词", "city": "城市", "kind": "类型", "status": "状态",
    "since": "建立时间", "edge_id": "关系编号", "key": "密钥", "body": "请求内容", "confirm": "确认",
    "include_home_country": "是否含本国城市", "include_partners": "是否含已有友城", "format": "格式",
    "tier": "级别", "file": "文件", "role": "角色", "label": "标注",
    "id": "编号", "name": "名称", "name_zh": "中文名称", "alt_names": "别名", "admin1": "省/州",
    "level": "行政级别", "lat": "纬度", "lon": "经度", "population": "人口", "tags": "标签", "notes": "备注",
    "source": "来源", "attrs": "附加属性", "src": "起点", "dst": "终点", "type": "关系类型", "date": "日期",
    "title": "标题", "field": "交流领域", "direction": "方向", "participants": "人数", "nodes": "节点",
    "edges": "关系", "wikidata": "Wikidata 编号", "geonames": "GeoNames 编号",
}
"""Chinese names of the parameters a request may fail on; others read "参数"."""


VALUE_ERRORS_ZH = {
    "NaN and infinite numbers": "不能为 NaN 或无穷大",
    "integers must lie within": "整数超出允许范围",
    "control characters": "含有控制字符",
    "invalid date": "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD",
}
"""Chinese for the value errors of the domain model, by a fragment of their English message."""


def _param_zh(loc: list[str]) -> str:
    """``query.depth`` → 层数: the last named part of a validation error's location, in Chinese; an
    extra attribute by its own name, then a space (``body.attrs.rank`` → 附加属性 rank).

    >>> _param_zh(["body", "attrs", "rank"]), _param_zh(["body", "nodes", "0", "population"])
    ('附加属性 rank ', '人口')
    """
    named = [part for part in loc if not part.isdigit() and part not in ("query", "path", "body", "form")]
    if len(named) >= 2 and named[-2] == "attrs":
        return f"附加属性 {named[-1][:50]} "
    return PARAMS_ZH.get(named[-1], "参数") if named else "请求"


def _problem_zh(detail: dict[str, Any]) -> str:
    """One validation problem in Chinese: ``数量数值过大``; an unknown query parameter keeps its own
    name, since that name is what the caller must remove: ``未知的参数「src」``."""
    if detail["type"] == "extra_forbidden" and detail["loc"][:1] == ["query"]:
        return f"未知的参数「{detail['loc'][-1]}」"
    return f"{_param_zh(detail['loc'])}{_what_is_wrong_zh(detail)}"


def _what_is_wrong_zh(detail: dict[str, Any]) -> str:
    if detail["type"] == "value_error":
        found = next((zh for en, zh in VALUE_ERRORS_ZH.items() if en in detail["msg"]), None)
        if found:
            return found
    return VALIDATION_ZH.get(detail["type"], "取值无效")


def request_lang(request: Request) -> Lang:
    """The caller's language: ``?lang=`` when given, else the ``Accept-Language`` header, else English."""
    asked = request.query_params.get("lang")
    return pick_lang(asked) if asked else lang_from_header(request.headers.get("accept-language"))


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


def describe(details: list[dict[str, Any]], lang: Lang = "en") -> str:
    """One line for a failed validation, in ``lang``."""
    if lang == "zh":
        shown = ";".join(_problem_zh(d) for d in details[:5])
        more = f"(另有 {len(details) - 5} 处)" if len(details) > 5 else ""
        return f"请求无效:{shown}{more}"
    shown = "; ".join(f"{'.'.join(d['loc']) or 'request'}: {d['msg']}" for d in details[:5])
    more = f" (and {len(details) - 5} more)" if len(details) > 5 else ""
    return f"invalid request: {shown}{more}"


def status_of(exc: e.PartnerGraphError) -> tuple[int, str]:
    """The HTTP status and error code of a domain error, by its class."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400, "bad_request"


PageRenderer = Callable[[Request, int, str, dict[str, str]], Response]
"""Renders an error as a web page: ``(request, status, code, {"en": message, "zh": message}) -> response``."""


def is_api_request(request: Request) -> bool:
    """Whether the request went to the JSON API (``/api/...`` and ``/health``) rather than a page."""
    path = request.url.path
    return path.startswith("/api/") or path == "/health"


def install_error_handlers(app: FastAPI, render_page: PageRenderer | None = None) -> None:
    """Route every error through ``ErrorBody`` (API requests) or ``render_page`` (page requests).

    500 only for bugs, and those are logged with their traceback; the response never shows it.
    """

    def respond(request: Request, status: int, code: str, texts: dict[str, str], details: Any = None,
                headers: dict[str, str] | None = None) -> Response:
        if render_page is not None and not is_api_request(request):
            return render_page(request, status, code, texts)
        return error_response(status, code, texts[request_lang(request)], details, headers=headers)

    def by_status(status: int, message: str) -> dict[str, str]:
        return {"en": message, "zh": STATUS_ZH.get(status, STATUS_ZH[400])}

    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return respond(request, exc.status, exc.code, by_status(exc.status, exc.message), exc.details)

    async def domain_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, e.PartnerGraphError)
        status, code = status_of(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, e.TooBusy) else None
        return respond(request, status, code, {"en": exc.message("en"), "zh": exc.message("zh")}, exc.details(),
                       headers=headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = ERROR_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return respond(request, exc.status_code, code, by_status(exc.status_code, message),
                       headers=getattr(exc, "headers", None))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError | ValidationError)
        details = validation_details([dict(error) for error in exc.errors()])
        return respond(request, 422, "invalid", {"en": describe(details), "zh": describe(details, "zh")}, details)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return respond(request, 500, "internal",
                       by_status(500, "internal error; it was logged (this is a bug, please report it)"))

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
