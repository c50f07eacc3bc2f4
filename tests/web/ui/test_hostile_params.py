"""Hostile numbers in page URLs and queries: a missing page (404) or a refused request (422),
never a server error, whatever the route."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from jixiao.web.ui import create_ui_app

from .conftest import Site, login
from .test_project_pages import project_id

HUGE = "9" * 40
NAMES = re.compile(r"{(\w+)}")


def routes_of(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from routes_of(inner.routes)


def get_routes(site: Site) -> list[str]:
    app = create_ui_app(site.settings, site.factory)
    return sorted(
        {r.path for r in routes_of(app.routes) if "GET" in r.methods and NAMES.search(r.path)}
    )


def test_huge_numbers_in_every_page_path_are_404(client: TestClient, imported: Site) -> None:
    login(client, "admin")
    pid = str(project_id(imported, "物业管理费"))
    paths = get_routes(imported)
    assert len(paths) > 10
    for path in paths:
        variants = {
            NAMES.sub(HUGE, path),
            NAMES.sub(lambda m: pid if m[1] == "project_id" else HUGE, path),
        }
        for filled in (v for v in variants if HUGE in v):
            response = client.get(filled)
            assert response.status_code in (404, 422), (filled, response.status_code)
            assert response.headers["content-type"].startswith("text/html"), filled


@pytest.mark.parametrize(
    "query",
    [
        f"/?year={HUGE}",
        f"/results?year={HUGE}",
        f"/projects?year={HUGE}",
        f"/projects?org={HUGE}",
        f"/projects?page={HUGE}",
        f"/reviews?year={HUGE}",
        f"/users?page={HUGE}",
        f"/audit?page={HUGE}",
        "/projects?q=%00abc",
    ],
)
def test_huge_numbers_in_queries_are_refused_or_ignored(
    client: TestClient, imported: Site, query: str
) -> None:
    login(client, "admin")
    response = client.get(query)
    assert response.status_code in (200, 404, 422), response.status_code


def test_huge_version_ids_in_compare_are_404(client: TestClient, imported: Site) -> None:
    login(client, "admin")
    pid = project_id(imported, "物业管理费")
    for query in (f"a={HUGE}", f"b={HUGE}&a=current", "a=%C2%B2"):
        response = client.get(f"/projects/{pid}/compare?{query}")
        assert response.status_code in (200, 404), (query, response.status_code)
