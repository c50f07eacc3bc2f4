"""CSRF protection for the pages: a token in every form, bound to the browser's session.

Logged-in users get the CSRF token stored with their server-side session (the users service
creates it at login). Before login (the login form itself) the token is
``HMAC(secret_key, anonymous id)`` where the anonymous id is a random HttpOnly cookie. Every unsafe
request must echo the token, as the ``csrf_token`` form field or the ``X-CSRF-Token`` header that
HTMX sends from ``<body hx-headers>``. Cookies are HttpOnly and SameSite=Lax, so another site can
neither read the token nor forge it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ANON_COOKIE = "jixiao_anon"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfFailed(Exception):
    """An unsafe request came without a valid token."""


def make_token(secret_key: str, browser_secret: str) -> str:
    mac = hmac.new(secret_key.encode(), browser_secret.encode(), hashlib.sha256)
    return mac.hexdigest()


def anonymous_secret(request: Request) -> str:
    """The anonymous id of this browser (set by AnonymousIdMiddleware on its first request)."""
    anon = request.cookies.get(ANON_COOKIE) or request.scope.get("state", {}).get("anon_id", "")
    return "a:" + str(anon)


async def verify(request: Request, expected: str) -> None:
    """Raise CsrfFailed unless an unsafe request carries ``expected``."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if not sent:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed


class AnonymousIdMiddleware:
    """Give every browser an anonymous random id cookie so the login form can carry a token."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_anon_cookie(scope):
            await self.app(scope, receive, send)
            return
        anon_id = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["anon_id"] = anon_id

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                secure = self.secure or scope.get("scheme") == "https"
                flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                headers.append("set-cookie", f"{ANON_COOKIE}={anon_id}; {flags}")
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _has_anon_cookie(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if ANON_COOKIE in jar:
                return True
    return False
