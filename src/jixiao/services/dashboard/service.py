"""Dashboard figures, scoped to the projects the actor may see (through ``services.scope``).

Counts, budgets, grades and findings come from the per-department, per-year rollups of
``rollups.CACHE`` (recomputed only where a write changed them), and their sums for a scope and
year are kept under the versions they were made from (shared, never changed); the to-dos are
asked afresh.

Open (not waived) findings only. To-dos: 待填报 = drafts the actor may edit; 待审核 = projects at
the review step the actor's role performs; 被退回 = returned projects in scope, with the comment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import Session

from jixiao.db.models import FiscalYear, Project, Transition
from jixiao.domain.enums import ProjectStatus
from jixiao.services.dashboard.rollups import CACHE, Mark, Rollup
from jixiao.services.dashboard.schemas import Figures, OrgRollup, Overview, TodoItem
from jixiao.services.principal import Principal
from jixiao.services.scope import Action, authorize, can, visible_org_ids

TODO_LIMIT = 50
SUMMED_KEPT = 256  # figures kept by (scope, year, rollup versions); read-only once made
_SUMMED: dict[tuple[Any, ...], Figures] = {}
_SUMMED_LOCK = threading.Lock()
Ts = TypeVarTuple("Ts")


def overview(session: Session, actor: Principal, year: int | None = None) -> Overview:
    """The figures of ``year`` (the latest year with projects when None) and the to-dos."""
    authorize(session, actor, Action.VIEW)
    org_ids = visible_org_ids(session, actor)
    shown = _figures(session, org_ids, year)
    return Overview(**dict(shown), **_todos(session, actor, org_ids))


def figures(session: Session, actor: Principal, year: int | None = None) -> Figures:
    """The counts and sums of ``year`` (the latest year with projects when None)."""
    authorize(session, actor, Action.VIEW)
    return _figures(session, visible_org_ids(session, actor), year)


def _figures(session: Session, org_ids: set[int] | None, year: int | None) -> Figures:
    """The figures of a scope and year, summed again only when a rollup's version moved."""
    every = CACHE.rollups(session, org_ids)
    scope = None if org_ids is None else frozenset(org_ids)
    key = (scope, year, tuple(mark for mark, _ in every))
    with _SUMMED_LOCK:
        found = _SUMMED.get(key)
    if found is None:
        found = _summed(every, year)
        with _SUMMED_LOCK:
            if len(_SUMMED) >= SUMMED_KEPT:
                _SUMMED.clear()
            _SUMMED[key] = found
    return found


def _summed(every: list[tuple[Mark, Rollup]], year: int | None) -> Figures:
    rollups = [(m, r) for m, r in every if r.count]
    years = sorted({mark.year for mark, _ in rollups}, reverse=True)
    year = year if year is not None else (years[0] if years else None)
    chosen = [(mark, r) for mark, r in rollups if mark.year == year]
    by_org = sorted((_org_rollup(mark, r) for mark, r in chosen), key=lambda r: -r.budget_fen)
    findings = [(key, n) for _, r in chosen for key, n in r.findings.items()]
    return Figures(
        year=year,
        years=years,
        project_count=sum(r.count for r in by_org),
        budget_fen=sum(r.budget_fen for r in by_org),
        by_org=by_org,
        by_status=_tally((s, n) for r in by_org for s, n in r.by_status.items()),
        findings_by_severity=_tally((sev, n) for (_, sev), n in findings),
        findings_by_rule=_tally((rule, n) for (rule, _), n in findings),
        grades=_tally((grade, n) for _, r in chosen for grade, n in r.grades.items()),
    )


def available_years(session: Session, actor: Principal) -> list[int]:
    """The budget years that have projects the actor may see, newest first."""
    authorize(session, actor, Action.VIEW)
    rollups = CACHE.rollups(session, visible_org_ids(session, actor))
    return sorted({mark.year for mark, r in rollups if r.count}, reverse=True)


def _org_rollup(mark: Mark, rollup: Rollup) -> OrgRollup:
    return OrgRollup(
        org_id=mark.org_id,
        org_name=mark.org_name,
        count=rollup.count,
        budget_fen=rollup.budget_fen,
        by_status=rollup.by_status,
    )


def _scoped(stmt: Select[*Ts], org_ids: set[int] | None, year: int | None) -> Select[*Ts]:
    """Limit a statement that involves Project to the organisations and the year."""
    if org_ids is not None:
        stmt = stmt.where(Project.org_id.in_(org_ids))
    if year is not None:
        year_id = select(FiscalYear.id).where(FiscalYear.year == year).scalar_subquery()
        stmt = stmt.where(Project.fiscal_year_id == year_id)
    return stmt


def _tally(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    """Sum counts by key, largest first."""
    out: dict[Any, int] = {}
    for key, count in pairs:
        out[key] = out.get(key, 0) + count
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _review_status(actor: Principal) -> ProjectStatus | None:
    if can(actor, Action.DEPT_REVIEW) and actor.org_id is not None:
        return ProjectStatus.SUBMITTED
    if can(actor, Action.FINANCE_REVIEW):
        return ProjectStatus.DEPT_APPROVED
    return None


def _todos(
    session: Session, actor: Principal, org_ids: set[int] | None
) -> dict[str, list[TodoItem]]:
    """Every open item of every year (an open item does not wait for its year to be chosen):
    the newest ``TODO_LIMIT`` of each list, all lists read by one query."""
    review_status = _review_status(actor)
    wanted = {
        "to_fill": ProjectStatus.DRAFT if can(actor, Action.EDIT) else None,
        "to_review": review_status,
        "returned": ProjectStatus.RETURNED,
    }
    found = _items(session, org_ids, {s for s in wanted.values() if s is not None})
    out = {key: found.get(status, []) if status else [] for key, status in wanted.items()}
    _note_returns(session, out["returned"])
    return out


def _items(
    session: Session, org_ids: set[int] | None, statuses: set[ProjectStatus]
) -> dict[ProjectStatus, list[TodoItem]]:
    """The newest ``TODO_LIMIT`` projects of each status (latest year, then latest change)."""
    parts = [
        _scoped(
            select(Project.id, Project.name, FiscalYear.year, Project.status, Project.updated_at)
            .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
            .where(Project.status == status)
            .order_by(FiscalYear.year.desc(), Project.updated_at.desc())
            .limit(TODO_LIMIT),
            org_ids,
            None,
        ).subquery()
        for status in sorted(statuses)
    ]
    out: dict[ProjectStatus, list[TodoItem]] = {status: [] for status in statuses}
    if not parts:
        return out
    rows = session.execute(union_all(*(select(part) for part in parts))).all()
    for pid, name, year, status, _ in sorted(rows, key=lambda r: (r[2], r[4]), reverse=True):
        out[status].append(TodoItem(id=pid, name=name, status=status, year=year))
    return out


def _note_returns(session: Session, items: list[TodoItem]) -> None:
    """Each returned project's note: who returned it and the comment (one query for all)."""
    if not items:
        return
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
