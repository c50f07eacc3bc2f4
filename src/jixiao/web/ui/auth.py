"""登录 / 退出: username + password → server-side session in an HttpOnly cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.errors import NotAuthenticated, TooManyAttempts
from jixiao.services.principal import Principal
from jixiao.services.users import auth
from jixiao.web.deps import client_address
from jixiao.web.ui.context import DB, User, check_csrf, optional_user, ui_settings
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths may be redirect targets after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", name="login_form")
def login_form(
    request: Request,
    user: Annotated[Principal | None, Depends(optional_user)],
    next: str = "/",
) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "username": ""})


@router.post("/login", name="login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    db: DB,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    settings = ui_settings(request)
    try:
        result = auth.login(db, username.strip(), password, settings, client_address(request))
    except (NotAuthenticated, TooManyAttempts) as exc:
        context = {"error": exc.message, "next": _safe_next(next), "username": username}
        return render(request, "auth/login.html", context, status_code=exc.status_code)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        auth.SESSION_COOKIE,
        result.token,
        max_age=settings.session_lifetime_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout", name="logout")
def logout(request: Request, db: DB, user: User) -> Response:
    token = request.cookies.get(auth.SESSION_COOKIE)
    if token:
        auth.logout(db, token)
    response = RedirectResponse(page_url(request, "login_form"), status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response
