"""Separation of duties in the workflow (网络安全等级保护 / 内部控制: 不相容职务分离).

Nobody approves a step they took part in: whoever submitted a project may not approve it at
the department, and whoever submitted or approved it at the department may not approve it at
the finance bureau — within the current round (from the latest 提交 on). Returning stays open
to them (it only sends the project back). A 管理员 takes no review decision at all unless
``admin_may_review`` is set (see :mod:`jixiao.services.scope`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jixiao.db.models import Project, Transition
from jixiao.services.errors import Forbidden
from jixiao.services.principal import Principal

APPROVALS = frozenset({"dept_approve", "finance_approve"})
REFUSAL = "职责分离：您已提交或审核通过本轮申报，不能再审核通过同一项目，须由其他审核人员办理"


def round_actor_ids(session: Session, project_id: int) -> set[int]:
    """Who took a step of the current round: the latest 提交 and every step after it."""
    last_submit = session.scalar(
        select(func.max(Transition.id)).where(
            Transition.project_id == project_id, Transition.action == "submit"
        )
    )
    if last_submit is None:
        return set()
    ids = session.scalars(
        select(Transition.actor_id).where(
            Transition.project_id == project_id, Transition.id >= last_submit
        )
    )
    return {i for i in ids if i is not None}


def conflicts(session: Session, actor: Principal, project: Project, action: str) -> bool:
    """True when ``action`` is an approval and the actor already took part in this round."""
    if action not in APPROVALS or actor.id is None:
        return False
    return actor.id in round_actor_ids(session, project.id)


def check(session: Session, actor: Principal, project: Project, action: str) -> None:
    """Raise Forbidden when the actor would approve a round they took part in."""
    if conflicts(session, actor, project, action):
        raise Forbidden(REFUSAL)
