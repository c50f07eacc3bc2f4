"""How the pages show errors: a full page, or a toast fragment for HTMX requests."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.errors import AppError, NotAuthenticated
from jixiao.web.ui.csrf import CsrfFailed
from jixiao.web.ui.rendering import is_htmx, page_url, render, toast

TITLES = {
    400: "请求有误",
    401: "请先登录",
    403: "没有权限",
    404: "未找到",
    405: "不支持的操作",
    409: "数据已变化",
    413: "文件过大",
    422: "输入有误",
    503: "暂时无法服务",
}


PARAM_LABELS = {
    "page": "页码",
    "year": "年度",
    "month": "月份",
    "end_month": "截止月份",
    "project_id": "项目编号",
    "indicator_id": "指标编号",
    "finding_id": "问题编号",
    "user_id": "用户编号",
}

PROBLEMS = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "greater_than_equal": "超出允许范围",
    "less_than_equal": "超出允许范围",
    "greater_than": "超出允许范围",
    "less_than": "超出允许范围",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "missing": "缺失",
}


log = logging.getLogger(__name__)


class LoginRequired(Exception):
    """The page needs a logged-in user; send the browser to the login page."""


def show_error(request: Request, status: int, message: str) -> Response:
    if is_htmx(request):
        return toast(request, message, "error", status_code=status)
    title = TITLES.get(status, "出错了")
    context = {"title": title, "message": message}
    return render(request, "errors/error.html", context, status_code=status)


async def _login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = page_url(request, "login_form") + "?" + urlencode({"next": target})
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": login})
    return RedirectResponse(login, status_code=303)


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    return show_error(request, 403, "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试。")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "出错了")
    if exc.status_code == 404 and detail == "Not Found":
        detail = "您要找的页面不存在或已被删除。"
    if exc.status_code == 405 and detail == "Method Not Allowed":
        detail = "此页面不支持该操作。"
    return show_error(request, exc.status_code, detail)


def _param_problem(err: dict[str, Any]) -> str:
    """One Chinese phrase for one invalid parameter, e.g. “页码（page）应为整数”."""
    loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body", "header")]
    name = ".".join(loc) or "请求"
    label = f"{PARAM_LABELS[name]}（{name}）" if name in PARAM_LABELS else name
    return label + PROBLEMS.get(str(err.get("type")), "无效")


async def _validation_error(request: Request, exc: Exception) -> Response:
    """A malformed query, path or form value: a Chinese page (or toast), never JSON.

    A path that cannot name anything (``/projects/abc``) is a missing page, hence 404.
    """
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if errors and all(err.get("loc", ("",))[0] == "path" for err in errors):
        return show_error(request, 404, "您要找的页面不存在或已被删除。")
    problems = "；".join(dict.fromkeys(_param_problem(err) for err in errors))
    return show_error(request, 422, f"请求参数有误：{problems or '无法识别'}。")


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if isinstance(exc, NotAuthenticated):
        return await _login_required(request, exc)
    return show_error(request, exc.status_code, exc.message)


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database error on %s %s: %s", request.method, request.url.path, exc)
    return show_error(request, 503, "数据库暂时不可用，请稍后重试；如问题持续，请联系管理员。")


async def _unexpected(request: Request, exc: Exception) -> Response:
    return show_error(request, 500, "系统内部错误，请稍后重试；如问题持续，请联系管理员。")


def install(app: FastAPI) -> None:
    """Register the page error handlers on the UI app."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfFailed, _csrf_failed)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
