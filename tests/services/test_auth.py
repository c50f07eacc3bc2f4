"""Accounts: argon2 passwords, browser sessions, API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import World
from jixiao.db.models import ApiToken, AuditEntry, User, UserSession
from jixiao.domain.enums import Role
from jixiao.services.errors import Conflict, Forbidden, NotAuthenticated, ValidationFailed
from jixiao.services.principal import SYSTEM
from jixiao.services.users import auth
from jixiao.services.users.schemas import UserCreate, UserUpdate
from jixiao.services.users.service import create_user, set_password, update_user
from jixiao.settings import Settings


def test_passwords_are_argon2_and_login_opens_a_session(
    session: Session, settings: Settings
) -> None:
    created = create_user(
        session,
        SYSTEM,
        UserCreate(username="wang", password="s3cret-pass", role=Role.VIEWER),
        settings,
    )
    row = session.get(User, created.id)
    assert row is not None
    assert row.password_hash.startswith("$argon2id$")
    with pytest.raises(NotAuthenticated):
        auth.login(session, "wang", "wrong-pass", settings, "10.0.0.1")
    with pytest.raises(NotAuthenticated):
        auth.login(session, "nobody", "s3cret-pass", settings, "10.0.0.1")
    result = auth.login(session, "wang", "s3cret-pass", settings, "10.0.0.1")
    stored = session.scalar(select(UserSession))
    assert stored is not None
    assert stored.token_hash != result.token
    assert auth.principal_from_session(session, result.token, settings).username == "wang"
    auth.logout(session, result.token)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, result.token, settings)
    auth.logout(session, result.token)
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        "user.create",
        "user.login_failed",
        "user.login_failed",
        "user.login",
        "user.logout",
    ]


def test_expired_session_and_inactive_user_are_refused(
    session: Session, settings: Settings
) -> None:
    create_user(
        session,
        SYSTEM,
        UserCreate(username="li", password="s3cret-pass", role=Role.VIEWER),
        settings,
    )
    result = auth.login(session, "li", "s3cret-pass", settings, None)
    row = auth.session_row(session, result.token, settings)
    assert row is not None
    row.expires_at = row.expires_at - timedelta(days=30)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, result.token, settings)
    user = session.scalar(select(User).where(User.username == "li"))
    assert user is not None
    update_user(session, SYSTEM, user.id, UserUpdate(active=False))
    with pytest.raises(NotAuthenticated):
        auth.login(session, "li", "s3cret-pass", settings, None)


def test_api_tokens_are_hashed_and_revocable(session: Session, settings: Settings) -> None:
    world = World(session)
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    created = auth.create_api_token(session, viewer, viewer.id, "脚本", settings)
    stored = session.get(ApiToken, created.id)
    assert stored is not None
    assert created.token not in stored.token_hash
    assert stored.last_used_at is None
    assert auth.principal_from_api_token(session, created.token, settings).username == "viewer"
    assert stored.last_used_at is not None
    with pytest.raises(Forbidden):
        auth.create_api_token(session, viewer, world.users[Role.ADMIN].id, "x", settings)
    auth.revoke_api_token(session, viewer, created.id)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_api_token(session, created.token, settings)


def test_user_rules(session: Session, settings: Settings) -> None:
    world = World(session)
    data = UserCreate(username="viewer", password="s3cret-pass", role=Role.VIEWER)
    with pytest.raises(Conflict):
        create_user(session, SYSTEM, data, settings)
    unit = UserCreate(username="u2", password="s3cret-pass", role=Role.UNIT_EDITOR)
    with pytest.raises(ValidationFailed):
        create_user(session, SYSTEM, unit, settings)
    dept_at_unit = UserCreate(
        username="d2", password="s3cret-pass", role=Role.DEPT_REVIEWER, org_id=world.unit_a.id
    )
    with pytest.raises(ValidationFailed):
        create_user(session, SYSTEM, dept_at_unit, settings)
    with pytest.raises(Forbidden):
        create_user(session, world.actor(Role.FINANCE_REVIEWER), data, settings)
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    with pytest.raises(Forbidden):
        set_password(session, viewer, viewer.id, "Another-pass-1", settings)
    with pytest.raises(Forbidden):
        set_password(session, viewer, world.users[Role.ADMIN].id, "Another-pass-1", settings)
    set_password(session, world.actor(Role.ADMIN), viewer.id, "Another-pass-1", settings)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    session: Session, settings: Settings
) -> None:
    world = World(session)
    admin = world.users[Role.ADMIN]
    for change in (UserUpdate(role=Role.VIEWER), UserUpdate(active=False)):
        with pytest.raises(Conflict):
            update_user(session, world.actor(Role.ADMIN), admin.id, change)
    assert session.get(User, admin.id).role is Role.ADMIN  # type: ignore[union-attr]
    second = create_user(
        session,
        SYSTEM,
        UserCreate(username="admin2", password="s3cret-pass", role=Role.ADMIN),
        settings,
    )
    update_user(session, world.actor(Role.ADMIN), admin.id, UserUpdate(active=False))
    with pytest.raises(Conflict):
        update_user(session, SYSTEM, second.id, UserUpdate(role=Role.VIEWER))
