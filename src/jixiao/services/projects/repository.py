"""All SQL about projects: the filtered list, the detail load, snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from jixiao.db.models import (
    FindingRow,
    FiscalYear,
    FundingLine,
    Goal,
    Indicator,
    Organisation,
    Project,
    ProjectVersion,
    RepairRow,
    Transition,
    WarningRow,
)
from jixiao.domain.enums import FundSource, Severity
from jixiao.services.projects.schemas import ProjectFilters

TOTAL_FEN = (
    select(FundingLine.amount)
    .where(FundingLine.project_id == Project.id, FundingLine.source == FundSource.TOTAL)
    .correlate(Project)
    .scalar_subquery()
)
INDICATOR_COUNT = (
    select(func.count(Indicator.id))
    .where(Indicator.project_id == Project.id)
    .correlate(Project)
    .scalar_subquery()
)
OPEN_ERRORS = (
    select(func.count(FindingRow.id))
    .where(
        FindingRow.project_id == Project.id,
        FindingRow.severity == Severity.ERROR,
        FindingRow.waived.is_(False),
    )
    .correlate(Project)
    .scalar_subquery()
)


def list_statement(filters: ProjectFilters, org_ids: set[int] | None) -> Select[Project, str, int]:
    """Projects joined with organisation and year, filtered (not yet scoped or paged)."""
    stmt = (
        select(Project, Organisation.name, FiscalYear.year)
        .join(Organisation, Organisation.id == Project.org_id)
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
    )
    if filters.year is not None:
        stmt = stmt.where(FiscalYear.year == filters.year)
    if org_ids is not None:
        stmt = stmt.where(Project.org_id.in_(org_ids))
    if filters.status is not None:
        stmt = stmt.where(Project.status == filters.status)
    if filters.grade is not None:
        stmt = stmt.where(Project.grade == filters.grade)
    if filters.rule:
        stmt = stmt.where(
            exists().where(
                FindingRow.project_id == Project.id,
                FindingRow.rule == filters.rule,
                FindingRow.waived.is_(False),
            )
        )
    if filters.q:
        stmt = stmt.where(_text_match(filters.q))
    return stmt


def _text_match(q: str) -> Any:
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    goal_hit = exists().where(
        and_(Goal.project_id == Project.id, Goal.text.ilike(pattern, escape="\\"))
    )
    return or_(Project.name.ilike(pattern, escape="\\"), goal_hit)


_ORDER: dict[str, Any] = {
    "name": Project.name.asc(),
    "-name": Project.name.desc(),
    "total": TOTAL_FEN.asc(),
    "-total": TOTAL_FEN.desc(),
    "updated": Project.updated_at.asc(),
    "-updated": Project.updated_at.desc(),
    "status": Project.status.asc(),
    "grade": Project.grade.asc(),
}


def page_rows(
    session: Session, stmt: Select[Project, str, int], sort: str, offset: int, limit: int
) -> tuple[int, list[Any]]:
    """(total count, rows of Project, org name, year, total 分, indicator count, open errors)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.execute(
        stmt.add_columns(TOTAL_FEN, INDICATOR_COUNT, OPEN_ERRORS)
        .order_by(_ORDER[sort], Project.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return total, list(rows)


def load_full(session: Session, project_id: int) -> Project | None:
    """A project with funding, goals, indicators and targets loaded."""
    return session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(
            selectinload(Project.funding),
            selectinload(Project.goals),
            selectinload(Project.indicators).selectinload(Indicator.targets),
        )
        .execution_options(populate_existing=True)
    )


def findings(session: Session, project_id: int) -> list[FindingRow]:
    return list(
        session.scalars(
            select(FindingRow).where(FindingRow.project_id == project_id).order_by(FindingRow.id)
        )
    )


def repairs(session: Session, project_id: int) -> list[RepairRow]:
    return list(
        session.scalars(
            select(RepairRow).where(RepairRow.project_id == project_id).order_by(RepairRow.position)
        )
    )


def warnings(session: Session, project_id: int) -> list[WarningRow]:
    return list(
        session.scalars(
            select(WarningRow)
            .where(WarningRow.project_id == project_id)
            .order_by(WarningRow.position)
        )
    )


def transitions(session: Session, project_id: int) -> list[Transition]:
    return list(
        session.scalars(
            select(Transition).where(Transition.project_id == project_id).order_by(Transition.id)
        )
    )


def versions(session: Session, project_id: int) -> list[ProjectVersion]:
    return list(
        session.scalars(
            select(ProjectVersion)
            .where(ProjectVersion.project_id == project_id)
            .order_by(ProjectVersion.id)
        )
    )
