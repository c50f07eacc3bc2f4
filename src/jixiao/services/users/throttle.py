"""Login throttling (网络安全等级保护 登录失败处理): back-off and lockout per account and address.

* Account (the submitted username, lower-cased, whether it exists or not — so a lockout says
  nothing about which accounts exist): after the 2nd consecutive failure the next attempt must
  wait ``login_backoff_seconds``, doubling with every further failure; at
  ``login_max_failures`` the account is locked for ``login_lockout_minutes``.
* Address (the client's IP): at ``login_address_max_failures`` failures the address may not
  log in to any account for ``login_lockout_minutes``.
* Failures older than ``login_failure_window_minutes`` are forgotten; a successful login clears
  the account's count (not the address's).

The counters live in the ``login_throttles`` table and are incremented by one upsert, so several
server workers (and a restarted server) share them and concurrent failures are all counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jixiao.db.models import LoginThrottle
from jixiao.services.errors import TooManyAttempts
from jixiao.settings import Settings

ACCOUNT = "account"
ADDRESS = "address"
KEY_LENGTH = 128


def account_key(username: str) -> str:
    return username.strip().lower()[:KEY_LENGTH]


def _row(session: Session, kind: str, key: str) -> LoginThrottle | None:
    return session.scalar(
        select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
    )


def _wait_message(until: datetime, now: datetime, what: str) -> str:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    if seconds <= 120:
        return f"{what}登录失败次数过多，请 {seconds} 秒后再试"
    minutes = math.ceil(seconds / 60)
    return f"{what}登录失败次数过多，已锁定，请 {minutes} 分钟后再试或联系安全管理员解锁"


def _backoff_until(row: LoginThrottle, settings: Settings) -> datetime | None:
    if settings.login_backoff_seconds <= 0 or row.failures < 2:
        return None
    delay = settings.login_backoff_seconds * 2 ** min(row.failures - 2, 20)
    return row.last_failure_at + timedelta(seconds=delay)


def check(
    session: Session, username: str, address: str | None, settings: Settings, now: datetime
) -> None:
    """Raise TooManyAttempts while the account or the address is locked or backing off."""
    if address:
        row = _row(session, ADDRESS, address[:KEY_LENGTH])
        if row is not None and row.locked_until is not None and row.locked_until > now:
            raise TooManyAttempts(_wait_message(row.locked_until, now, "此地址"))
    row = _row(session, ACCOUNT, account_key(username))
    if row is None:
        return
    if row.locked_until is not None and row.locked_until > now:
        raise TooManyAttempts(_wait_message(row.locked_until, now, "此账号"))
    window_start = now - timedelta(minutes=settings.login_failure_window_minutes)
    backoff = _backoff_until(row, settings)
    if backoff is not None and row.last_failure_at >= window_start and backoff > now:
        raise TooManyAttempts(_wait_message(backoff, now, "此账号"))


@dataclass(frozen=True)
class FailureOutcome:
    """What one failure caused: which counters reached their limit and were locked."""

    account_locked: bool
    address_locked: bool


def _count(
    session: Session, kind: str, key: str, now: datetime, window_start: datetime
) -> LoginThrottle:
    """Add one failure to the counter (kind, key) in one statement; the updated row."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = insert(LoginThrottle).values(kind=kind, key=key, failures=1, last_failure_at=now)
    stmt = values.on_conflict_do_update(
        index_elements=[LoginThrottle.kind, LoginThrottle.key],
        set_={
            "failures": case(
                (LoginThrottle.last_failure_at < window_start, 1),
                else_=LoginThrottle.failures + 1,
            ),
            "last_failure_at": now,
        },
    ).returning(LoginThrottle.id)
    row_id = session.execute(stmt).scalar_one()
    row = session.get(LoginThrottle, row_id, populate_existing=True)
    assert row is not None
    return row


def record_failure(
    session: Session, username: str, address: str | None, settings: Settings, now: datetime
) -> FailureOutcome:
    """Count a failed login against the account and the address; lock what reached its limit."""
    window_start = now - timedelta(minutes=settings.login_failure_window_minutes)
    until = now + timedelta(minutes=settings.login_lockout_minutes)
    account = _count(session, ACCOUNT, account_key(username), now, window_start)
    account_locked = account.failures >= settings.login_max_failures
    if account_locked:
        account.locked_until, account.failures = until, 0
    address_locked = False
    if address:
        row = _count(session, ADDRESS, address[:KEY_LENGTH], now, window_start)
        address_locked = row.failures >= settings.login_address_max_failures
        if address_locked:
            row.locked_until, row.failures = until, 0
    session.flush()
    return FailureOutcome(account_locked, address_locked)


def clear_account(session: Session, username: str) -> bool:
    """Forget the account's failures and lockout; True when there was something to forget."""
    result = session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.kind == ACCOUNT, LoginThrottle.key == account_key(username)
        )
    )
    return bool(getattr(result, "rowcount", 0))


def locked_accounts(session: Session, now: datetime) -> dict[str, datetime]:
    """Account key → end of its lockout, for every account locked now."""
    rows = session.execute(
        select(LoginThrottle.key, LoginThrottle.locked_until).where(
            LoginThrottle.kind == ACCOUNT, LoginThrottle.locked_until > now
        )
    ).all()
    return {str(key): until for key, until in rows if until is not None}
