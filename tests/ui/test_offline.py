"""Every UI page and every generated network references nothing outside localhost.

The crawl starts at the home page (plain, searched, and in Chinese), follows every local link and
iframe, and parses each HTML page: no ``src`` or ``href`` attribute, inline script or style may
name an ``http://`` or ``https://`` address other than localhost.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow  # the crawl renders every page there is
URL_RE = re.compile(r"https?://[^\s\"'<>)\\]+", re.IGNORECASE)
LOCAL = {"localhost", "127.0.0.1", "testserver"}
START = ["/", "/?lang=zh", "/?q=nanning", "/?q=南宁&lang=zh", "/geo", "/geo?country=CN&lang=zh",
         "/city/geonames:1799869", "/city/geonames:1799869?lang=zh"]
MAX_PAGES = 400


class References(HTMLParser):
    """Collects src/href values, local links to follow, and the text of script and style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[str] = []
        self.bodies: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "data", "poster") and value:
                self.attrs.append(value)
        self._in_code = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_code = False

    def handle_data(self, data):
        if self._in_code:
            self.bodies.append(data)


def external(text: str) -> list[str]:
    return [url for url in URL_RE.findall(text) if urlsplit(url).hostname not in LOCAL]


def crawl(client) -> dict[str, References]:
    seen: dict[str, References] = {}
    queue = list(START)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if "text/html" not in response.headers["content-type"]:
            seen[path] = References()
            continue
        refs = References()
        refs.feed(response.text)
        seen[path] = refs
        for value in refs.attrs:
            if value.startswith("/") and not value.startswith("//"):
                queue.append(value.replace("&amp;", "&"))
    return seen


def test_no_page_or_network_references_the_internet(client):
    pages = crawl(client)
    networks = [p for p in pages if p.startswith("/network/")]
    assert any(p.startswith("/city/") for p in pages) and any(p.startswith("/region/") for p in pages)
    assert any(p.startswith("/network/city/") for p in networks) and any(p.startswith("/network/geo") for p in networks)
    assert any(p.startswith("/network/region/") for p in networks)
    found = {}
    for path, refs in pages.items():
        bad = [u for value in refs.attrs for u in external(value)] + [u for body in refs.bodies for u in external(body)]
        if bad:
            found[path] = bad
    assert found == {}, found


def test_network_scripts_are_inline_or_local(client):
    html = client.get("/network/city/geonames:1799869").text
    assert '<script src="/static/vis/vis-network.min.js"></script>' in html
    assert "bootstrap" not in html.lower() and "cdn" not in html.lower()
    assert client.get("/static/vis/vis-network.min.js").status_code == 200
    assert client.get("/static/vis/vis-network.css").status_code == 200
