"""Authentication endpoints: who am I, browser login/logout, one's own password and API tokens
(create from a password or a session, list, revoke)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field
from starlette.requests import Request

from jixiao.services.principal import Principal
from jixiao.services.users import auth
from jixiao.services.users.schemas import LoginResult, TokenCreated, TokenOut, UserOut
from jixiao.services.users.service import change_own_password, get_user
from jixiao.web.deps import CurrentUser, PathId, SessionDep, SettingsDep, client_address

router = APIRouter(tags=["auth"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class TokenRequest(Credentials):
    name: str = Field("api", min_length=1, max_length=100)


class NewToken(BaseModel):
    name: str = Field("api", min_length=1, max_length=100)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200, description="须符合密码策略")


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
    """Open a browser session and set the HttpOnly session cookie (throttled; audited)."""
    address = client_address(request)
    result = auth.login(session, body.username, body.password, settings, address)
    response.set_cookie(
        auth.SESSION_COOKIE,
        result.token,
        max_age=settings.session_lifetime_hours * 3600,
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
def token_from_password(
    body: TokenRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenCreated:
    """Exchange a username and password for a new API token (shown once; throttled)."""
    address = client_address(request)
    user = auth.authenticate(session, body.username, body.password, settings, address)
    principal = Principal.of(user)
    return auth.create_api_token(session, principal, user.id, body.name, settings)


@router.put("/me/password", status_code=204)
def change_password(
    body: PasswordChange,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> Response:
    """Change one's own password (the current one is required). Every other session ends and
    every API token is revoked; the session making the change stays."""
    keep = request.cookies.get(auth.SESSION_COOKIE)
    change_own_password(
        session, user, body.current_password, body.new_password, settings, keep_session=keep
    )
    return Response(status_code=204)


@router.get("/me/tokens")
def my_tokens(session: SessionDep, user: CurrentUser) -> list[TokenOut]:
    """One's own API tokens: name, created, last used, expiry, revoked."""
    assert user.id is not None
    return auth.list_api_tokens(session, user, user.id)


@router.post("/me/tokens", status_code=201)
def new_token(
    body: NewToken, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> TokenCreated:
    assert user.id is not None
    return auth.create_api_token(session, user, user.id, body.name, settings)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: PathId, session: SessionDep, user: CurrentUser) -> Response:
    """Revoke a token (its owner, or a 安全管理员)."""
    auth.revoke_api_token(session, user, token_id)
    return Response(status_code=204)
