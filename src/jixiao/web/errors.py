"""The one JSON error body of the API, for every 4xx and 5xx::

    {"error": {"status": 409, "code": "stale_version", "message": "…",
               "fields": {"version": "…"}}}

``fields`` maps a field name (dotted for nested input, e.g. ``amounts.total``) to its message;
it is empty when the error is not about a field. ``tests/web/test_error_shape.py`` pins it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from jixiao.errors import JixiaoError
from jixiao.services.errors import AppError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: ("bad_request", "请求无效"),
    401: ("not_authenticated", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持此请求方法"),
    409: ("conflict", "数据冲突"),
    413: ("payload_too_large", "文件过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    422: ("validation_error", "输入有误"),
}


def error_body(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(status, code, message, fields), status, headers=headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


async def app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status_code, exc.code, exc.message, exc.fields)


async def library_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(
        422, "invalid_input", str(exc).splitlines()[0] if str(exc) else "输入有误"
    )


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields: dict[str, str] = {}
    for err in exc.errors():
        fields.setdefault(_field_name(tuple(err.get("loc", ()))), str(err.get("msg", "无效")))
    message = "输入有误：" + "；".join(f"{k}: {v}" for k, v in fields.items())
    return error_response(422, "validation_error", message, fields)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, default = _HTTP_CODES.get(exc.status_code, ("http_error", "请求失败"))
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else default
    return error_response(exc.status_code, code, detail)


async def integrity_error(request: Request, exc: Exception) -> JSONResponse:
    """A constraint hit by a concurrent write (e.g. the same file imported twice at once)."""
    log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    return error_response(409, "conflict", "数据已被同时修改或已存在，请刷新后重试")


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database error on %s %s: %s", request.method, request.url.path, exc)
    return error_response(503, "unavailable", "数据库暂时不可用，请稍后重试")


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "服务器内部错误，请稍后重试")


def install(app: FastAPI) -> None:
    """Register the canonical JSON handlers on the API app."""
    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(JixiaoError, library_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(Exception, unexpected_error)
