"""Response headers every answer carries, set in one place for both sub-apps.

- ``X-Content-Type-Options: nosniff`` on everything (pages, API, downloads, static files);
- ``Cache-Control: no-store`` on everything but static files: pages and API answers show one
  user's data, downloads are that user's tables, and none of it may stay in a shared cache;
- ``Strict-Transport-Security`` on answers served over https (the scheme uvicorn takes from
  ``X-Forwarded-Proto`` behind a trusted proxy), for ``settings.hsts_seconds``;
- a ``Content-Security-Policy`` for the API docs page (its vendored swagger-ui only).

A header a route set itself is kept.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao.settings import Settings

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings, csp: dict[str, str] | None = None) -> None:
        self.app = app
        self.settings = settings
        self.csp = csp or {}  # path inside this app → Content-Security-Policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        inner = path.removeprefix(scope.get("root_path", ""))
        static = inner.startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
                if https and self.settings.hsts_seconds > 0:
                    headers.setdefault(
                        "Strict-Transport-Security", f"max-age={self.settings.hsts_seconds}"
                    )
                if inner in self.csp:
                    headers.setdefault("Content-Security-Policy", self.csp[inner])
            await send(message)

        await self.app(scope, receive, send_with_headers)
