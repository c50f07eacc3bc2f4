"""Authentication: username + password → server-side session; API bearer tokens.

Browser flow (pages)::

    result = auth.login(session, username, password, settings, address=client_ip)
    # set cookie "jixiao_session" = result.token (HttpOnly, SameSite=Lax)
    principal = auth.principal_from_session(session, cookie_value, settings)   # per request
    auth.logout(session, cookie_value)

Programs send ``Authorization: Bearer <token>``; :func:`principal_from_api_token` resolves it.
Only SHA-256 digests of session and API tokens are stored.

网络安全等级保护 (GB/T 22239-2019) as configured in the settings: failed logins are throttled
(:mod:`~jixiao.services.users.throttle`) and audited like successful ones; a session ends after
``session_idle_minutes`` without a request and ``session_lifetime_hours`` after the login; API
tokens expire after ``api_token_days``. A password change ends the user's other sessions and
revokes their tokens; so does deactivation (reactivating revives neither).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import ApiToken, User, UserSession
from jixiao.services import audit
from jixiao.services.errors import LoginFailed, NotAuthenticated, NotFound, TooManyAttempts
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize_self_or, may_self_or
from jixiao.services.users import throttle
from jixiao.services.users.passwords import hash_password, needs_rehash, verify_password
from jixiao.services.users.schemas import LoginResult, TokenCreated, TokenOut, UserOut
from jixiao.settings import Settings

SESSION_COOKIE = "jixiao_session"
TOKEN_USE_RESOLUTION = timedelta(hours=1)
# A session's last activity is written at most once per this interval (not on every request).
SESSION_TOUCH_RESOLUTION = timedelta(minutes=1)
WRONG_CREDENTIALS = "用户名或密码错误"


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist (equal timing)."""
    return hash_password("timing-equaliser")


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _event(
    session: Session,
    action: str,
    username: str,
    user: User | None,
    address: str | None,
    reason: str | None = None,
) -> None:
    after = {"username": username[:64], "address": address}
    name = Principal.of(user).label if user is not None else username[:64]
    audit.record_security_event(
        session,
        action,
        user_id=user.id if user is not None else None,
        actor_name=name,
        after=after,
        reason=reason,
    )


def authenticate(
    session: Session, username: str, password: str, settings: Settings, address: str | None
) -> User:
    """The active user with these credentials, after the throttle allowed the attempt.

    Every refusal is audited and counted; the message never says whether the account exists.
    """
    now = utcnow()
    user = session.scalar(select(User).where(User.username == username))
    try:
        throttle.check(session, username, address, settings, now)
    except TooManyAttempts as exc:
        _event(session, "user.login_refused", username, user, address, exc.message)
        raise
    if user is None:
        verify_password(_dummy_hash(), password)
    ok = user is not None and verify_password(user.password_hash, password) and user.active
    if user is None or not ok:
        reason = "账号已停用" if user is not None and not user.active else WRONG_CREDENTIALS
        _event(session, "user.login_failed", username, user, address, reason)
        outcome = throttle.record_failure(session, username, address, settings, now)
        if outcome.account_locked:
            _event(session, "user.lockout", username, user, address, "连续登录失败，账号锁定")
        if outcome.address_locked:
            _event(session, "user.lockout", username, user, address, "登录失败过多，地址锁定")
        raise LoginFailed(WRONG_CREDENTIALS)
    throttle.clear_account(session, username)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def login(
    session: Session, username: str, password: str, settings: Settings, address: str | None
) -> LoginResult:
    """Check the password and open a browser session (idle and absolute limits per settings)."""
    user = authenticate(session, username, password, settings, address)
    now = utcnow()
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=digest(token),
        csrf_token=csrf,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_lifetime_hours),
    )
    session.add(row)
    session.flush()
    _event(session, "user.login", username, user, address)
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


def _expired(row: UserSession, settings: Settings, now: datetime) -> bool:
    idle = timedelta(minutes=settings.session_idle_minutes)
    return row.expires_at <= now or now - row.last_seen_at > idle


