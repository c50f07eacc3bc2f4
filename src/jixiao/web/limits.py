"""Request limits, enforced before a body is read or parsed: size, and no NUL characters.

``RequestLimitsMiddleware`` wraps the ASGI ``receive`` of every request: a declared
``Content-Length`` over the limit is refused at the first read, before any byte is taken in,
and a streamed body (chunked, or lying about its length) is counted and refused as soon as it
passes the limit. Multipart bodies (uploads) get ``max_upload_bytes`` plus room for the form's
other fields; everything else (JSON, form posts) gets ``max_body_bytes``.

A NUL character cannot be stored in PostgreSQL text (SQLite takes it), so a JSON or form body
carrying one (``\u0000``, ``%00``) is refused with 422 on both backends (``NulCharacter``), and
so is a query string, by the app-wide dependency ``refuse_nul_in_query`` (a GET never reads a
body); uploads are files and may hold any byte.

The refusals are HTTP errors raised where the endpoint reads its body, so each surface answers
in its own way: the API with its canonical JSON error, the pages with a page.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao.settings import Settings

# Boundaries, headers and the small fields (year, department, CSRF token) of an upload form.
MULTIPART_OVERHEAD = 64 * 1024


def size_text(limit: int) -> str:
    """A limit as people read it: ``20 MB``, ``512 KB``, ``100 字节``."""
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} 字节"


class BodyTooLarge(HTTPException):
    """The request body passes its limit (413)."""

    def __init__(self, limit: int, upload: bool) -> None:
        what = "上传文件" if upload else "请求内容"
        super().__init__(413, f"{what}过大：不能超过 {size_text(limit)}（request body too large）")
        self.upload = upload


class NulCharacter(HTTPException):
    """The query or the body carries a NUL character (422)."""

    def __init__(self) -> None:
        super().__init__(422, "输入中含有空字符（NUL），请删除后重试（NUL character in input）")


# How a NUL is spelled in a query string, a form body and a JSON body.
NUL_SPELLINGS = (b"%00", b"\\u0000", b"\x00")


def _has_nul(data: bytes) -> bool:
    lowered = data.lower()
    return any(spelling in lowered for spelling in NUL_SPELLINGS)


def refuse_nul_in_query(request: Request) -> None:
    """An app-wide dependency: 422 when a query parameter holds a NUL character."""
    if any("\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()):
        raise NulCharacter()


class RequestLimitsMiddleware:
    """Limits from ``settings.max_body_bytes`` and ``settings.max_upload_bytes``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        upload = headers.get(b"content-type", b"").lower().startswith(b"multipart/")
        shown = self.settings.max_upload_bytes if upload else self.settings.max_body_bytes
        limit = shown + MULTIPART_OVERHEAD if upload else shown
        declared = headers.get(b"content-length", b"").strip()
        too_long = declared.isdigit() and int(declared) > limit
        received, tail = 0, b""

        async def limited_receive() -> Message:
            nonlocal received, tail
            if too_long:
                raise BodyTooLarge(shown, upload)
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                received += len(body)
                if received > limit:
                    raise BodyTooLarge(shown, upload)
                if not upload and _has_nul(tail + body):
                    raise NulCharacter()
                tail = (tail + body)[-6:]
            return message

        await self.app(scope, limited_receive, send)
