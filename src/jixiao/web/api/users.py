"""User accounts (管理员; every user may read and change their own)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jixiao.services.pagination import Page
from jixiao.services.users import service
from jixiao.services.users.schemas import UserCreate, UserOut, UserUpdate
from jixiao.web.deps import CurrentUser, PageDep, PathId, SessionDep

router = APIRouter(prefix="/users", tags=["users"])


class PasswordIn(BaseModel):
    password: str = Field(min_length=8, max_length=200)


@router.get("")
def list_users(page: PageDep, session: SessionDep, user: CurrentUser) -> Page[UserOut]:
    return service.list_users(session, user, page)


@router.post("", status_code=201)
def create_user(body: UserCreate, session: SessionDep, user: CurrentUser) -> UserOut:
    return service.create_user(session, user, body)


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
    user_id: PathId, body: PasswordIn, session: SessionDep, user: CurrentUser
) -> Response:
    service.set_password(session, user, user_id, body.password)
    return Response(status_code=204)
