"""Page links are the router's own paths, however many times and with whatever values."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.routing import Mount

from jixiao.web.ui import create_ui_app
from jixiao.web.ui.rendering import page_url

from .conftest import Site


def _routes(routes: list[Any]) -> list[tuple[str, list[str]]]:
    """Every named route of the pages app with its path parameters (into included routers)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            out += _routes(inner.routes)
            continue
        name = getattr(route, "name", None)
        if name:
            path = getattr(route, "path_format", getattr(route, "path", ""))
            params = ["path"] if isinstance(route, Mount) else re.findall(r"{(\w+)", path)
            out.append((name, params))
    return out


def test_every_page_link_equals_the_routers_path(site: Site) -> None:
    app = create_ui_app(site.settings, site.factory)
    request = Request({"type": "http", "app": app, "root_path": "/sub", "headers": []})
    routes = _routes(app.routes)
    assert len(routes) > 50

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(routes), st.lists(st.integers(1, 10**9), min_size=3, max_size=3))
    def check(route: tuple[str, list[str]], numbers: list[int]) -> None:
        name, params = route
        values = {p: str(n) for p, n in zip(params, numbers, strict=False)}
        expected = "/sub" + str(app.url_path_for(name, **values))
        assert page_url(request, name, **values) == expected
        assert page_url(request, name, **values) == expected  # remembered, still right

    check()
