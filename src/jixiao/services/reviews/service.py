"""Findings use-cases.

* :func:`store_report` saves a review run for projects just written (used by imports);
* :func:`list_findings` / :func:`waive` / :func:`rerun` serve the API and the pages.

A waiver is kept across re-runs when the same rule fires again on the same indicator.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from jixiao.db.base import utcnow
from jixiao.db.mapping import project_to_domain
from jixiao.db.models import FindingRow, FiscalYear, Indicator, Organisation, Project
from jixiao.domain.document import Document
from jixiao.domain.enums import Severity
from jixiao.review.findings import Finding, ReviewReport
from jixiao.review.profile import ReviewProfile, load_profile
from jixiao.services import audit
from jixiao.services.errors import NotFound, ValidationFailed
from jixiao.services.principal import Principal
from jixiao.services.projects.last_year import group_benchmarks
from jixiao.services.projects.schemas import FindingOut
from jixiao.services.reviews.engine import ReviewFn, default_reviewer
from jixiao.services.scope import Action, authorize, project_for

WaiverKey = tuple[str, str | None, str]


def _key(rule: str, indicator: str | None, message: str) -> WaiverKey:
    return (rule, indicator, message)


def store_report(
    session: Session,
    projects: list[Project],
    report: ReviewReport,
    only: set[int] | None = None,
) -> list[FindingRow]:
    """Replace the findings and grades of ``projects`` (index-aligned with the report).

    ``only`` limits the replacement to some project ids; waivers of identical findings stay.
    """
    target_ids = {p.id for p in projects if only is None or p.id in only}
    chosen = {i for i, p in enumerate(projects) if p.id in target_ids}
    waivers = _existing_waivers(session, list(target_ids))
    session.execute(delete(FindingRow).where(FindingRow.project_id.in_(target_ids)))
    rows = [
        _row(projects[f.project_index], f, waivers)
        for f in report.findings
        if f.project_index in chosen
    ]
    session.add_all(rows)
    for grade in report.project_grades:
        if grade.project_index in chosen:
            project = projects[grade.project_index]
            project.grade = grade.grade
            project.grade_score = Decimal(grade.score)
            project.grade_explanation = grade.explanation
    session.flush()
    return rows


def _existing_waivers(
    session: Session, project_ids: list[int]
) -> dict[tuple[int, WaiverKey], FindingRow]:
    rows = session.scalars(
        select(FindingRow).where(FindingRow.project_id.in_(project_ids), FindingRow.waived)
    )
    return {(r.project_id, _key(r.rule, r.indicator_name, r.message)): r for r in rows}


def _row(
    project: Project, f: Finding, waivers: dict[tuple[int, WaiverKey], FindingRow]
) -> FindingRow:
    indicator = _indicator(project, f.indicator_index)
    row = FindingRow(
        project_id=project.id,
        indicator_id=indicator.id if indicator is not None else None,
        indicator_name=f.indicator,
        rule=f.rule,
        severity=f.severity,
        message=f.message,
        suggestion=f.suggestion,
        evidence=dict(f.evidence),
        waived=False,
    )
    kept = waivers.get((project.id, _key(f.rule, f.indicator, f.message)))
    if kept is not None:
        row.waived, row.waived_reason = True, kept.waived_reason
        row.waived_by_id, row.waived_at = kept.waived_by_id, kept.waived_at
    return row


def _indicator(project: Project, index: int | None) -> Indicator | None:
    if index is None:
        return None
    ordered = sorted(project.indicators, key=lambda i: i.position)
    return ordered[index] if 0 <= index < len(ordered) else None


def list_findings(
    session: Session, actor: Principal, project_id: int, include_waived: bool = True
) -> list[FindingOut]:
    """The findings of a visible project, most severe first."""
    project_for(session, actor, project_id, Action.VIEW)
    stmt = select(FindingRow).where(FindingRow.project_id == project_id)
    if not include_waived:
        stmt = stmt.where(FindingRow.waived.is_(False))
    rows = sorted(session.scalars(stmt), key=lambda r: (-r.severity.rank, r.rule, r.id))
    return [FindingOut.model_validate(r) for r in rows]


def open_finding_count(session: Session, project_id: int) -> int:
    """How many findings of the project are neither fixed nor waived."""
    stmt = select(func.count()).where(
        FindingRow.project_id == project_id, FindingRow.waived.is_(False)
    )
    return session.scalar(stmt) or 0


def blocking_findings(
    session: Session, project_id: int, profile: ReviewProfile | None = None
) -> list[FindingOut]:
    """Open findings whose severity the review profile says must be fixed or waived first."""
    blocking = (profile or load_profile()).block_submit
    if not blocking:
        return []
    stmt = select(FindingRow).where(
        FindingRow.project_id == project_id,
        FindingRow.waived.is_(False),
        FindingRow.severity.in_(blocking),
    )
    rows = sorted(session.scalars(stmt), key=lambda r: (-r.severity.rank, r.rule, r.id))
    return [FindingOut.model_validate(r) for r in rows]


def waive(session: Session, actor: Principal, finding_id: int, reason: str) -> FindingOut:
    """Waive a finding with a required reason (审核 roles); an error-level finding only one
    level up (财政审核, not the department's own reviewer); audited."""
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise NotFound("问题不存在或无权查看")
    project = project_for(session, actor, row.project_id, Action.WAIVE_FINDING)
    if row.severity is Severity.ERROR:
        authorize(session, actor, Action.WAIVE_ERROR, project.org_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("豁免必须填写理由", fields={"reason": "必填"})
    before = {"waived": row.waived, "waived_reason": row.waived_reason}
    row.waived, row.waived_reason = True, reason
    row.waived_by_id, row.waived_at = actor.id, utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "finding.waive",
        ("finding", row.id),
        before=before,
        after={"waived": True, "waived_reason": reason, "rule": row.rule},
        reason=reason,
        project_id=row.project_id,
    )
    return FindingOut.model_validate(row)


def load_group(session: Session, project: Project) -> list[Project]:
    """The projects of the same organisation and year (one table), fully loaded, in id order."""
    return list(
        session.scalars(
            select(Project)
            .where(
                Project.org_id == project.org_id, Project.fiscal_year_id == project.fiscal_year_id
            )
            .options(
                selectinload(Project.funding),
                selectinload(Project.goals),
                selectinload(Project.indicators).selectinload(Indicator.targets),
            )
            .order_by(Project.id)
        )
    )


def group_document(session: Session, project: Project, group: list[Project]) -> Document:
    """The table ``project`` belongs to (``group`` from :func:`load_group`) as a Document."""
    org = session.get(Organisation, project.org_id)
    year = session.get(FiscalYear, project.fiscal_year_id)
    return Document(
        projects=[project_to_domain(p) for p in group],
        department=org.name if org else None,
        unit=project.money_unit,
        year=year.year if year else None,
    )


def rerun(
    session: Session, actor: Principal, project_id: int, reviewer: ReviewFn | None = None
) -> list[FindingOut]:
    """Review the project again (with its sibling projects, for cross-project rules)."""
    project = project_for(session, actor, project_id, Action.RUN_REVIEW)
    group = load_group(session, project)
    document = group_document(session, project, group)
    benchmarks = group_benchmarks(session, group, project_id)
    report = (reviewer or default_reviewer(benchmarks))(document)
    store_report(session, group, report, only={project_id})
    audit.record(
        session,
        actor,
        "review.rerun",
        ("project", project_id),
        after={
            "findings": sum(1 for f in report.findings if group[f.project_index].id == project_id)
        },
        project_id=project_id,
    )
    return list_findings(session, actor, project_id)
