"""Authentication: username + password → server-side session; API bearer tokens.

Browser flow (pages)::

    result = auth.login(session, username, password, settings.session_days)
    # set cookie "jixiao_session" = result.token (HttpOnly, SameSite=Lax)
    principal = auth.principal_from_session(session, cookie_value)   # per request
    auth.logout(session, cookie_value)

Programs send ``Authorization: Bearer <token>``; :func:`principal_from_api_token` resolves it.
Only SHA-256 digests of session and API tokens are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import ApiToken, User, UserSession
from jixiao.services import audit
from jixiao.services.errors import NotAuthenticated, NotFound
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize
from jixiao.services.users.passwords import hash_password, needs_rehash, verify_password
from jixiao.services.users.schemas import LoginResult, TokenCreated, UserOut

SESSION_COOKIE = "jixiao_session"
TOKEN_USE_RESOLUTION = timedelta(hours=1)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist (equal timing)."""
    return hash_password("timing-equaliser")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with these credentials, or NotAuthenticated (same message either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(_dummy_hash(), password)
        raise NotAuthenticated("用户名或密码错误")
    if not verify_password(user.password_hash, password) or not user.active:
        raise NotAuthenticated("用户名或密码错误")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def login(session: Session, username: str, password: str, days: int = 14) -> LoginResult:
    """Check the password and open a browser session valid for ``days``."""
    user = authenticate(session, username, password)
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.expires_at <= utcnow()
        )
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=digest(token),
        csrf_token=csrf,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    audit.record(session, Principal.of(user), "user.login", ("user", user.id))
    return LoginResult(
        token=token, csrf_token=csrf, expires_at=row.expires_at, user=UserOut.model_validate(user)
    )


def logout(session: Session, token: str) -> None:
    """End the browser session of ``token`` (no error if it is already gone)."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        return
    session.delete(row)
    audit.record(session, Principal.of(user), "user.logout", ("user", user.id))


def session_row(session: Session, token: str) -> UserSession | None:
    """The live session of a cookie value (None when unknown or expired)."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def principal_from_session(session: Session, token: str) -> Principal:
    """The user of a session cookie value, or NotAuthenticated."""
    row = session_row(session, token)
    user = session.get(User, row.user_id) if row is not None else None
    if user is None or not user.active:
        raise NotAuthenticated("请先登录")
    return Principal.of(user)


def create_api_token(session: Session, actor: Principal, user_id: int, name: str) -> TokenCreated:
    """A new bearer token for ``user_id`` (管理员, or the user themself)."""
    if actor.id != user_id:
        authorize(session, actor, Action.MANAGE_USERS)
    if session.get(User, user_id) is None:
        raise NotFound("用户不存在")
    token = "jx_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=digest(token))
    session.add(row)
    session.flush()
    audit.record(session, actor, "token.create", ("api_token", row.id), after={"name": name})
    return TokenCreated(id=row.id, name=name, token=token)


def principal_from_api_token(session: Session, token: str) -> Principal:
    """The user of a bearer token, or NotAuthenticated (revoked tokens never pass)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    user = session.get(User, row.user_id) if row is not None and row.revoked_at is None else None
    if row is None or user is None or not user.active:
        raise NotAuthenticated("API 令牌无效或已撤销")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_RESOLUTION:
        row.last_used_at = now  # recorded at most once per interval: no write per request
    return Principal.of(user)


def revoke_api_token(session: Session, actor: Principal, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("令牌不存在")
    if actor.id != row.user_id:
        authorize(session, actor, Action.MANAGE_USERS)
    row.revoked_at = utcnow()
    audit.record(session, actor, "token.revoke", ("api_token", row.id))
