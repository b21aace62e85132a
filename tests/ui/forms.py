"""Posting UI forms as a browser does: the form token comes from a page, the session from ``/key``."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(client, path: str = "/key", **kwargs) -> str:
    """The hidden form token of the first form on the page at ``path`` (the client keeps the cookie)."""
    html = client.get(path, **kwargs).text
    found = TOKEN.search(html)
    assert found, f"no form token on {path}"
    return found.group(1)


def sign_in(client, key: str) -> None:
    """Sign in through the ``/key`` form, as a planner does; the client keeps the session cookie."""
    response = client.post("/key", data={"key": key, "csrf_token": form_token(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
