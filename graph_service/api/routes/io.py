"""Import (admin, multipart upload of a graph JSON or a pairs CSV) and export (json, graphml, gexf; built
once per revision and streamed from a file, a few at a time: ``services.exports``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from graph_service.api.deps import Admin, Reader, StoreDep
from graph_service.api.errors import ApiError, responses
from graph_service.api.schemas import ImportReport
from graph_service.errors import InvalidInput
from graph_service.services import transfer
from graph_service.services.exports import ExportCache

router = APIRouter(tags=["io"])

UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "graph JSON or pairs CSV"},
                        "format": {"type": "string", "enum": ["auto", "graph", "pairs"], "default": "auto"},
                        "tier": {"type": "string", "enum": ["sister", "friendly"], "default": "sister"},
                    },
                }
            }
        },
    }
}


class ExportFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    GEXF = "gexf"
    XLSX = "xlsx"


async def read_upload(request: Request) -> tuple[str, bytes, dict[str, str]]:
    """The uploaded file's name and bytes, and the other form fields. The body limit applies while reading."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(415, "upload the file as multipart/form-data with a field named 'file'",
                       code="unsupported_media_type")
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("the form has no file field named 'file'")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return upload.filename or "upload", await upload.read(), fields
    finally:
        await form.close()


@router.post(
    "/import",
    response_model=ImportReport,
    openapi_extra=UPLOAD_SCHEMA,
    responses=responses(400, 401, 403, 404, 409, 413, 415, 422),
)
async def import_file(request: Request, store: StoreDep, who: Admin) -> ImportReport:
    """Import an uploaded graph JSON (all or nothing) or pairs CSV (good rows imported, bad rows reported
    by row number). ``format=auto`` picks by file name and content. Admin only."""
    filename, raw, fields = await read_upload(request)
    fmt, report = await run_in_threadpool(
        lambda: transfer.import_upload(store, raw, filename=filename, requested=fields.get("format", "auto"),
                                       tier=fields.get("tier", "sister"), actor=who.actor)
    )
    return ImportReport(format=fmt.value, filename=filename[:200], report=report, revision=store.revision())


EXPORT_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.GRAPHML: "application/xml",
    ExportFormat.GEXF: "application/xml",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 256 * 1024


def _sent_in_chunks(file: BinaryIO, done: Callable[[], None]) -> Iterator[bytes]:
    """The file's bytes, then close it and give back the export slot (also when the client leaves)."""
    try:
        while chunk := file.read(CHUNK):
            yield chunk
    finally:
        file.close()
        done()


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {"description": "the whole graph as a file", "content": {
            "application/json": {}, "application/xml": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **responses(401, 403, 422, 429),
    },
)
def export(
    request: Request,
    store: StoreDep,
    _: Reader,
    format: Annotated[
        ExportFormat, Query(description="json (lossless, re-importable), graphml, gexf or xlsx (Excel)")
    ] = ExportFormat.JSON,
) -> Response:
    """Every node and edge, as a download. Needs a key when reads are private. Built once per revision
    and then served from a file; when too many exports are running, 429 with ``Retry-After``."""
    exports: ExportCache = request.app.state.exports
    release = exports.take_slot()
    try:
        file = exports.file_for(store, format.value).open("rb")
    except BaseException:
        release()
        raise
    headers = {"Content-Disposition": f'attachment; filename="partner-graph.{format.value}"',
               "Content-Length": str(os.fstat(file.fileno()).st_size)}
    return StreamingResponse(_sent_in_chunks(file, release), media_type=EXPORT_TYPES[format], headers=headers)
