"""The one JSON error body of the API, for every 4xx and 5xx::

    {"error": {"status": 409, "code": "stale_version", "message": "…",
               "fields": {"version": "…"}, "current": {"version": 3}}}

``fields`` maps a field name (dotted for nested input, e.g. ``amounts.total``) to its message;
it is empty when the error is not about a field. ``current`` appears on a conflict decided
against stored state: that state (``version``, and ``status`` for a project), so the client can
show it without asking again. ``tests/web/test_error_shape.py`` pins it.
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
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    current: dict[str, Any] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {
        "status": status,
        "code": code,
        "message": message,
        "fields": fields or {},
    }
    if current:
        error["current"] = current
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, str] | None = None,
    current: dict[str, Any] | None = None,
) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = error_body(status, code, message, fields, current)
    return JSONResponse(body, status, headers=headers)


# pydantic's error types in the words users read; ``{name}`` takes the error's context.
_VALIDATION_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_type": "须为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "须大于或等于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "须小于或等于 {le}",
    "enum": "须为以下之一：{expected}",
    "literal_error": "须为以下之一：{expected}",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "json_invalid": "JSON 格式错误",
    "json_type": "须为 JSON",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "datetime_type": "须为时间",
    "datetime_parsing": "须为时间",
    "url_parsing": "须为网址",
}
_VALUE_ERROR_PREFIXES = ("Value error, ", "Assertion failed, ")


def _validation_message(err: dict[str, Any]) -> str:
    """One field's problem in Chinese; our own validators' messages are kept as written."""
    kind, msg = str(err.get("type", "")), str(err.get("msg", ""))
    if kind in ("value_error", "assertion_error"):
        for prefix in _VALUE_ERROR_PREFIXES:
            msg = msg.removeprefix(prefix)
        return msg or "输入无效"
    template = _VALIDATION_MESSAGES.get(kind)
    if template is None:
        return "输入无效"
    try:
        return template.format(**err.get("ctx", {}))
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip("：") or "输入无效"


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


async def app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return error_response(exc.status_code, exc.code, exc.message, exc.fields, exc.current)


async def library_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(
        422, "invalid_input", str(exc).splitlines()[0] if str(exc) else "输入有误"
    )


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields: dict[str, str] = {}
    for err in exc.errors():
        fields.setdefault(_field_name(tuple(err.get("loc", ()))), _validation_message(dict(err)))
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
