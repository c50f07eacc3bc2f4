"""The one place where authorization is decided: what each role may do, and where.

Every service calls :func:`authorize` (for one organisation) or :func:`scope_projects` (for a
query) before touching data; pages and API routes never decide permissions themselves.

Scope by role: 管理员 and 财政审核 act on every organisation; 部门审核 on its department and
the department's units; 单位填报 on its own unit (these three also create projects there, e.g. next
year's draft copied from an approved one); 只读 views its organisation's subtree (all
organisations when it has none).

Separated administrator duties (网络安全等级保护 三员分立): the 管理员 (系统管理员) manages
accounts and organisations but neither unlocks accounts, revokes others' tokens nor reads the
account audit trail; the 安全管理员 unlocks accounts and revokes tokens; the 审计管理员 reads
every audit trail and nothing else changes. A 管理员 takes no review decision (approve, return,
waive) unless the principal was built with ``admin_may_review``. An error-level finding is
waived one level up: by 财政审核, not by the 部门审核 of the department.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVarTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jixiao.db.models import Organisation, Project
from jixiao.domain.enums import Role
from jixiao.services.errors import Forbidden, NotFound
from jixiao.services.principal import Principal


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    CREATE_PROJECT = "create_project"
    SUBMIT = "submit"
    DEPT_REVIEW = "dept_review"
    FINANCE_REVIEW = "finance_review"
    PUBLISH = "publish"
    ADJUST = "adjust"
    IMPORT = "import"
    WAIVE_FINDING = "waive_finding"
    RUN_REVIEW = "run_review"
    WAIVE_ERROR = "waive_error"
    VIEW_AUDIT = "view_audit"
    VIEW_SECURITY_AUDIT = "view_security_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_ORGS = "manage_orgs"
    MANAGE_SECURITY = "manage_security"
    CURATE_LIBRARY = "curate_library"


# Review decisions a 管理员 takes only when ``admin_may_review`` is set.
REVIEW_DECISIONS = frozenset(
    {Action.DEPT_REVIEW, Action.FINANCE_REVIEW, Action.WAIVE_FINDING, Action.WAIVE_ERROR}
)

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action) - {Action.MANAGE_SECURITY, Action.VIEW_SECURITY_AUDIT},
    Role.SECURITY_ADMIN: frozenset({Action.MANAGE_SECURITY}),
    Role.AUDIT_ADMIN: frozenset({Action.VIEW, Action.VIEW_AUDIT, Action.VIEW_SECURITY_AUDIT}),
    Role.FINANCE_REVIEWER: frozenset(
        {
            Action.VIEW,
            Action.FINANCE_REVIEW,
            Action.PUBLISH,
            Action.IMPORT,
            Action.WAIVE_FINDING,
            Action.WAIVE_ERROR,
            Action.RUN_REVIEW,
            Action.VIEW_AUDIT,
            Action.CURATE_LIBRARY,
        }
    ),
    Role.DEPT_REVIEWER: frozenset(
        {
            Action.VIEW,
            Action.EDIT,
            Action.CREATE_PROJECT,
            Action.SUBMIT,
            Action.DEPT_REVIEW,
            Action.ADJUST,
            Action.IMPORT,
            Action.WAIVE_FINDING,
            Action.RUN_REVIEW,
            Action.VIEW_AUDIT,
        }
    ),
    Role.UNIT_EDITOR: frozenset(
        {
            Action.VIEW,
            Action.EDIT,
            Action.CREATE_PROJECT,
            Action.SUBMIT,
            Action.ADJUST,
            Action.RUN_REVIEW,
            Action.VIEW_AUDIT,
        }
    ),
    Role.VIEWER: frozenset({Action.VIEW}),
}

Ts = TypeVarTuple("Ts")

_EVERYWHERE = frozenset({Role.ADMIN, Role.FINANCE_REVIEWER, Role.AUDIT_ADMIN})


def can(principal: Principal, action: Action) -> bool:
    """Whether the role allows ``action`` at all (somewhere in its scope).

    The system itself (``id`` None: command-line maintenance) may do everything.
    """
    if principal.id is None:
        return True
    if principal.role is Role.ADMIN and action in REVIEW_DECISIONS:
        return principal.admin_reviews
    return action in ROLE_ACTIONS[principal.role]


def visible_org_ids(session: Session, principal: Principal) -> set[int] | None:
    """Ids of the organisations the principal may see; None means every organisation."""
    if principal.role in _EVERYWHERE:
        return None
    if principal.org_id is None:
        return None if principal.role is Role.VIEWER else set()
    return subtree(session, principal.org_id)


def subtree(session: Session, root_id: int) -> set[int]:
    """``root_id`` and every organisation below it."""
    rows = session.execute(select(Organisation.id, Organisation.parent_id)).all()
    children: dict[int, list[int]] = {}
    for org_id, parent_id in rows:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(org_id)
    found, todo = {root_id}, [root_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def in_scope(session: Session, principal: Principal, org_id: int) -> bool:
    visible = visible_org_ids(session, principal)
    return visible is None or org_id in visible


def authorize(
    session: Session, principal: Principal, action: Action, org_id: int | None = None
) -> None:
    """Raise Forbidden unless the role allows ``action`` on ``org_id`` (None: anywhere)."""
    if not can(principal, action):
        raise Forbidden(_refusal(principal, action))
    if org_id is not None and not in_scope(session, principal, org_id):
        raise Forbidden("无权操作其他单位的数据")


def _refusal(principal: Principal, action: Action) -> str:
    if principal.role is Role.ADMIN and action in REVIEW_DECISIONS:
        return "管理员不参与审核（职责分离：审核通过、退回与豁免由审核人员办理）"
    if action is Action.WAIVE_ERROR:
        return "错误级问题须由上一级审核（财政审核）豁免"
    return f"“{principal.role.label}”角色无权执行此操作"


def is_self(principal: Principal, user_id: int) -> bool:
    """Whether ``user_id`` is the principal's own account (never for the system itself)."""
    return principal.id is not None and principal.id == user_id


