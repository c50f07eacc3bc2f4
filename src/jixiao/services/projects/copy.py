"""Copy last year: next year's draft of a project from last year's approved one.

The draft gets the approved content (header, goals, amounts, indicators with their targets),
all editable; its version history starts anew with one version that names its source. Each
copied indicator remembers the indicator it came from, so that last year's actual value can be
shown beside it and weighed by the review (see ``last_year``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from jixiao.db.base import utcnow
from jixiao.db.models import (
    FiscalYear,
    FundingLine,
    Goal,
    Indicator,
    Project,
    ProjectCopy,
    TargetValueRow,
)
from jixiao.domain.enums import ProjectStatus
from jixiao.services import audit
from jixiao.services.errors import Conflict
from jixiao.services.principal import Principal
from jixiao.services.projects import repository
from jixiao.services.projects.last_year import COPIED_FROM, may_copy
from jixiao.services.projects.schemas import ProjectDetail
from jixiao.services.projects.service import get_project
from jixiao.services.projects.snapshot import keep_version, snapshot
from jixiao.services.reviews import service as reviews
from jixiao.services.scope import Action, authorize, project_for


def copy_to_next_year(session: Session, actor: Principal, project_id: int) -> ProjectDetail:
    """Create next year's draft of an approved project; 409 when it exists or isn't approved."""
    visible = project_for(session, actor, project_id, Action.VIEW)
    authorize(session, actor, Action.CREATE_PROJECT, visible.org_id)
    source = repository.load_full(session, project_id)
    assert source is not None
    year = source.fiscal_year.year
    if not may_copy(source):
        raise Conflict(
            f"只能复制已批复的项目：“{source.name}”当前为“{source.status.label}”",
            current={"status": source.status.value},
        )
    _refuse_existing(session, source, year + 1)
    draft = _insert_once(session, actor, source, year + 1)
    reason = f"复制自 {year} 年度已批复项目“{source.name}”（第 {source.edition} 版）"
    keep_version(session, actor, draft, "copy", reason)
    full = repository.load_full(session, draft.id)
    assert full is not None
    audit.record(
        session,
        actor,
        "project.copy",
        ("project", draft.id),
        after=snapshot(full),
        reason=reason,
        project_id=draft.id,
    )
    reviews.rerun(session, actor, draft.id)
    return get_project(session, actor, draft.id)


def _refuse_existing(session: Session, source: Project, year: int) -> None:
    copied = select(ProjectCopy.project_id).where(ProjectCopy.source_id == source.id)
    found = session.execute(
        select(Project.id, Project.name, Project.id.in_(copied).label("copied"))
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
        .where(
            Project.id.in_(copied)
            | (
                (Project.org_id == source.org_id)
                & (FiscalYear.year == year)
                & (Project.name == source.name)
            )
        )
        .limit(1)
    ).one_or_none()
    if found is None:
        return
    what = (
        f"已从本项目复制出 {year} 年度的“{found.name}”"
        if found.copied
        else f"{year} 年度已有同名项目“{found.name}”"
    )
    raise Conflict(f"{what}（项目编号 {found.id}），不能再复制", current={"project_id": found.id})


def _insert(
    session: Session, model: type[Project] | type[FiscalYear] | type[ProjectCopy], **values: Any
) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: the new id, or None when a row with the
    same unique key exists (also one a concurrent writer has just committed)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return session.scalar(
        insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    )


def _insert_once(session: Session, actor: Principal, source: Project, year: int) -> Project:
    """The draft's project row and its link to ``source``, inserted unless next year's project
    exists (then 409; the caller's transaction, rolled back, drops whatever was written)."""
    _insert(session, FiscalYear, year=year)
    year_id = session.scalar(select(FiscalYear.id).where(FiscalYear.year == year))
    now = utcnow()
    draft_id = _insert(
        session,
        Project,
        org_id=source.org_id,
        fiscal_year_id=year_id,
        name=source.name,
        code=source.code,
        unit_name=source.unit_name,
        money_unit=source.money_unit,
        status=ProjectStatus.DRAFT,
        version=1,
        edition=1,
        source={},
        created_at=now,
        updated_at=now,
    )
    linked = draft_id is not None and _insert(
        session,
        ProjectCopy,
        project_id=draft_id,
        source_id=source.id,
        actor_id=actor.id,
        created_at=now,
    )
    if not linked:
        _refuse_existing(session, source, year)  # a concurrent copy won: name it
        raise Conflict(f"{year} 年度的“{source.name}”已存在，请刷新")
    session.add_all(
        FundingLine(project_id=draft_id, source=f.source, amount=f.amount) for f in source.funding
    )
    session.add_all(Goal(project_id=draft_id, period=g.period, text=g.text) for g in source.goals)
    session.add_all(_indicator(draft_id, i) for i in source.indicators)
    session.flush()
    return session.get_one(Project, draft_id)


def _indicator(project_id: int, old: Indicator) -> Indicator:
    return Indicator(
        project_id=project_id,
        position=old.position,
        level1_code=old.level1_code,
        level1_name=old.level1_name,
        level2_code=old.level2_code,
        level2_name=old.level2_name,
        name=old.name,
        explanation=old.explanation,
        basis=old.basis,
        weight=old.weight,
        source={COPIED_FROM: old.id},
        targets=[
            TargetValueRow(
                period=t.period,
                raw=t.raw,
                kind=t.kind,
                op=t.op,
                value=t.value,
                unit=t.unit,
                deadline=t.deadline,
            )
            for t in old.targets
        ],
    )
