"""Authentication endpoints: who am I, API tokens from a password, browser login/logout."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from starlette.requests import Request

from jixiao.services.principal import Principal
from jixiao.services.users import auth
from jixiao.services.users.schemas import LoginResult, TokenCreated, UserOut
from jixiao.services.users.service import get_user
from jixiao.web.deps import CurrentUser, SessionDep, SettingsDep

router = APIRouter(tags=["auth"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenRequest(Credentials):
    name: str = Field("api", min_length=1, max_length=100)


class NewToken(BaseModel):
    name: str = Field("api", min_length=1, max_length=100)


@router.get("/me")
def me(session: SessionDep, user: CurrentUser) -> UserOut:
    assert user.id is not None
    return get_user(session, user, user.id)


@router.post("/auth/login")
def login(
    body: Credentials,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
) -> LoginResult:
    """Open a browser session and set the HttpOnly session cookie (``Secure`` over https)."""
    result = auth.login(session, body.username, body.password, settings.session_days)
    response.set_cookie(
        auth.SESSION_COOKIE,
        result.token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return result


@router.post("/auth/logout", status_code=204)
def logout(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    token = request.cookies.get(auth.SESSION_COOKIE)
    if token:
        auth.logout(session, token)
    response = Response(status_code=204)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.post("/auth/token", status_code=201)
def token_from_password(body: TokenRequest, session: SessionDep) -> TokenCreated:
    """Exchange a username and password for a new API token (shown once)."""
    user = auth.authenticate(session, body.username, body.password)
    principal = Principal.of(user)
    return auth.create_api_token(session, principal, user.id, body.name)


@router.post("/me/tokens", status_code=201)
def new_token(body: NewToken, session: SessionDep, user: CurrentUser) -> TokenCreated:
    assert user.id is not None
    return auth.create_api_token(session, user, user.id, body.name)
