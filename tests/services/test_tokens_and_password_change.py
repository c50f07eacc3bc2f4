"""API tokens expire, are listed and revoked; a password change asks for the current password
and ends other sessions and tokens; deactivation ends them for good (issue 10, item 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import DEFAULT_PASSWORD, World
from jixiao.db.base import utcnow
from jixiao.db.models import ApiToken, AuditEntry
from jixiao.domain.enums import Role
from jixiao.services.errors import NotAuthenticated, NotFound, ValidationFailed
from jixiao.services.principal import SYSTEM
from jixiao.services.users import auth
from jixiao.services.users.schemas import UserUpdate
from jixiao.services.users.service import change_own_password, set_password, update_user
from jixiao.settings import Settings

NEW = "Fresh-horse-42"


@pytest.fixture
def world(session: Session) -> World:
    return World(session)


def test_a_token_expires_after_the_configured_days(
    session: Session, world: World, settings: Settings
) -> None:
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    created = auth.create_api_token(session, viewer, viewer.id, "同步脚本", settings)
    lifetime = created.expires_at - utcnow()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    short = settings.model_copy(update={"api_token_days": 7})
    weekly = auth.create_api_token(session, viewer, viewer.id, "临时", short)
    assert weekly.expires_at - utcnow() <= timedelta(days=7)
    row = session.get(ApiToken, created.id)
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(NotAuthenticated, match="过期"):
        auth.principal_from_api_token(session, created.token, settings)


def test_tokens_are_listed_with_last_use_and_revoked_by_owner_or_security_admin(
    session: Session, world: World, settings: Settings
) -> None:
    viewer, unit = world.actor(Role.VIEWER), world.actor(Role.UNIT_EDITOR)
    assert viewer.id is not None
    first = auth.create_api_token(session, viewer, viewer.id, "一号", settings)
    second = auth.create_api_token(session, viewer, viewer.id, "二号", settings)
    auth.principal_from_api_token(session, first.token, settings)
    listed = auth.list_api_tokens(session, viewer, viewer.id)
    assert [(t.name, t.active, t.last_used_at is not None) for t in listed] == [
        ("二号", True, False),
        ("一号", True, True),
    ]
    assert all(not hasattr(t, "token") for t in listed)
    with pytest.raises(NotFound):
        auth.revoke_api_token(session, unit, first.id)
    with pytest.raises(NotFound):
        auth.revoke_api_token(session, world.actor(Role.ADMIN), first.id)
    auth.revoke_api_token(session, viewer, first.id)
    auth.revoke_api_token(session, world.actor(Role.SECURITY_ADMIN), second.id)
    listed = auth.list_api_tokens(session, world.actor(Role.SECURITY_ADMIN), viewer.id)
    assert [t.active for t in listed] == [False, False]
    for token in (first.token, second.token):
        with pytest.raises(NotAuthenticated):
            auth.principal_from_api_token(session, token, settings)


def test_changing_ones_password_needs_the_current_one_and_follows_the_policy(
    session: Session, world: World, settings: Settings
) -> None:
    viewer = world.actor(Role.VIEWER)
    with pytest.raises(ValidationFailed) as wrong:
        change_own_password(session, viewer, "not-the-password-1", NEW, settings)
    assert wrong.value.fields == {"current_password": "当前密码不正确"}
    with pytest.raises(ValidationFailed, match="3 类"):
        change_own_password(session, viewer, DEFAULT_PASSWORD, "12345678", settings)
    with pytest.raises(ValidationFailed, match="相同"):
        change_own_password(session, viewer, DEFAULT_PASSWORD, DEFAULT_PASSWORD, settings)
    change_own_password(session, viewer, DEFAULT_PASSWORD, NEW, settings)
    assert auth.login(session, "viewer", NEW, settings, None).user.username == "viewer"
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.password")).all()
    assert [a.reason for a in audit] == ["本人修改密码"]


def test_a_password_change_ends_other_sessions_and_every_token(
    session: Session, world: World, settings: Settings
) -> None:
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    here = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, None)
    elsewhere = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, None)
    token = auth.create_api_token(session, viewer, viewer.id, "脚本", settings)
    change_own_password(session, viewer, DEFAULT_PASSWORD, NEW, settings, keep_session=here.token)
    assert auth.principal_from_session(session, here.token, settings).username == "viewer"
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, elsewhere.token, settings)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_api_token(session, token.token, settings)


def test_a_reset_by_the_administrator_ends_every_session_and_token(
    session: Session, world: World, settings: Settings
) -> None:
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    opened = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, None)
    token = auth.create_api_token(session, viewer, viewer.id, "脚本", settings)
    set_password(session, world.actor(Role.ADMIN), viewer.id, NEW, settings)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, opened.token, settings)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_api_token(session, token.token, settings)


def test_deactivation_ends_sessions_and_tokens_and_reactivation_revives_neither(
    session: Session, world: World, settings: Settings
) -> None:
    viewer = world.actor(Role.VIEWER)
    assert viewer.id is not None
    opened = auth.login(session, "viewer", DEFAULT_PASSWORD, settings, None)
    token = auth.create_api_token(session, viewer, viewer.id, "脚本", settings)
    update_user(session, SYSTEM, viewer.id, UserUpdate(active=False))
    update_user(session, SYSTEM, viewer.id, UserUpdate(active=True))
    with pytest.raises(NotAuthenticated):
        auth.principal_from_session(session, opened.token, settings)
    with pytest.raises(NotAuthenticated):
        auth.principal_from_api_token(session, token.token, settings)
    assert auth.login(session, "viewer", DEFAULT_PASSWORD, settings, None).user.active
