"""Unknown query parameters are refused: ``GET /api/v1/edges?src=X`` is a 422 naming ``src``, not a
silent list of every edge.

``reject_unknown_query`` is one dependency on the whole API (``graph_service.api.app``). A route
accepts exactly the query parameters its OpenAPI operation documents: its endpoint's, its
dependencies' and its routers' (aliases included), so a parameter declared anywhere on the way, such
as ``lang``, stays allowed without being listed here, and ``/docs`` shows what is accepted. The
refusal is an ordinary ``RequestValidationError``: the same 422 error shape, one ``details`` row per
unknown name.

>>> from fastapi import FastAPI, Depends, Query
>>> from fastapi.testclient import TestClient
>>> app = FastAPI(dependencies=[Depends(reject_unknown_query)])
>>> @app.get("/edges/{edge_id}")
... def edge(edge_id: str, lang: str = Query("en")) -> dict:
...     return {"id": edge_id}
>>> client = TestClient(app)
>>> client.get("/edges/a|b", params={"lang": "zh"}).status_code
200
>>> response = client.get("/edges/a|b", params={"src": "a"})
>>> response.status_code, response.json()["detail"][0]["loc"]
(422, ['query', 'src'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

PARAMETER = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class Operation:
    """One documented operation: its method, its path as a pattern, and its query parameter names."""

    method: str
    pattern: re.Pattern[str]
    query: frozenset[str]
    literal: int
    """Characters of the path outside parameters: ``/nodes/batch`` is tried before ``/nodes/{id}``."""


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of an OpenAPI document, most literal paths first."""
    found = []
    for path, methods in spec.get("paths", {}).items():
        pattern = re.compile("".join(
            "[^/]+" if PARAMETER.fullmatch(part) else re.escape(part) for part in re.split(r"(\{[^}/]+\})", path)
        ) + r"\Z")
        literal = len(PARAMETER.sub("", path))
        for method, operation in methods.items():
            query = frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
            found.append(Operation(method.upper(), pattern, query, literal))
    return sorted(found, key=lambda op: -op.literal)


def _operations(app: FastAPI) -> list[Operation]:
    """``operations`` of the app's own OpenAPI document, worked out once and kept on ``app.state``."""
    table: list[Operation] | None = getattr(app.state, "documented_operations", None)
    if table is None:
        table = operations(app.openapi())
        app.state.documented_operations = table
    return table


def accepted_query_names(app: FastAPI, method: str, path: str) -> frozenset[str] | None:
    """The query parameter names that the operation serving ``method path`` documents; None when no
    documented operation serves it (nothing is refused then)."""
    for op in _operations(app):
        if op.method == method and op.pattern.match(path):
            return op.query
    return None


def unknown_query_names(request: Request) -> list[str]:
    """The query parameters of ``request`` that its operation does not document, in the order sent."""
    path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
    accepted = accepted_query_names(request.app, request.method, path)
    if accepted is None:
        return []
    return list(dict.fromkeys(name for name in request.query_params if name not in accepted))


def reject_unknown_query(request: Request) -> None:
    """A 422 (``RequestValidationError``) naming every query parameter the route does not declare."""
    unknown = unknown_query_names(request)
    if unknown:
        raise RequestValidationError([
            {"loc": ("query", name), "msg": f"unknown query parameter {name!r}", "type": "extra_forbidden",
             "input": None}
            for name in unknown
        ])
