"""Drive the system ``chromium`` with Playwright (never a downloaded browser), and watch each page.

``Watched`` records every request URL and every console error or uncaught exception of a page and
its frames, so tests can assert that nothing left localhost and nothing went wrong.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def system_chromium() -> str | None:
    """The path of Debian's chromium, or None when it is not installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class Watched:
    """A page plus what it did: request URLs, console errors and page errors."""

    page: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, context) -> Watched:
        page = context.new_page()
        watched = cls(page)
        page.on("request", lambda request: watched.requests.append(request.url))
        page.on("console", lambda msg: watched.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: watched.errors.append(f"pageerror: {exc}"))
        return watched

    def external(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]
