"""The web application: the JSON API at ``/api/v1`` and the pages at ``/``.

``create_app(settings)`` shares one engine between both sub-apps. ``/openapi.json`` serves the
API's schema (also at ``/api/v1/openapi.json``).

Behind a reverse proxy the client's address and scheme come from ``X-Forwarded-For`` and
``X-Forwarded-Proto`` only when the connection comes from one of ``settings.trusted_proxies``;
from anyone else these headers are ignored (the address is used by the login throttle and the
audit log, the scheme decides ``Secure`` cookies and HSTS).

A server process builds the app with ``create_server_app``: the same app, after which the
start-up objects (modules, routes, settings) are moved out of the collector's sight with
``gc.freeze()``. Without it each full collection walks those ~200,000 objects again: over
1,500 dashboard and list requests the full collections took 2.5–4.2 s in all (the longest
1.1–2.2 s) and 0.23–0.66 s with the freeze (the longest 49–283 ms), see ``bench/README.md``.
"""

from __future__ import annotations

import gc
from typing import Any

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from jixiao.db.session import make_engine, make_session_factory
from jixiao.settings import Settings, get_settings
from jixiao.web.api import create_api_app
from jixiao.web.ui import create_ui_app

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    factory = make_session_factory(make_engine(settings))
    api = create_api_app(settings, factory)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.session_factory = factory

    @app.get("/openapi.json", include_in_schema=False)
    def openapi() -> dict[str, Any]:
        schema = dict(api.openapi())
        schema["servers"] = [{"url": API_PREFIX}]
        return schema

    app.mount(API_PREFIX, api)
    app.mount("/", create_ui_app(settings, factory))
    if settings.trusted_proxies.strip():
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app


def create_server_app() -> FastAPI:
    """The app for a server process (``jixiao serve``, uvicorn ``--factory``): built from the
    environment's settings, then the start-up objects frozen out of the garbage collector."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app