SessionRow = UserSession  # what ``session_row`` gives the web layer (csrf_token, user_id)


def session_row(session: Session, token: str, settings: Settings) -> SessionRow | None:
    """The live session of a cookie value, its activity noted (None when unknown or expired).

    Its user is read in the same query, so ``session_principal`` then asks nothing more."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == digest(token)))
    now = utcnow()
    if row is None or _expired(row, settings, now):
        return None
    if now - row.last_seen_at > SESSION_TOUCH_RESOLUTION:
        row.last_seen_at = now
    return row


def session_principal(row: SessionRow | None, settings: Settings) -> Principal:
    """The user of a live session row (``session_row``), or NotAuthenticated."""
    user = row.user if row is not None else None
    if user is None or not user.active:
        raise NotAuthenticated("请先登录（会话不存在、已超时或已结束）")
    return Principal.of(user, admin_may_review=settings.admin_may_review)


def principal_from_session(session: Session, token: str, settings: Settings) -> Principal:
    """The user of a session cookie value, or NotAuthenticated."""
    return session_principal(session_row(session, token, settings), settings)


def end_sessions_and_tokens(session: Session, user_id: int, keep_token: str | None = None) -> int:
    """End every browser session of the user (except ``keep_token``'s) and revoke their API
    tokens: after a password change or a deactivation nothing opened before stays usable."""
    stmt = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token is not None:
        stmt = stmt.where(UserSession.token_hash != digest(keep_token))
    ended = session.execute(stmt)
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(ended, "rowcount", 0) or 0)


def create_api_token(
    session: Session, actor: Principal, user_id: int, name: str, settings: Settings
) -> TokenCreated:
    """A new bearer token for ``user_id`` (the user themself, or a 系统管理员), expiring after
    ``api_token_days``."""
    authorize_self_or(session, actor, user_id, Action.MANAGE_USERS)
    if session.get(User, user_id) is None:
        raise NotFound("用户不存在")
    token = "jx_" + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=settings.api_token_days)
    row = ApiToken(user_id=user_id, name=name, token_hash=digest(token), expires_at=expires)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "token.create",
        ("api_token", row.id),
        after={"name": name, "user_id": user_id, "expires_at": expires.isoformat()},
    )
    return TokenCreated(id=row.id, name=name, token=token, expires_at=expires)


def list_api_tokens(session: Session, actor: Principal, user_id: int) -> list[TokenOut]:
    """The user's tokens, newest first (the user themself, or a 安全管理员)."""
    authorize_self_or(session, actor, user_id, Action.MANAGE_SECURITY)
    if session.get(User, user_id) is None:
        raise NotFound("用户不存在")
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    ).all()
    now = utcnow()
    return [TokenOut.of(row, now) for row in rows]


def principal_from_api_token(session: Session, token: str, settings: Settings) -> Principal:
    """The user of a bearer token, or NotAuthenticated (revoked or expired tokens never pass)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    now = utcnow()
    live = row is not None and row.revoked_at is None and row.expires_at > now
    user = session.get(User, row.user_id) if row is not None and live else None
    if row is None or user is None or not user.active:
        raise NotAuthenticated("API 令牌无效、已过期或已撤销")
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_RESOLUTION:
        row.last_used_at = now  # recorded at most once per interval: no write per request
    return Principal.of(user, admin_may_review=settings.admin_may_review)


def revoke_api_token(session: Session, actor: Principal, token_id: int) -> None:
    """Revoke a token (its owner, or a 安全管理员); revoking twice is harmless."""
    row = session.get(ApiToken, token_id)
    if row is None or not may_self_or(actor, row.user_id, Action.MANAGE_SECURITY):
        raise NotFound("令牌不存在")
    if row.revoked_at is not None:
        return
    row.revoked_at = utcnow()
    audit.record(
        session, actor, "token.revoke", ("api_token", row.id), after={"user_id": row.user_id}
    )
