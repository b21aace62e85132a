"""Security headers on every response, and the per-request script nonce.

Every response gets a Content-Security-Policy with no inline script unless it carries the request's
nonce (``request.state.csp_nonce``: the page templates, the network pictures and the API docs put it
on their own ``<script>`` tags; ``worker-src blob:`` lets ReDoc's search run in a worker its own
script makes), plus ``X-Content-Type-Options: nosniff``, a ``Referrer-Policy`` and a framing rule.
Pages may not be framed by anyone (``frame-ancestors 'none'``); the network pictures under
``/network/`` may be framed by this origin only (``'self'``), since the city, region and map pages
embed them in iframes.

>>> policy("abc", "'none'").split("; ")[1]
"script-src 'self' 'nonce-abc'"
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FRAMED_BY_SELF = ("/network/",)
"""Path prefixes of the pages this origin embeds in its own iframes."""


def policy(nonce: str, frame_ancestors: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


def frame_ancestors(path: str) -> str:
    return "'self'" if path.startswith(FRAMED_BY_SELF) else "'none'"


class SecurityHeadersMiddleware:
    """Adds the headers above to every HTTP response, and a fresh nonce to every request's state."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        framing = frame_ancestors(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy(nonce, framing)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "SAMEORIGIN" if framing == "'self'" else "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)
