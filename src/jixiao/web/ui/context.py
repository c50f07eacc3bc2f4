"""Per-request state of the pages: the database session, the logged-in user and the page context.

The request is the unit of work (``jixiao.web.deps.SessionDep``): the session commits when the
route returns, before the response is sent, and rolls back on any error. Who the user is comes
from the session cookie through the users service; what they may do is decided by the services
(``scope.can`` is only used to show or hide links).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from starlette.requests import Request

from jixiao.services.errors import NotAuthenticated
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, can
from jixiao.services.types import MAX_ID
from jixiao.services.users import auth
from jixiao.settings import Settings
from jixiao.web.deps import PathId as PathId
from jixiao.web.deps import SessionDep
from jixiao.web.ui import csrf
from jixiao.web.ui.errors import LoginRequired


def ui_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DB = SessionDep
YearQuery = Annotated[int | None, Query(ge=1990, le=2200)]


def small_int(text: str | None, limit: int = MAX_ID) -> int | None:
    """A form or query value as a number when it is plain ASCII digits within ``limit``
    (a database id by default), else None: ``²``, ``1e9`` and 40-digit numbers are not ids."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(limit)):
        return None
    value = int(text)
    return value if value <= limit else None


@dataclass(frozen=True)
class Permissions:
    """Which navigation entries and buttons to show (the services still enforce everything)."""

    import_: bool
    review: bool
    admin: bool
    security: bool
    users: bool
    audit: bool
    security_audit: bool

    @classmethod
    def of(cls, user: Principal) -> Permissions:
        reviews = can(user, Action.DEPT_REVIEW) or can(user, Action.FINANCE_REVIEW)
        return cls(
            import_=can(user, Action.IMPORT),
            review=reviews,
            admin=can(user, Action.MANAGE_USERS),
            security=can(user, Action.MANAGE_SECURITY),
            users=any(
                can(user, a)
                for a in (Action.MANAGE_USERS, Action.MANAGE_SECURITY, Action.VIEW_SECURITY_AUDIT)
            ),
            audit=can(user, Action.VIEW_AUDIT) or can(user, Action.VIEW_SECURITY_AUDIT),
            security_audit=can(user, Action.VIEW_SECURITY_AUDIT),
        )


def optional_user(request: Request, db: DB) -> Principal | None:
    """The logged-in user, or None; also prepares the page context (CSRF token, links)."""
    settings = ui_settings(request)
    token = request.cookies.get(auth.SESSION_COOKIE)
    row = auth.session_row(db, token, settings) if token else None
    user = _principal(row, settings)
    if row is not None and user is not None:
        csrf_token = row.csrf_token
    else:
        csrf_token = csrf.make_token(settings.secret_key, csrf.anonymous_secret(request))
    request.state.page = {
        "user": user,
        "can": Permissions.of(user) if user else None,
        "csrf_token": csrf_token,
        "flashes": [],
    }
    return user


def _principal(row: auth.SessionRow | None, settings: Settings) -> Principal | None:
    """The user of a live session, or None (no session, or the account deactivated since)."""
    if row is None:
        return None
    try:
        return auth.session_principal(row, settings)
    except NotAuthenticated:
        return None


async def check_csrf(
    request: Request, user: Annotated[Principal | None, Depends(optional_user)]
) -> None:
    """Every unsafe request must echo the page's CSRF token."""
    await csrf.verify(request, request.state.page["csrf_token"])


def current_user(
    user: Annotated[Principal | None, Depends(optional_user)],
    _csrf: Annotated[None, Depends(check_csrf)],
) -> Principal:
    if user is None:
        raise LoginRequired
    return user


User = Annotated[Principal, Depends(current_user)]
