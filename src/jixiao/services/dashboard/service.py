"""Dashboard figures, scoped to the projects the actor may see (through ``services.scope``).

Open (not waived) findings only. To-dos: 待填报 = drafts the actor may edit; 待审核 = projects at
the review step the actor's role performs; 被退回 = returned projects in scope, with the comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from jixiao.db.models import FindingRow, FiscalYear, FundingLine, Organisation, Project, Transition
from jixiao.domain.enums import FundSource, Grade, ProjectStatus
from jixiao.services.dashboard.schemas import OrgRollup, Overview, TodoItem
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize, can, visible_org_ids

TODO_LIMIT = 50
GRADES = tuple(Grade)
Ts = TypeVarTuple("Ts")


def overview(session: Session, actor: Principal, year: int | None = None) -> Overview:
    """The figures of ``year`` (the latest year with projects when None)."""
    authorize(session, actor, Action.VIEW)
    org_ids = visible_org_ids(session, actor)
    years = _years(session, org_ids)
    year = year if year is not None else (years[0] if years else None)
    by_org, grades = _by_org(session, org_ids, year)
    findings = session.execute(
        _scoped(
            select(FindingRow.rule, FindingRow.severity, func.count(FindingRow.id))
            .join(Project, Project.id == FindingRow.project_id)
            .where(FindingRow.waived.is_(False)),
            org_ids,
            year,
        ).group_by(FindingRow.rule, FindingRow.severity)
    ).all()
    return Overview(
        year=year,
        years=years,
        project_count=sum(r.count for r in by_org),
        budget_fen=sum(r.budget_fen for r in by_org),
        by_org=by_org,
        by_status=_sum_statuses(by_org),
        findings_by_severity=_tally((sev, n) for _, sev, n in findings),
        findings_by_rule=_tally((rule, n) for rule, _, n in findings),
        grades=_tally((grade, n) for grade, n in grades.items() if n),
        **_todos(session, actor, org_ids, year),
    )


def available_years(session: Session, actor: Principal) -> list[int]:
    """The budget years that have projects the actor may see, newest first."""
    authorize(session, actor, Action.VIEW)
    return _years(session, visible_org_ids(session, actor))


def _scoped(stmt: Select[*Ts], org_ids: set[int] | None, year: int | None) -> Select[*Ts]:
    """Limit a statement that involves Project to the organisations and the year."""
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


def _tally(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    """Sum counts by key, largest first."""
    out: dict[Any, int] = {}
    for key, count in pairs:
        out[key] = out.get(key, 0) + count
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _by_org(
    session: Session, org_ids: set[int] | None, year: int | None
) -> tuple[list[OrgRollup], dict[Grade, int]]:
    """Per organisation: project counts by status and the total budget; and counts by grade.

    One grouped scan of the projects. A project has at most one 总计 funding line (unique per
    project and source), so the outer join neither drops nor repeats projects.
    """
    total_line = (FundingLine.project_id == Project.id) & (FundingLine.source == FundSource.TOTAL)
    per_grade = [func.sum(case((Project.grade == grade, 1), else_=0)) for grade in GRADES]
    stmt = (
        select(
            Project.org_id,
            Organisation.name,
            Project.status,
            func.count(Project.id),
            func.coalesce(func.sum(FundingLine.amount), 0),
            *per_grade,
        )
        .join(Organisation, Organisation.id == Project.org_id)
        .outerjoin(FundingLine, total_line)
        .group_by(Project.org_id, Organisation.name, Project.status)
    )
    rows: dict[int, dict[str, Any]] = {}
    grades = dict.fromkeys(GRADES, 0)
    for org_id, name, status, count, fen, *graded in session.execute(_scoped(stmt, org_ids, year)):
        row = rows.setdefault(
            org_id,
            {"org_id": org_id, "org_name": name, "count": 0, "budget_fen": 0, "by_status": {}},
        )
        row["count"] += count
        row["budget_fen"] += _fen(fen)
        row["by_status"][status] = count
        for grade, n in zip(GRADES, graded, strict=True):
            grades[grade] += int(n or 0)
    out = [OrgRollup.model_validate(row) for row in rows.values()]
    return sorted(out, key=lambda r: -r.budget_fen), grades


def _sum_statuses(rows: list[OrgRollup]) -> dict[ProjectStatus, int]:
    total: dict[ProjectStatus, int] = {}
    for row in rows:
        for status, count in row.by_status.items():
            total[status] = total.get(status, 0) + count
    return total


def _fen(value: Any) -> int:
    """A summed money column: the Money type or a plain number of 分."""
    return int(getattr(value, "fen", value) or 0)


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
    """Returned projects with the comment of their latest return (one query for all)."""
    items = _items(session, org_ids, year, ProjectStatus.RETURNED)
    latest = (
        select(func.max(Transition.id))
        .where(
            Transition.project_id.in_([i.id for i in items]),
            Transition.to_status == ProjectStatus.RETURNED,
        )
        .group_by(Transition.project_id)
    )
    notes = {
        pid: f"{actor}：{comment or ''}"
        for pid, actor, comment in session.execute(
            select(Transition.project_id, Transition.actor_name, Transition.comment).where(
                Transition.id.in_(latest)
            )
        )
    }
    for item in items:
        item.note = notes.get(item.id)
    return items
