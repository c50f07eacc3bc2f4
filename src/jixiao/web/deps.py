"""Request dependencies of the JSON API as ``Annotated`` aliases.

* ``SessionDep`` — the unit of work: commits when the endpoint returns (before the response is
  sent), rolls back on any error (except an ``AppError`` with ``keeps_writes``: a failed login's
  counter and audit entry are kept).
* ``CurrentUser`` — the Principal from ``Authorization: Bearer <token>`` or the session cookie.
* ``PageDep`` — ``?page=&size=`` bounded by the settings.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Query
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from jixiao.services.errors import AppError, Forbidden, NotAuthenticated
from jixiao.services.pagination import PageParams
from jixiao.services.principal import Principal
from jixiao.services.types import MAX_ID
from jixiao.services.users import auth
from jixiao.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    with factory() as session:
        try:
            yield session
            session.commit()
        except AppError as exc:
            if exc.keeps_writes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def client_address(request: Request) -> str | None:
    """The client's IP address (as the server saw it, after any trusted proxy headers)."""
    return request.client.host if request.client else None


def current_user(request: Request, session: SessionDep, settings: SettingsDep) -> Principal:
    """Bearer token first, then the browser session cookie; 401 otherwise."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return auth.principal_from_api_token(session, token.strip(), settings)
    cookie = request.cookies.get(auth.SESSION_COOKIE)
    if cookie:
        row = auth.session_row(session, cookie, settings)
        principal = auth.session_principal(row, settings)
        if request.method not in SAFE_METHODS:
            _check_csrf(request, row)
        return principal
    raise NotAuthenticated("请先登录，或在 Authorization 头中提供 Bearer 令牌")


def _check_csrf(request: Request, row: auth.SessionRow | None) -> None:
    sent = request.headers.get("x-csrf-token", "")
    if row is None or not secrets.compare_digest(sent, row.csrf_token):
        raise Forbidden("缺少或错误的 X-CSRF-Token（使用会话 Cookie 调用接口时必需）")


CurrentUser = Annotated[Principal, Depends(current_user)]


def page_params(
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="页码，从 1 开始")] = 1,
    size: Annotated[int, Query(ge=1, le=500, description="每页条数")] = 50,
) -> PageParams:
    return PageParams(page=page, size=min(size, settings.page_size_max))


PageDep = Annotated[PageParams, Depends(page_params)]


PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
