"""User accounts: managed by the 管理员; tokens and lockouts by the 安全管理员 (every user reads
their own account; they change their own password at ``PUT /me/password``)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jixiao.services.pagination import Page
from jixiao.services.users import auth, service
from jixiao.services.users.schemas import TokenOut, UserCreate, UserOut, UserUpdate
from jixiao.web.deps import CurrentUser, PageDep, PathId, SessionDep, SettingsDep

router = APIRouter(prefix="/users", tags=["users"])


class PasswordIn(BaseModel):
    password: str = Field(min_length=1, max_length=200, description="须符合密码策略")


@router.get("")
def list_users(page: PageDep, session: SessionDep, user: CurrentUser) -> Page[UserOut]:
    return service.list_users(session, user, page)


@router.post("", status_code=201)
def create_user(
    body: UserCreate, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> UserOut:
    return service.create_user(session, user, body, settings)


@router.get("/{user_id}")
def get_user(user_id: PathId, session: SessionDep, user: CurrentUser) -> UserOut:
    return service.get_user(session, user, user_id)


@router.patch("/{user_id}")
def update_user(
    user_id: PathId, body: UserUpdate, session: SessionDep, user: CurrentUser
) -> UserOut:
    return service.update_user(session, user, user_id, body)


@router.put("/{user_id}/password", status_code=204)
def set_password(
    user_id: PathId,
    body: PasswordIn,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> Response:
    """Reset another account's password (管理员): its sessions end, its tokens are revoked."""
    service.set_password(session, user, user_id, body.password, settings)
    return Response(status_code=204)


@router.get("/{user_id}/tokens")
def list_tokens(user_id: PathId, session: SessionDep, user: CurrentUser) -> list[TokenOut]:
    """A user's API tokens (the user themself, or a 安全管理员)."""
    return auth.list_api_tokens(session, user, user_id)


@router.post("/{user_id}/unlock", status_code=204)
def unlock(user_id: PathId, session: SessionDep, user: CurrentUser) -> Response:
    """Lift a login lockout before it runs out (安全管理员)."""
    service.unlock(session, user, user_id)
    return Response(status_code=204)
