"""The hostile-input suite's server and bookkeeping: one real uvicorn over a seeded store (SQLite, then
the live Neo4j; reads private, a key per role), a signed-in UI session, every route of the app, and
a tally of the cases each route received."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from graph_service.api.app import create_app
from graph_service.config import Settings
from tests.api.support import Api, start_api, start_neo4j_api

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    query: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)(?::\w+)?}", self.path)


def app_routes() -> list[Route]:
    """Every HTTP route of the app (API, pages, docs, static), with the query parameters it declares."""
    app = create_app(Settings(store="sqlite:///:memory:"))
    found: list[Route] = []

    def queries(dependant) -> list[str]:
        names = [p.name for p in dependant.query_params]
        for sub in dependant.dependencies:
            names += queries(sub)
        return names

    def add(route) -> None:
        path = getattr(route, "path_format", None) or route.path
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                dependant = getattr(route, "dependant", None)
                found.append(Route(method, path, tuple(queries(dependant)) if dependant else ()))

    for route in app.router.routes:
        if hasattr(route, "effective_route_contexts"):  # an included router (FastAPI composes them lazily)
            for context in route.effective_route_contexts():
                add(context)
        elif getattr(route, "methods", None):
            add(route)
    return sorted(set(found), key=lambda r: (r.path, r.method))


@dataclass
class Hostile:
    """The live server, clients with and without keys, a UI session and the tally of cases sent."""

    api: Api
    routes: list[Route]
    ui: httpx.Client
    tally: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def url(self) -> str:
        return self.api.url

    def known(self) -> dict[str, str]:
        """Path values naming records that exist, so cases also reach the code behind the lookups."""
        return {"node_id": "geonames:1799869", "city": "geonames:1799869", "city_id": "geonames:1799869",
                "edge_id": "geonames:1609776|SISTER_CITY|geonames:1799869", "key_id": self.api.key_ids["viewer"],
                "region_id": "ASEAN", "name": "ui.css", "partner": "geonames:1609776",
                "partner_id": "geonames:1609776"}

    def ui_token(self) -> str:
        return TOKEN.search(self.ui.get("/key").text).group(1)

    def sign_in(self) -> None:
        """Open (again) the UI session of the admin key, as ``/key`` does for a planner."""
        response = self.ui.post("/key", data={"key": self.api.keys["admin"], "csrf_token": self.ui_token()})
        assert response.status_code in (200, 303), response.text[:300]

    def send(self, route: Route, client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
        """Send one case; it must not be answered with a 5xx (nor drop the connection)."""
        response = client.request(method, url, **kwargs)
        self.tally[route.label] += 1
        self.statuses[response.status_code] += 1
        body = kwargs.get("content") or kwargs.get("json") or kwargs.get("data") or kwargs.get("params")
        assert response.status_code < 500, (
            f"{method} {url[:300]} -> {response.status_code}\nsent: {str(body)[:300]}\n{response.text[:500]}")
        return response


@pytest.fixture(scope="session", params=["sqlite", "neo4j"])
def hostile(request, tmp_path_factory) -> Iterator[Hostile]:
    """The whole suite runs on each store: a seeded SQLite file, then the session's live Neo4j
    (emptied and seeded), each behind its own uvicorn."""
    tmp = tmp_path_factory.mktemp(f"hostile-{request.param}")
    on_neo4j = request.param == "neo4j"
    live = start_neo4j_api(tmp, request.getfixturevalue("neo4j_server")) if on_neo4j else start_api(tmp)
    ui = httpx.Client(base_url=live.url, timeout=120)
    state = Hostile(api=live, routes=app_routes(), ui=ui)
    state.sign_in()
    assert len(state.routes) >= 30, [r.label for r in state.routes]
    yield state
    ui.close()
    for client in live.clients.values():
        client.close()
    live.server.stop()
    assert "Traceback" not in live.log_text(), live.log_text()[-3000:]
