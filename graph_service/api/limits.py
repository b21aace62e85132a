"""Request body size limit: ``Content-Length`` checked up front, streamed bytes counted as they arrive.

Either way an oversized body gets the JSON 413 error, before the app parses anything.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_service.api.errors import error_response


def too_large_message(limit: int) -> str:
    return f"request body is larger than the limit of {limit:,} bytes (setting PARTNER_GRAPH_MAX_UPLOAD_BYTES)"


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not they announce their length."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            if declared.isdigit():
                response = error_response(413, "payload_too_large", too_large_message(self.limit))
            else:
                response = error_response(400, "bad_request", "bad Content-Length")
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, too_large_message(self.limit))
            return message

        await self.app(scope, counting_receive, send)
