"""``/static/...``: vis-network (the copy inside the installed pyvis package), the UI stylesheet and the
map's land outlines (``graph_service/resources/land_50m.json``, see ``viz.geo``); ``/favicon.ico``, the
icon every browser asks for.

Only the files listed in ``STATIC_FILES`` are served, read once through ``importlib.resources``;
any other name is a 404, so no path reaches the file system.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from fastapi import APIRouter
from fastapi.responses import Response

from viz.geo import LAND_URL
from viz.network import VIS_ASSETS

router = APIRouter()

STATIC_FILES: dict[str, tuple[Traversable, str]] = {
    **{f"vis/{name}": (path, "text/javascript" if name.endswith(".js") else "text/css")
       for name, path in VIS_ASSETS.items()},
    "ui.css": (resources.files("graph_service.web") / "static" / "ui.css", "text/css"),
    "favicon.ico": (resources.files("graph_service.web") / "static" / "favicon.ico", "image/x-icon"),
    LAND_URL.removeprefix("/static/"): (resources.files("graph_service.resources") / "land_50m.json",
                                        "application/json"),
    "ui.js": (resources.files("graph_service.web") / "static" / "ui.js", "text/javascript"),
}


@cache
def _content(name: str) -> bytes:
    return STATIC_FILES[name][0].read_bytes()


@router.get("/static/{name:path}")
def static(name: str) -> Response:
    if name not in STATIC_FILES:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(_content(name), media_type=STATIC_FILES[name][1], headers={"Cache-Control": "public, max-age=3600"})


@router.get("/favicon.ico")
def favicon() -> Response:
    return static("favicon.ico")
