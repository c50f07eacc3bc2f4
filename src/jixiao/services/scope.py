"""The one place where authorization is decided: what each role may do, and where.

Every service calls :func:`authorize` (for one organisation) or :func:`scope_projects` (for a
query) before touching data; pages and API routes never decide permissions themselves.

Scope by role: 管理员 and 财政审核 act on every organisation; 部门审核 on its department and
the department's units; 单位填报 on its own unit; 只读 views its organisation's subtree (all
organisations when it has none).
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
    SUBMIT = "submit"
    DEPT_REVIEW = "dept_review"
    FINANCE_REVIEW = "finance_review"
    PUBLISH = "publish"
    ADJUST = "adjust"
    IMPORT = "import"
    WAIVE_FINDING = "waive_finding"
    RUN_REVIEW = "run_review"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_ORGS = "manage_orgs"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.FINANCE_REVIEWER: frozenset(
        {
            Action.VIEW,
            Action.FINANCE_REVIEW,
            Action.PUBLISH,
            Action.IMPORT,
            Action.WAIVE_FINDING,
            Action.RUN_REVIEW,
            Action.VIEW_AUDIT,
        }
    ),
    Role.DEPT_REVIEWER: frozenset(
        {
            Action.VIEW,
            Action.EDIT,
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
            Action.SUBMIT,
            Action.ADJUST,
            Action.RUN_REVIEW,
            Action.VIEW_AUDIT,
        }
    ),
    Role.VIEWER: frozenset({Action.VIEW}),
}

Ts = TypeVarTuple("Ts")

_EVERYWHERE = frozenset({Role.ADMIN, Role.FINANCE_REVIEWER})


def can(principal: Principal, action: Action) -> bool:
    """Whether the role allows ``action`` at all (somewhere in its scope)."""
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
        raise Forbidden(f"“{principal.role.label}”角色无权执行此操作")
    if org_id is not None and not in_scope(session, principal, org_id):
        raise Forbidden("无权操作其他单位的数据")


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
