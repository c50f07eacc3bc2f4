"""All SQL about projects: the filtered list, the detail load, snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, text, union
from sqlalchemy.orm import Session, joinedload, selectinload

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
from jixiao.db.search import PROJECT_FTS, has_fts_table
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


def conditions(session: Session, filters: ProjectFilters, org_ids: set[int] | None) -> list[Any]:
    """WHERE conditions on ``projects`` alone for the filters and the visible organisations."""
    out: list[Any] = []
    if filters.year is not None:
        year_id = select(FiscalYear.id).where(FiscalYear.year == filters.year).scalar_subquery()
        out.append(Project.fiscal_year_id == year_id)
    if org_ids is not None:
        out.append(Project.org_id.in_(org_ids))
    if filters.status is not None:
        out.append(Project.status == filters.status)
    if filters.grade is not None:
        out.append(Project.grade == filters.grade)
    if filters.rule:
        with_rule = select(FindingRow.project_id).where(
            FindingRow.rule == filters.rule, FindingRow.waived.is_(False)
        )
        out.append(Project.id.in_(with_rule))
    if filters.q:
        out.append(_text_match(session, filters.q))
    return out


SUMMARY_COLUMNS = (
    Project.id,
    Project.name,
    Project.org_id,
    Organisation.name.label("org_name"),
    FiscalYear.year,
    Project.status,
    Project.grade,
    Project.money_unit,
    TOTAL_FEN.label("total"),
    INDICATOR_COUNT.label("indicator_count"),
    OPEN_ERRORS.label("open_errors"),
    Project.version,
    Project.updated_at,
)


def _text_match(session: Session, q: str) -> Any:
    """Projects whose name or goal contains ``q``, through the trigram index of the backend.

    PostgreSQL: ``ILIKE`` (``LIKE`` when ``q`` has no letters with case) served by the
    ``pg_trgm`` GIN indexes on ``projects.name`` and ``goals.text``, or by a scan where the
    planner finds that cheaper. SQLite: ``LIKE`` on the FTS5 trigram table ``project_search``
    (name and goals, kept by triggers), which FTS5 serves from its index when the pattern has three
    characters or more and no ``ESCAPE`` clause; shorter text, text with ``%``, ``_`` or ``\\``,
    and databases without the table are matched by a scan.
    """
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if len(q) >= 3 and pattern[1:-1] == q and has_fts_table(session, PROJECT_FTS):
        found = text(f"SELECT rowid FROM {PROJECT_FTS} WHERE text LIKE :p")
        return Project.id.in_(found.bindparams(p=pattern).columns(rowid=Project.id.type))
    if q.lower() == q.upper():  # nothing to fold: LIKE matches as ILIKE would, at half the cost
        by_name = select(Project.id).where(Project.name.like(pattern, escape="\\"))
        by_goal = select(Goal.project_id).where(Goal.text.like(pattern, escape="\\"))
    else:
        by_name = select(Project.id).where(Project.name.ilike(pattern, escape="\\"))
        by_goal = select(Goal.project_id).where(Goal.text.ilike(pattern, escape="\\"))
    return Project.id.in_(union(by_name, by_goal))


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
    session: Session, where: list[Any], sort: str, offset: int, limit: int
) -> tuple[int, list[Any]]:
    """(total count, summary rows) for one page.

    One scan of ``projects`` gives the page's ids with the count of all matches beside them
    (a window count, so a text search is matched once, not once for the count and once for
    the page); the summary columns (with their per-project subqueries) are computed for the
    page's rows only, however deep the page. Past the last page the count is read alone.
    """
    order = (_ORDER[sort], Project.id)
    found = session.execute(
        select(Project.id, func.count().over().label("total"))
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    ).all()
    if not found:
        total = session.scalar(select(func.count(Project.id)).where(*where)) or 0
        return total, []
    rows = session.execute(
        select(*SUMMARY_COLUMNS)
        .join(Organisation, Organisation.id == Project.org_id)
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
        .where(Project.id.in_([pid for pid, _ in found]))
        .order_by(*order)
    ).all()
    return found[0].total, list(rows)


def load_full(session: Session, project_id: int) -> Project | None:
    """A project with organisation, year, funding, goals, indicators and targets loaded."""
    result = session.execute(
        select(Project)
        .where(Project.id == project_id)
        .options(
            joinedload(Project.org),
            joinedload(Project.fiscal_year),
            joinedload(Project.funding),
            joinedload(Project.goals),
            selectinload(Project.indicators).selectinload(Indicator.targets),
        )
        .execution_options(populate_existing=True)
    )
    return result.unique().scalar_one_or_none()


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