def may_self_or(principal: Principal, user_id: int, *actions: Action) -> bool:
    """Own account: allowed; another's: needs one of ``actions``."""
    return is_self(principal, user_id) or any(can(principal, a) for a in actions)


def authorize_self_or(
    session: Session, principal: Principal, user_id: int, *actions: Action
) -> None:
    """Acting on one's own account is allowed; on another's it needs one of ``actions``."""
    if is_self(principal, user_id):
        return
    authorize_any(session, principal, *actions)


def authorize_any(session: Session, principal: Principal, *actions: Action) -> None:
    """Raise Forbidden unless the role allows at least one of ``actions``."""
    if not any(can(principal, a) for a in actions):
        raise Forbidden(_refusal(principal, actions[0]))


def authorize_password_reset(principal: Principal, user_id: int) -> None:
    """Raise Forbidden when a password reset targets the principal's own account: one's own
    password is changed with the current one, never reset."""
    if is_self(principal, user_id):
        raise Forbidden("修改本人密码须验证当前密码，请在“我的账号”中修改")


def authorize_new_department(session: Session, principal: Principal, name: str) -> None:
    """A 部门 appears when its table is imported: the role must import, and the 财政局 (where
    new departments go) must be in the principal's scope."""
    authorize(session, principal, Action.IMPORT)
    visible = visible_org_ids(session, principal)
    root = session.scalar(select(Organisation.id).where(Organisation.parent_id.is_(None)))
    if visible is not None and (root is None or root not in visible):
        raise Forbidden(f"部门“{name}”不在您的管理范围内")


def ensure_visible(session: Session, principal: Principal, org_id: int, what: str) -> None:
    """Raise NotFound when the object lies outside what the principal may see."""
    if not can(principal, Action.VIEW) or not in_scope(session, principal, org_id):
        raise NotFound(f"{what}不存在或无权查看")


def scope_projects(session: Session, principal: Principal, stmt: Select[*Ts]) -> Select[*Ts]:
    """Limit a query over Project to the principal's organisations."""
    visible = visible_org_ids(session, principal)
    if visible is None:
        return stmt
    return stmt.where(Project.org_id.in_(visible))


def scope_orgs(session: Session, principal: Principal, stmt: Select[*Ts]) -> Select[*Ts]:
    """Limit a query over Organisation to the principal's organisations."""
    visible = visible_org_ids(session, principal)
    if visible is None:
        return stmt
    return stmt.where(Organisation.id.in_(visible))


def visible_project(session: Session, principal: Principal, project_id: int) -> Project:
    """The project with ``project_id`` if the principal may see it, else NotFound."""
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound("项目不存在或无权查看")
    ensure_visible(session, principal, project.org_id, "项目")
    return project


def project_for(session: Session, principal: Principal, project_id: int, action: Action) -> Project:
    """The visible project, after checking that the principal may do ``action`` on it."""
    project = visible_project(session, principal, project_id)
    authorize(session, principal, action, project.org_id)
    return project
