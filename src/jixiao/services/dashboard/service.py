"""Dashboard figures, scoped to the projects the actor may see (through ``services.scope``).

Open (not waived) findings only. To-dos: 待填报 = drafts the actor may edit; 待审核 = projects at
the review step the actor's role performs; 被退回 = returned projects in scope, with the comment.
"""

from __future__ import annotations

from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jixiao.db.models import FindingRow, FiscalYear, FundingLine, Organisation, Project, Transition
from jixiao.domain.enums import FundSource, ProjectStatus
from jixiao.services.dashboard.schemas import OrgRollup, Overview, TodoItem
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize, can, visible_org_ids

TODO_LIMIT = 50
Ts = TypeVarTuple("Ts")


def overview(session: Session, actor: Principal, year: int | None = None) -> Overview:
    """The figures of ``year`` (the latest year with projects when None)."""
    authorize(session, actor, Action.VIEW)
    org_ids = visible_org_ids(session, actor)
    years = _years(session, org_ids)
    year = year if year is not None else (years[0] if years else None)
    base = _scoped(select(Project.id), org_ids, year).subquery()
    by_org = _by_org(session, base)
    return Overview(
        year=year,
        years=years,
        project_count=sum(r.count for r in by_org),
        budget_fen=sum(r.budget_fen for r in by_org),
        by_org=by_org,
        by_status=_count_by(session, Project.status, base),
        findings_by_severity=_findings_by(session, FindingRow.severity, base),
        findings_by_rule=_findings_by(session, FindingRow.rule, base),
        grades=_count_by(session, Project.grade, base),
        **_todos(session, actor, org_ids, year),
    )


def available_years(session: Session, actor: Principal) -> list[int]:
    """The budget years that have projects the actor may see, newest first."""
    authorize(session, actor, Action.VIEW)
    return _years(session, visible_org_ids(session, actor))


def _scoped(stmt: Select[*Ts], org_ids: set[int] | None, year: int | None) -> Select[*Ts]:
    if org_ids is not None:
        stmt = stmt.where(Project.org_id.in_(org_ids))
    if year is not None:
        year_id = select(FiscalYear.id).where(FiscalYear.year == year).scalar_subquery()
        stmt = stmt.where(Project.fiscal_year_id == year_id)
    return stmt


def _years(session: Session, org_ids: set[int] | None) -> list[int]:
    stmt = select(FiscalYear.year).join(Project, Project.fiscal_year_id == FiscalYear.id)
    if org_ids is not None:
        stmt = stmt.where(Project.org_id.in_(org_ids))
    return sorted(set(session.scalars(stmt.distinct())), reverse=True)


def _by_org(session: Session, base: Any) -> list[OrgRollup]:
    budget = func.coalesce(func.sum(FundingLine.amount), 0)
    rows = session.execute(
        select(Project.org_id, Organisation.name, Project.status, func.count(Project.id), budget)
        .join(Organisation, Organisation.id == Project.org_id)
        .outerjoin(
            FundingLine,
            (FundingLine.project_id == Project.id) & (FundingLine.source == FundSource.TOTAL),
        )
        .where(Project.id.in_(select(base.c.id)))
        .group_by(Project.org_id, Organisation.name, Project.status)
    ).all()
    out: dict[int, OrgRollup] = {}
    for org_id, name, status, count, fen in rows:
        row = out.setdefault(
            org_id, OrgRollup(org_id=org_id, org_name=name, count=0, budget_fen=0, by_status={})
        )
        row.count += count
        row.budget_fen += int(_fen(fen))
        row.by_status[status] = count
    return sorted(out.values(), key=lambda r: -r.budget_fen)


def _fen(value: Any) -> int:
    """A summed money column: the Money type or a plain number of 分."""
    return int(getattr(value, "fen", value) or 0)


def _count_by(session: Session, column: Any, base: Any) -> dict[Any, int]:
    rows = session.execute(
        select(column, func.count(Project.id))
        .where(Project.id.in_(select(base.c.id)), column.is_not(None))
        .group_by(column)
    ).all()
    return {key: count for key, count in rows}


def _findings_by(session: Session, column: Any, base: Any) -> dict[Any, int]:
    rows = session.execute(
        select(column, func.count(FindingRow.id))
        .where(FindingRow.project_id.in_(select(base.c.id)), FindingRow.waived.is_(False))
        .group_by(column)
        .order_by(func.count(FindingRow.id).desc())
    ).all()
    return {key: count for key, count in rows}


def _review_status(actor: Principal) -> ProjectStatus | None:
    if can(actor, Action.DEPT_REVIEW) and actor.org_id is not None:
        return ProjectStatus.SUBMITTED
    if can(actor, Action.FINANCE_REVIEW):
        return ProjectStatus.DEPT_APPROVED
    return None


def _todos(
    session: Session, actor: Principal, org_ids: set[int] | None, year: int | None
) -> dict[str, list[TodoItem]]:
    review_status = _review_status(actor)
    return {
        "to_fill": _items(session, org_ids, year, ProjectStatus.DRAFT)
        if can(actor, Action.EDIT)
        else [],
        "to_review": _items(session, org_ids, year, review_status) if review_status else [],
        "returned": _returned(session, org_ids, year),
    }


def _items(
    session: Session, org_ids: set[int] | None, year: int | None, status: ProjectStatus
) -> list[TodoItem]:
    stmt = _scoped(select(Project.id, Project.name), org_ids, year)
    stmt = stmt.where(Project.status == status).order_by(Project.updated_at.desc())
    rows = session.execute(stmt.limit(TODO_LIMIT)).all()
    return [TodoItem(id=pid, name=name, status=status) for pid, name in rows]


def _returned(session: Session, org_ids: set[int] | None, year: int | None) -> list[TodoItem]:
    items = _items(session, org_ids, year, ProjectStatus.RETURNED)
    for item in items:
        last = session.execute(
            select(Transition.comment, Transition.actor_name)
            .where(
                Transition.project_id == item.id,
                Transition.to_status == ProjectStatus.RETURNED,
            )
            .order_by(Transition.id.desc())
            .limit(1)
        ).first()
        if last is not None:
            item.note = f"{last.actor_name}：{last.comment or ''}"
    return items
