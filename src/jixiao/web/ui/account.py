"""我的账号: change one's own password (with the current one) and manage one's API tokens;
a 安全管理员 sees and revokes any user's tokens at ``/users/{id}/tokens``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.services.errors import ValidationFailed
from jixiao.services.users import auth
from jixiao.services.users import service as users
from jixiao.web.deps import PathId
from jixiao.web.ui.context import DB, User, ui_settings
from jixiao.web.ui.rendering import page_url, render

router = APIRouter()

DONE = {
    "password": "密码已修改。您的其他登录会话已结束，API 令牌已全部撤销。",
    "revoked": "令牌已撤销。",
}


def _policy_hint(request: Request) -> str:
    settings = ui_settings(request)
    return (
        f"至少 {settings.password_min_length} 位，包含大写字母、小写字母、数字、其他符号中的"
        f" {settings.password_min_classes} 类，不含用户名，不是常见密码"
    )


def _account_page(
    request: Request, db: DB, user: User, status_code: int = 200, **extra: Any
) -> Response:
    assert user.id is not None
    done = request.query_params.get("done", "")
    context: dict[str, Any] = {
        "nav": "account",
        "owner": users.get_user(db, user, user.id),
        "tokens": auth.list_api_tokens(db, user, user.id),
        "own": True,
        "policy": _policy_hint(request),
        "token_days": ui_settings(request).api_token_days,
        "errors": {},
        "created": None,
        "flashes": [{"kind": "ok", "text": DONE[done]}] if done in DONE else [],
    }
    context.update(extra)
    return render(request, "account/page.html", context, status_code=status_code)


@router.get("/account", name="account")
def account(request: Request, db: DB, user: User) -> Response:
    return _account_page(request, db, user)


@router.post("/account/password", name="account_password")
def change_password(
    request: Request,
    db: DB,
    user: User,
    current_password: Annotated[str, Form(max_length=400)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    password_again: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        if password != password_again:
            message = "两次输入的新密码不一致"
            raise ValidationFailed(message, fields={"password_again": message})
        users.change_own_password(
            db,
            user,
            current_password,
            password,
            ui_settings(request),
            keep_session=request.cookies.get(auth.SESSION_COOKIE),
        )
    except ValidationFailed as exc:
        db.rollback()
        errors = {**exc.fields, "_": exc.message}
        return _account_page(request, db, user, 422, errors=errors)
    return RedirectResponse(page_url(request, "account") + "?done=password", status_code=303)


@router.post("/account/tokens", name="account_token_create")
def create_token(
    request: Request,
    db: DB,
    user: User,
    name: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    assert user.id is not None
    name = name.strip()
    if not name or len(name) > 100:
        message = "请填写令牌名称（1–100 个字符），便于日后识别用途"
        return _account_page(request, db, user, 422, errors={"name": message, "_": message})
    created = auth.create_api_token(db, user, user.id, name, ui_settings(request))
    return _account_page(request, db, user, 201, created=created)


@router.post("/tokens/{token_id}/revoke", name="token_revoke")
def revoke_token(request: Request, db: DB, user: User, token_id: PathId) -> Response:
    auth.revoke_api_token(db, user, token_id)
    back = request.query_params.get("user", "")
    if back.isdigit() and int(back) != user.id:
        target = page_url(request, "user_tokens", user_id=int(back))
    else:
        target = page_url(request, "account")
    return RedirectResponse(target + "?done=revoked", status_code=303)


@router.get("/users/{user_id}/tokens", name="user_tokens")
def user_tokens(request: Request, db: DB, user: User, user_id: PathId) -> Response:
    """One user's tokens with revoke buttons (安全管理员, or the user themself)."""
    if user_id == user.id:
        return RedirectResponse(page_url(request, "account"), status_code=303)
    tokens = auth.list_api_tokens(db, user, user_id)
    done = request.query_params.get("done", "")
    context = {
        "nav": "users",
        "owner": users.get_user(db, user, user_id),
        "tokens": tokens,
        "own": False,
        "flashes": [{"kind": "ok", "text": DONE[done]}] if done in DONE else [],
    }
    return render(request, "account/tokens.html", context)
