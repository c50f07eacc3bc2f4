"""用户管理: the 管理员 creates accounts and changes role / organisation / state / password; the
安全管理员 sees lockouts and unlocks, and reaches each user's API tokens; the 审计管理员 reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jixiao.domain.enums import Role
from jixiao.services.errors import AppError
from jixiao.services.orgs import service as orgs
from jixiao.services.pagination import PageParams
from jixiao.services.users import service as users
from jixiao.services.users.schemas import UserCreate, UserUpdate
from jixiao.web.ui.context import DB, PathId, User, small_int, ui_settings
from jixiao.web.ui.rendering import render

router = APIRouter()

PAGE_SIZE = 100
FIELD_LABELS = {"username": "用户名", "password": "密码", "display_name": "姓名", "role": "角色"}
DONE = {
    "created": "用户已创建。",
    "updated": "用户已更新。",
    "password": "密码已重置，该用户的登录会话已结束、API 令牌已撤销。",
    "unlocked": "已解除登录锁定。",
}


def _org_id(value: str) -> int | None:
    return small_int(value) or None


def _page(
    request: Request, db: DB, user: User, page: int, status_code: int = 200, **extra: Any
) -> Response:
    result = users.list_users(db, user, PageParams(page=page, size=PAGE_SIZE))
    org_list = orgs.list_orgs(db, user)
    done = request.query_params.get("done", "")
    settings = ui_settings(request)
    context = {
        "nav": "users",
        "result": result,
        "locked": users.locked_until(db),
        "password_hint": f"新密码（至少 {settings.password_min_length} 位，"
        f"{settings.password_min_classes} 类字符）",
        "orgs": org_list,
        "org_names": {o.id: o.name for o in org_list},
        "roles": list(Role),
        "new": {},
        "errors": {},
        "flashes": [{"kind": "ok", "text": DONE[done]}] if done in DONE else [],
    }
    context.update(extra)
    return render(request, "users/list.html", context, status_code=status_code)


@router.get("/users", name="user_list")
def user_list(
    request: Request, db: DB, user: User, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    return _page(request, db, user, page)


def _pydantic_errors(exc: ValidationError) -> dict[str, str]:
    out = {}
    for err in exc.errors():
        key = str(err["loc"][0]) if err["loc"] else "_"
        out[key] = f"{FIELD_LABELS.get(key, key)}不符合要求"
    if "username" in out:
        out["username"] = "用户名须为 2–64 位字母、数字、点、下划线或连字符"
    if "password" in out:
        out["password"] = "请填写密码"
    return out


@router.post("/users", name="user_create")
def user_create(
    request: Request,
    db: DB,
    user: User,
    username: Annotated[str, Form(max_length=200)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    role: Annotated[str, Form(max_length=40)] = "",
    org_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    new = {"username": username, "display_name": display_name, "role": role, "org_id": org_id}
    try:
        data = UserCreate(
            username=username.strip(),
            password=password,
            role=Role(role) if role in {r.value for r in Role} else Role.VIEWER,
            display_name=display_name.strip() or None,
            org_id=_org_id(org_id),
        )
        users.create_user(db, user, data, ui_settings(request))
    except ValidationError as exc:
        return _page(request, db, user, 1, 422, new=new, errors=_pydantic_errors(exc))
    except AppError as exc:
        db.rollback()
        errors = {**exc.fields, "_": exc.message}
        return _page(request, db, user, 1, exc.status_code, new=new, errors=errors)
    return RedirectResponse("/users?done=created", status_code=303)


@router.post("/users/{user_id}", name="user_update")
def user_update(
    request: Request,
    db: DB,
    user: User,
    user_id: PathId,
    role: Annotated[str, Form(max_length=40)] = "",
    org_id: Annotated[str, Form(max_length=12)] = "",
    active: Annotated[str, Form(max_length=5)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        if password:
            users.set_password(db, user, user_id, password, ui_settings(request))
            return RedirectResponse("/users?done=password", status_code=303)
        update = UserUpdate(
            role=Role(role) if role in {r.value for r in Role} else None,
            org_id=_org_id(org_id),
            active=active == "1",
        )
        users.update_user(db, user, user_id, update)
    except AppError as exc:
        db.rollback()
        errors = {"_": exc.message, "row": str(user_id)}
        return _page(request, db, user, 1, exc.status_code, errors=errors)
    return RedirectResponse("/users?done=updated", status_code=303)


@router.post("/users/{user_id}/unlock", name="user_unlock")
def user_unlock(request: Request, db: DB, user: User, user_id: PathId) -> Response:
    users.unlock(db, user, user_id)
    return RedirectResponse("/users?done=unlocked", status_code=303)
