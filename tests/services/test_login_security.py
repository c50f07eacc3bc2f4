"""网络安全等级保护 on the login: throttling per account and per address with back-off and
lockout, audit of every outcome, session idle and absolute limits (issue 10, item 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import DEFAULT_PASSWORD, World
from jixiao.db.base import utcnow
from jixiao.db.models import AuditEntry, LoginThrottle, UserSession
from jixiao.domain.enums import Role
from jixiao.services.errors import Forbidden, LoginFailed, NotAuthenticated, TooManyAttempts
from jixiao.services.principal import SYSTEM
from jixiao.services.users import auth
from jixiao.services.users.service import unlock
from jixiao.settings import Settings

ADDRESS = "192.0.2.10"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def _no_backoff(settings: Settings, **more: object) -> Settings:
    return settings.model_copy(update={"login_backoff_seconds": 0, **more})


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _fail(session: Session, username: str, settings: Settings, address: str = ADDRESS) -> None:
    with pytest.raises((LoginFailed, TooManyAttempts)):
        auth.login(session, username, "wrong-Password-0", settings, address)


def test_sixty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    session: Session, world: World, settings: Settings
) -> None:
    quick = _no_backoff(settings)
    for _ in range(60):
        _fail(session, "viewer", quick)
    with pytest.raises(TooManyAttempts) as refused:
        auth.login(session, "viewer", DEFAULT_PASSWORD, quick, ADDRESS)
    assert refused.value.status_code == 429
    assert "已锁定" in refused.value.message
    assert "30 分钟" in refused.value.message
    actions = _actions(session)
    assert actions[:5] == ["user.login_failed"] * 5
    assert actions[5] == "user.lockout"
    assert set(actions[6:]) == {"user.login_refused"}
    assert "user.login" not in actions


def test_failures_are_audited_with_the_typed_name_and_the_address(
    session: Session, world: World, settings: Settings
) -> None:
    _fail(session, "nobody", settings)
    _fail(session, "viewer", settings, "198.51.100.7")
    auth.login(session, "unit", DEFAULT_PASSWORD, settings, ADDRESS)
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.action, r.actor_id, r.actor_name) for r in rows] == [
        ("user.login_failed", None, "nobody"),
        ("user.login_failed", world.users[Role.VIEWER].id, "viewer（只读）"),
        ("user.login", world.users[Role.UNIT_EDITOR].id, "unit（单位填报）"),
    ]
    assert rows[1].after == {"username": "viewer", "address": "198.51.100.7"}
    assert rows[0].reason == "用户名或密码错误"


def test_back_off_doubles_after_the_second_failure(
    session: Session, world: World, settings: Settings
) -> None:
    _fail(session, "viewer", settings)
    auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS)  # one failure: no wait
    _fail(session, "viewer", settings)
    _fail(session, "viewer", settings)
    with pytest.raises(TooManyAttempts) as waiting:
        auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS)
    assert "请 2 秒后再试" in waiting.value.message
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == "viewer"))
    assert row is not None
    row.last_failure_at -= timedelta(seconds=2)
    _fail(session, "viewer", settings)
    with pytest.raises(TooManyAttempts) as longer:
        auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS)
    assert "请 4 秒后再试" in longer.value.message
    row.last_failure_at -= timedelta(seconds=4)
    assert auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS).user.username


def test_an_address_with_many_failures_is_locked_for_every_account(
    session: Session, world: World, settings: Settings
) -> None:
    quick = _no_backoff(settings, login_address_max_failures=4)
    for name in ("a1", "a2", "a3", "a4"):
        _fail(session, name, quick)
    with pytest.raises(TooManyAttempts) as refused:
        auth.login(session, "unit", DEFAULT_PASSWORD, quick, ADDRESS)
    assert "此地址" in refused.value.message
    assert auth.login(session, "unit", DEFAULT_PASSWORD, quick, "192.0.2.99").user.username


def test_failures_outside_the_window_are_forgotten(
    session: Session, world: World, settings: Settings
) -> None:
    quick = _no_backoff(settings)
    for _ in range(4):
        _fail(session, "viewer", quick)
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == "viewer"))
    assert row is not None
    row.last_failure_at -= timedelta(minutes=16)
    _fail(session, "viewer", quick)
    session.refresh(row)
    assert row.failures == 1
    assert row.locked_until is None


def test_usernames_are_counted_without_case_and_success_clears_the_count(
    session: Session, world: World, settings: Settings
) -> None:
    quick = _no_backoff(settings)
    for name in ("Viewer", "VIEWER", "viewer", "viewer "):
        _fail(session, name, quick)
    auth.login(session, "viewer", DEFAULT_PASSWORD, quick, ADDRESS)
    assert session.scalar(select(LoginThrottle).where(LoginThrottle.kind == "account")) is None


def test_a_lockout_ends_by_time_or_by_the_security_administrator(
    session: Session, world: World, settings: Settings
) -> None:
    quick = _no_backoff(settings)
    for _ in range(5):
        _fail(session, "viewer", quick)
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == "viewer"))
    assert row is not None
    assert row.locked_until is not None
    row.locked_until -= timedelta(minutes=30)
    assert auth.login(session, "viewer", DEFAULT_PASSWORD, quick, ADDRESS).user.username
    for _ in range(5):
        _fail(session, "viewer", quick)
    viewer_id = world.users[Role.VIEWER].id
    with pytest.raises(Forbidden, match="无权"):
        unlock(session, world.actor(Role.ADMIN), viewer_id)
    unlock(session, world.actor(Role.SECURITY_ADMIN), viewer_id)
    assert auth.login(session, "viewer", DEFAULT_PASSWORD, quick, ADDRESS).user.username
    assert "user.unlock" in _actions(session)


def test_an_idle_session_ends_and_an_active_one_is_kept_alive(
    session: Session, world: World, settings: Settings
) -> None:
    result = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS)
    row = session.scalar(select(UserSession))
    assert row is not None
    row.last_seen_at -= timedelta(minutes=29)
    assert auth.principal_from_session(session, result.token, settings).username == "viewer"
    assert row.last_seen_at > utcnow() - timedelta(minutes=1)  # the request touched it
    row.last_seen_at -= timedelta(minutes=31)
    with pytest.raises(NotAuthenticated, match="超时"):
        auth.principal_from_session(session, result.token, settings)


def test_a_session_ends_at_its_absolute_lifetime_however_active(
    session: Session, world: World, settings: Settings
) -> None:
    result = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, ADDRESS)
    row = session.scalar(select(UserSession))
    assert row is not None
    assert row.expires_at - row.created_at == timedelta(hours=12)
    row.created_at -= timedelta(hours=12)
    row.expires_at -= timedelta(hours=12)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, result.token, settings)


def test_the_system_may_unlock_from_the_command_line(
    session: Session, world: World, settings: Settings
) -> None:
    for _ in range(5):
        _fail(session, "viewer", _no_backoff(settings))
    unlock(session, SYSTEM, world.users[Role.VIEWER].id)
    assert session.scalar(select(LoginThrottle).where(LoginThrottle.kind == "account")) is None
