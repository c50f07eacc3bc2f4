"""Account use-cases: create users, change roles and passwords (管理员), change one's own
password (every user, with the current one), unlock a locked account (安全管理员).

Every password set passes :func:`~jixiao.services.users.password_policy.check_password`. A new
password, a reset and a deactivation end the account's sessions and revoke its API tokens.
The CLI acts as :data:`~jixiao.services.principal.SYSTEM`, which may do everything.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import Organisation, User
from jixiao.domain.enums import OrgKind, Role
from jixiao.services import audit
from jixiao.services.errors import Conflict, NotFound, ValidationFailed
from jixiao.services.pagination import Page, PageParams
from jixiao.services.principal import Principal
from jixiao.services.scope import (
    Action,
    authorize,
    authorize_any,
    authorize_password_reset,
    authorize_self_or,
)
from jixiao.services.users import throttle
from jixiao.services.users.auth import end_sessions_and_tokens
from jixiao.services.users.password_policy import check_password
from jixiao.services.users.passwords import hash_password, verify_password
from jixiao.services.users.schemas import UserCreate, UserOut, UserUpdate
from jixiao.settings import Settings

# The organisation kind each role must (or may) be attached to.
_ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind] | None] = {
    Role.ADMIN: None,
    Role.SECURITY_ADMIN: None,
    Role.AUDIT_ADMIN: None,
    Role.FINANCE_REVIEWER: None,
    Role.VIEWER: None,
    Role.DEPT_REVIEWER: frozenset({OrgKind.DEPARTMENT}),
    Role.UNIT_EDITOR: frozenset({OrgKind.UNIT, OrgKind.DEPARTMENT}),
}


def _snapshot(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "org_id": user.org_id,
        "active": user.active,
    }


def _check_org(session: Session, role: Role, org_id: int | None) -> None:
    kinds = _ROLE_ORG_KINDS[role]
    if kinds is None:
        if org_id is not None and session.get(Organisation, org_id) is None:
            raise ValidationFailed("单位不存在", fields={"org_id": "单位不存在"})
        return
    org = session.get(Organisation, org_id) if org_id is not None else None
    if org is None or org.kind not in kinds:
        need = "、".join(k.label for k in sorted(kinds))
        raise ValidationFailed(
            f"“{role.label}”必须归属于一个{need}", fields={"org_id": f"请选择{need}"}
        )


def create_user(
    session: Session, actor: Principal, data: UserCreate, settings: Settings
) -> UserOut:
    """Create an account (管理员). Usernames are unique; passwords follow the policy and are
    hashed with argon2."""
    authorize(session, actor, Action.MANAGE_USERS)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"用户名“{data.username}”已存在", fields={"username": "用户名已存在"})
    _check_org(session, data.role, data.org_id)
    check_password(data.password, data.username, settings)
    user = User(
        username=data.username,
        display_name=data.display_name or data.username,
        password_hash=hash_password(data.password),
        role=data.role,
        org_id=data.org_id,
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", ("user", user.id), after=_snapshot(user))
    return UserOut.model_validate(user)


def _keep_an_admin(session: Session, leaving_id: int) -> None:
    """Refuse to demote or deactivate the last active 管理员 (nobody could manage users)."""
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.active.is_(True), User.id != leaving_id)
    )
    if not others:
        raise Conflict(
            "不能降级或停用最后一个启用的管理员", fields={"role": "至少保留一个启用的管理员"}
        )


def get_user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户“{username}”不存在")
    return user


def update_user(session: Session, actor: Principal, user_id: int, data: UserUpdate) -> UserOut:
    """Change role / organisation / name / active flag (管理员); audited."""
    authorize(session, actor, Action.MANAGE_USERS)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    before = _snapshot(user)
    role = data.role or user.role
    org_id = data.org_id if "org_id" in data.model_fields_set else user.org_id
    _check_org(session, role, org_id)
    if user.role is Role.ADMIN and user.active and (role is not Role.ADMIN or data.active is False):
        _keep_an_admin(session, user.id)
    user.role, user.org_id = role, org_id
    if data.display_name is not None:
        user.display_name = data.display_name
    if data.active is not None:
        if user.active and not data.active:
            end_sessions_and_tokens(session, user.id)
        user.active = data.active
    session.flush()
    audit.record(
        session, actor, "user.update", ("user", user.id), before=before, after=_snapshot(user)
    )
    return UserOut.model_validate(user)


def set_password(
    session: Session, actor: Principal, user_id: int, password: str, settings: Settings
) -> None:
    """Reset another account's password (管理员); ends its sessions and revokes its tokens.
    Users change their own with :func:`change_own_password` (which asks for the current one)."""
    authorize(session, actor, Action.MANAGE_USERS)
    authorize_password_reset(actor, user_id)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    check_password(password, user.username, settings)
    user.password_hash = hash_password(password)
    end_sessions_and_tokens(session, user.id)
    session.flush()
    audit.record(session, actor, "user.password", ("user", user.id), reason="重置密码")


def change_own_password(
    session: Session,
    actor: Principal,
    current: str,
    new: str,
    settings: Settings,
    keep_session: str | None = None,
) -> None:
    """Change the actor's own password after checking the current one; every other session
    ends (``keep_session``, the cookie of the request, stays) and every API token is revoked."""
    user = session.get(User, actor.id) if actor.id is not None else None
    if user is None or not user.active:
        raise NotFound("用户不存在")
    if not verify_password(user.password_hash, current):
        raise ValidationFailed("当前密码不正确", fields={"current_password": "当前密码不正确"})
    if new == current:
        message = "新密码不能与当前密码相同"
        raise ValidationFailed(message, fields={"password": message})
    check_password(new, user.username, settings)
    user.password_hash = hash_password(new)
    end_sessions_and_tokens(session, user.id, keep_token=keep_session)
    session.flush()
    audit.record(session, actor, "user.password", ("user", user.id), reason="本人修改密码")


def unlock(session: Session, actor: Principal, user_id: int) -> None:
    """Lift a login lockout of an account before it runs out (安全管理员); audited."""
    authorize(session, actor, Action.MANAGE_SECURITY)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    if throttle.clear_account(session, user.username):
        audit.record(session, actor, "user.unlock", ("user", user.id), reason="解除登录锁定")


def locked_until(session: Session) -> dict[str, datetime]:
    """Username (lower-cased) → end of the lockout, for the accounts locked now."""
    return throttle.locked_accounts(session, utcnow())


def list_users(session: Session, actor: Principal, page: PageParams) -> Page[UserOut]:
    """Every account, by username (管理员, 安全管理员, 审计管理员)."""
    authorize_any(
        session, actor, Action.MANAGE_USERS, Action.MANAGE_SECURITY, Action.VIEW_SECURITY_AUDIT
    )
    total = session.scalar(select(func.count()).select_from(User)) or 0
    rows = session.scalars(
        select(User).order_by(User.username).offset(page.offset).limit(page.size)
    ).all()
    return Page[UserOut](
        items=[UserOut.model_validate(u) for u in rows], total=total, page=page.page, size=page.size
    )


def get_user(session: Session, actor: Principal, user_id: int) -> UserOut:
    """One account (the user themself, or an administrator)."""
    authorize_self_or(
        session,
        actor,
        user_id,
        Action.MANAGE_USERS,
        Action.MANAGE_SECURITY,
        Action.VIEW_SECURITY_AUDIT,
    )
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    return UserOut.model_validate(user)
