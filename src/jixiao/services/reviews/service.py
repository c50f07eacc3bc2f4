"""Findings use-cases.

* :func:`store_findings` saves a review run's findings for stored projects (imports, re-runs);
* :func:`list_findings` / :func:`waive` / :func:`rerun` serve the API and the pages.

A waiver is kept across re-runs when the same rule fires again on the same indicator.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from jixiao.db.base import utcnow
from jixiao.db.bulk import insert_rows
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


@dataclass(frozen=True)
class Reviewed:
    """A stored project a review report speaks of: its id and its indicators' ids in order."""

    project_id: int
    indicator_ids: list[int]


def store_findings(
    session: Session,
    projects: dict[int, Reviewed],
    report: ReviewReport,
    replace: Collection[int] = (),
) -> int:
    """Store the report's findings about ``projects`` (keyed by their index in the report) in
    one insert; return how many. The findings the projects in ``replace`` had before are
    replaced; a waiver stays on the same finding (same rule, indicator and message)."""
    waivers = _existing_waivers(session, list(replace)) if replace else {}
    if replace:
        session.execute(delete(FindingRow).where(FindingRow.project_id.in_(replace)))
    now = utcnow()
    rows = [
        _values(projects[f.project_index], f, waivers, now)
        for f in report.findings
        if f.project_index in projects
    ]
    insert_rows(session, FindingRow, rows)
    return len(rows)


def grade_values(report: ReviewReport) -> dict[int, dict[str, Any]]:
    """The grade columns of each project of the report, by its index."""
    return {
        g.project_index: {
            "grade": g.grade,
            "grade_score": Decimal(g.score),
            "grade_explanation": g.explanation,
        }
        for g in report.project_grades
    }


def _existing_waivers(
    session: Session, project_ids: list[int]
) -> dict[tuple[int, WaiverKey], FindingRow]:
    rows = session.scalars(
        select(FindingRow).where(FindingRow.project_id.in_(project_ids), FindingRow.waived)
    )
    return {(r.project_id, _key(r.rule, r.indicator_name, r.message)): r for r in rows}


def _values(
    project: Reviewed,
    f: Finding,
    waivers: dict[tuple[int, WaiverKey], FindingRow],
    now: datetime,
) -> dict[str, Any]:
    ids = project.indicator_ids
    index = f.indicator_index
    kept = waivers.get((project.project_id, _key(f.rule, f.indicator, f.message)))
    return {
        "project_id": project.project_id,
        "indicator_id": ids[index] if index is not None and 0 <= index < len(ids) else None,
        "indicator_name": f.indicator,
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "suggestion": f.suggestion,
        "evidence": dict(f.evidence),
        "waived": kept is not None,
        "waived_reason": kept.waived_reason if kept else None,
        "waived_by_id": kept.waived_by_id if kept else None,
        "waived_at": kept.waived_at if kept else None,
        "created_at": now,
    }


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
    index = next(i for i, p in enumerate(group) if p.id == project_id)
    indicators = sorted(group[index].indicators, key=lambda i: i.position)
    reviewed = Reviewed(project_id, [i.id for i in indicators])
    store_findings(session, {index: reviewed}, report, replace={project_id})
    for name, value in grade_values(report).get(index, {}).items():
        setattr(group[index], name, value)
    session.flush()
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
