"""CSRF protection for the pages: a per-browser secret cookie and an HMAC token in every form.

The token is ``HMAC(secret_key, browser_secret)``. The browser secret is the session cookie once
the user is logged in, and an anonymous random cookie before that (the login form). Every unsafe
request must echo the token, as the ``csrf_token`` form field or the ``X-CSRF-Token`` header that
HTMX sends from ``<body hx-headers>``. Cookies are HttpOnly and SameSite=Lax, so another site can
neither read the secret nor forge the token.
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


def browser_secret(request: Request, session_cookie: str) -> str:
    """The secret the token is bound to: the session if there is one, else the anonymous id."""
    session = request.cookies.get(session_cookie)
    if session:
        return "s:" + session
    anon = request.cookies.get(ANON_COOKIE) or request.scope.get("state", {}).get("anon_id", "")
    return "a:" + str(anon)


def token_for(request: Request, secret_key: str, session_cookie: str) -> str:
    return make_token(secret_key, browser_secret(request, session_cookie))


async def verify(request: Request, secret_key: str, session_cookie: str) -> None:
    """Raise CsrfFailed unless an unsafe request carries the right token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if not sent:
        form = await request.form()
        value = form.get(FIELD)
        sent = value if isinstance(value, str) else None
    expected = token_for(request, secret_key, session_cookie)
    if not sent or not hmac.compare_digest(sent, expected):
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
                flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.secure else "")
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
