"""``/docs`` and ``/redoc`` load only this server's own assets, and are hidden when reads are private."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from graph_service.api.app import create_app
from graph_service.config import Settings


def urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)


def test_docs_use_local_assets_and_a_nonced_script(tmp_path):
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'd.db'}"))) as client:
        for path in ("/docs", "/redoc"):
            page = client.get(path)
            assert page.status_code == 200, path
            found = urls(page.text)
            assert found and all(url.startswith("/") and not url.startswith("//") for url in found), found
            for url in found:
                assert client.get(url).status_code == 200, url
            nonce = page.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
            inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page.text)
            assert all(f'nonce="{nonce}"' in attrs for attrs in inline), (path, inline)
        assert client.get("/static/docs/../../pyproject.toml").status_code == 404
        assert client.get("/static/docs/unknown.js").status_code == 404


def test_docs_are_hidden_when_reads_are_private(tmp_path):
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'd.db'}", public_reads=False))) as client:
        for path in ("/docs", "/redoc"):
            assert client.get(path).status_code == 404, path
