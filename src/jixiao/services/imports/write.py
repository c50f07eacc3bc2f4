"""Writing an import: the rows of every new and changed project in one insert per table.

Everything is built from the document in memory — the read projects and the review report —
so nothing just written is read back. Each project's snapshot (its kept version and the audit
entry's ``after``) is made once, from the project as it will read back (``as_stored``). The ids
of new projects and indicators are reserved first (``new_ids``), so children name their parent
without a round trip per row. All of it runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.bulk import insert_rows, new_ids, table_of
from jixiao.db.mapping import (
    funding_values,
    goal_values,
    indicator_fields,
    project_values,
    repair_values,
    source_to_json,
    target_values,
    warning_values,
)
from jixiao.db.models import (
    FundingLine,
    Goal,
    ImportedDocument,
    Indicator,
    Project,
    ProjectVersion,
    RepairRow,
    TargetValueRow,
    WarningRow,
)
from jixiao.domain.enums import MoneyUnit, ProjectStatus, TargetPeriod
from jixiao.domain.project import Project as DomainProject
from jixiao.review.findings import ReviewReport
from jixiao.services import audit, library
from jixiao.services.principal import Principal
from jixiao.services.projects.snapshot import snapshot, snapshot_of
from jixiao.services.reviews.service import Reviewed, grade_values

# The parts of a project an import replaces (target values go with their indicators).
_PARTS: tuple[type[FundingLine | Goal | Indicator | RepairRow | WarningRow], ...] = (
    FundingLine,
    Goal,
    Indicator,
    RepairRow,
    WarningRow,
)


@dataclass
class Incoming:
    """A project of the document to write: new, or a new edition of ``stored`` (loaded)."""

    index: int  # in the document and its review report
    project: DomainProject
    stored: Project | None = None


@dataclass
class _Rows:
    """The rows of one import, by table, all stamped ``now``."""

    now: datetime
    funding: list[dict[str, Any]]
    goals: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    repairs: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    audit: list[dict[str, Any]]


def write_projects(
    session: Session,
    actor: Principal,
    doc: ImportedDocument,
    unit: MoneyUnit,
    incoming: list[Incoming],
    report: ReviewReport,
) -> dict[int, Reviewed]:
    """Create the new projects and replace the changed ones, with funding, goals, indicators,
    targets, repairs, warnings, grades, one version and one audit entry each, and their
    indicator library occurrences. Returns the ids written, by index in the report. ``doc``
    must already be inserted (it takes the lock)."""
    session.flush()
    new = [i for i in incoming if i.stored is None]
    fresh_ids = iter(new_ids(session, Project, len(new)))
    ids = {i.index: i.stored.id if i.stored else next(fresh_ids) for i in incoming}
    count = sum(len(i.project.indicators) for i in incoming)
    indicator_ids = iter(new_ids(session, Indicator, count))
    written = {
        i.index: Reviewed(ids[i.index], [next(indicator_ids) for _ in i.project.indicators])
        for i in incoming
    }
    grades = grade_values(report)
    now = utcnow()
    rows = _rows(actor, doc, unit, incoming, written, now)
    changed = [i for i in incoming if i.stored is not None]
    released = library.release(session, [ids[i.index] for i in changed])
    _clear_parts(session, [ids[i.index] for i in changed])
    insert_rows(session, Project, [_new_project(i, doc, unit, written, grades, now) for i in new])
    _update_projects(session, [_new_edition(i, doc, written, grades, now) for i in changed])
    for model, values in (
        (FundingLine, rows.funding),
        (Goal, rows.goals),
        (Indicator, rows.indicators),
        (TargetValueRow, rows.targets),
        (RepairRow, rows.repairs),
        (WarningRow, rows.warnings),
        (ProjectVersion, rows.versions),
    ):
        insert_rows(session, model, values)
    audit.record_many(session, rows.audit)
    for i in changed:
        assert i.stored is not None
        session.expire(i.stored)
    library.refresh_projects(
        session, [reviewed.project_id for reviewed in written.values()], released
    )
    return written


def delete_projects(session: Session, actor: Principal, removed: list[Project]) -> None:
    """Delete projects (loaded) no longer in the table; their parts go with them."""
    if not removed:
        return
    entries = [
        audit.entry_values(
            actor,
            "project.import_delete",
            ("project", row.id),
            before=snapshot(row),
            reason="新版本表中已无此项目",
            project_id=row.id,
        )
        for row in removed
    ]
    library.forget_projects(session, [row.id for row in removed])
    projects = table_of(Project)
    session.execute(delete(projects).where(projects.c.id.in_([row.id for row in removed])))
    for row in removed:
        session.expunge(row)
    audit.record_many(session, entries)


def _clear_parts(session: Session, project_ids: list[int]) -> None:
    if project_ids:
        for model in _PARTS:
            table = table_of(model)
            session.execute(delete(table).where(table.c.project_id.in_(project_ids)))


def _new_project(
    i: Incoming,
    doc: ImportedDocument,
    unit: MoneyUnit,
    written: dict[int, Reviewed],
    grades: dict[int, dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    return {
        **project_values(i.project, unit),
        "id": written[i.index].project_id,
        "org_id": doc.org_id,
        "fiscal_year_id": doc.fiscal_year_id,
        "document_id": doc.id,
        "status": ProjectStatus.DRAFT,
        "version": 1,
        "edition": 1,
        "created_at": now,
        "updated_at": now,
        **_grade(grades, i.index),
    }


def _grade(grades: dict[int, dict[str, Any]], index: int) -> dict[str, Any]:
    return grades.get(index, {"grade": None, "grade_score": None, "grade_explanation": None})


def _new_edition(
    i: Incoming,
    doc: ImportedDocument,
    written: dict[int, Reviewed],
    grades: dict[int, dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    """The columns an import changes on a stored project (name, code, unit name stay)."""
    assert i.stored is not None
    return {
        "b_id": written[i.index].project_id,
        "document_id": doc.id,
        "source": source_to_json(i.project.source),
        "edition": i.stored.edition + 1,
        "version": i.stored.version,  # already moved on when the import claimed it
        "updated_at": now,
        **_grade(grades, i.index),
    }


def _update_projects(session: Session, values: list[dict[str, Any]]) -> None:
    if values:
        table = table_of(Project)
        stmt = update(table).where(table.c.id == bindparam("b_id"))
        session.execute(stmt, values)


def _after(i: Incoming) -> DomainProject:
    """The project as it will read back. A new edition keeps the stored project's code, unit
    name and annual goal: an import replaces the amounts, the goal and the indicators."""
    if i.stored is None:
        return i.project
    goals = {g.period: g.text for g in i.stored.goals}
    return replace(
        i.project,
        code=i.stored.code,
        unit_name=i.stored.unit_name,
        annual_goal=goals.get(TargetPeriod.ANNUAL),
    )


def _rows(
    actor: Principal,
    doc: ImportedDocument,
    unit: MoneyUnit,
    incoming: list[Incoming],
    written: dict[int, Reviewed],
    now: datetime,
) -> _Rows:
    rows = _Rows(now, [], [], [], [], [], [], [], [])
    for i in incoming:
        ids = written[i.index]
        after = _after(i)
        money_unit = i.stored.money_unit if i.stored else unit
        _parts(rows, after, ids, money_unit)
        attached = {"document_id": doc.id, "project_id": ids.project_id}
        rows.repairs += repair_values(i.project.repairs, **attached)
        rows.warnings += warning_values(i.project.warnings, **attached)
        status = i.stored.status if i.stored else ProjectStatus.DRAFT
        kept = snapshot_of(after, money_unit, status)
        reason = f"导入新版本 {doc.filename}" if i.stored else f"导入 {doc.filename}"
        rows.versions.append(
            {
                "project_id": ids.project_id,
                "edition": i.stored.edition + 1 if i.stored else 1,
                "kind": "import",
                "reason": reason,
                "snapshot": kept,
                "actor_id": actor.id,
                "created_at": now,
            }
        )
        rows.audit.append(
            audit.entry_values(
                actor,
                "project.import_update" if i.stored else "project.import_create",
                ("project", ids.project_id),
                before=snapshot(i.stored) if i.stored else None,
                after=kept,
                reason=reason,
                project_id=ids.project_id,
            )
        )
    return rows


def _parts(rows: _Rows, project: DomainProject, ids: Reviewed, money_unit: MoneyUnit) -> None:
    """Funding, goals, indicators and targets of one project."""
    project_id = ids.project_id
    rows.funding += [
        {"project_id": project_id, **v} for v in funding_values(project.amounts, money_unit)
    ]
    rows.goals += [{"project_id": project_id, **v} for v in goal_values(project)]
    for position, (ind, ind_id) in enumerate(
        zip(project.indicators, ids.indicator_ids, strict=True)
    ):
        rows.indicators.append(
            {
                "id": ind_id,
                "project_id": project_id,
                "position": position,
                "version": 1,
                "created_at": rows.now,
                "updated_at": rows.now,
                **indicator_fields(ind),
            }
        )
        rows.targets += [{"indicator_id": ind_id, **v} for v in target_values(ind)]
