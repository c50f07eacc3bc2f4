"""Keeping the library in step with the projects.

The occurrences of a project are a function of the project: its indicators while it is approved
(已批复 / 已公开) or came from an imported published table, with the year's self-evaluation
saying whether each target was met. :func:`refresh_project` rewrites them and is called by every
write that changes one of those inputs (a workflow step, an import, a saved self-evaluation);
:func:`rebuild` rewrites all of them (``jixiao library rebuild``). Both leave the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.db.models import (
    FiscalYear,
    Indicator,
    LibraryEntry,
    LibraryOccurrence,
    Organisation,
    Project,
    SelfEvaluationRecord,
    TargetValueRow,
)
from jixiao.domain.enums import Direction, OrgKind, ProjectStatus, TargetKind, TargetPeriod
from jixiao.domain.indicator import LevelRef
from jixiao.domain.library import (
    Actual,
    category_key,
    distribution,
    met,
    most_common,
    name_key,
    target_direction,
)
from jixiao.domain.target import TargetValue
from jixiao.scoring.classify import level1_key, level2_key
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_from_data

APPROVED = (ProjectStatus.APPROVED, ProjectStatus.PUBLISHED)


@dataclass(frozen=True)
class _Project:
    id: int
    org_id: int
    status: ProjectStatus
    document_id: int | None
    year: int


@dataclass(frozen=True)
class _Indicator:
    id: int
    name: str
    level1: LevelRef
    level2: LevelRef
    target: TargetValue


def refresh_project(session: Session, project_id: int) -> None:
    """Rewrite the occurrences of one project (none when it no longer qualifies)."""
    refresh_projects(session, [project_id])


def refresh_projects(session: Session, project_ids: list[int]) -> None:
    """Rewrite the occurrences of several projects (an import), with one recount."""
    old = _drop(session, project_ids)
    departments = _departments(session)
    entries: dict[tuple[str, str], int] = {}
    new: set[int] = set()
    for project_id in project_ids:
        new |= _write(session, project_id, departments, entries)
    session.flush()
    recount(session, old | new)


def forget_project(session: Session, project_id: int) -> None:
    """Remove a project's occurrences (before the project itself is deleted)."""
    forget_projects(session, [project_id])


def forget_projects(session: Session, project_ids: list[int]) -> None:
    """Remove the occurrences of several projects (before the projects are deleted)."""
    recount(session, _drop(session, project_ids))


def _drop(session: Session, project_ids: list[int]) -> set[int]:
    """Delete the projects' occurrences; the entries they were linked to."""
    session.flush()
    where = LibraryOccurrence.project_id.in_(project_ids)
    old = set(session.scalars(select(LibraryOccurrence.entry_id).where(where)))
    session.execute(delete(LibraryOccurrence).where(where))
    return old


def rebuild(session: Session) -> int:
    """Rewrite every occurrence; returns how many there are now."""
    session.flush()
    session.execute(delete(LibraryOccurrence))
    departments = _departments(session)
    ids = session.scalars(
        select(Project.id).where(Project.status.in_(APPROVED) | Project.document_id.is_not(None))
    ).all()
    for project_id in ids:
        _write(session, project_id, departments)
        session.flush()
    recount(session, None)
    return session.scalar(select(func.count(LibraryOccurrence.id))) or 0


def _project(session: Session, project_id: int) -> _Project | None:
    row = session.execute(
        select(Project.id, Project.org_id, Project.status, Project.document_id, FiscalYear.year)
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
        .where(Project.id == project_id)
    ).first()
    return None if row is None else _Project(*row)


def _indicators(session: Session, project_id: int) -> list[_Indicator]:
    """The project's indicators as stored (plain rows: the session's objects stay untouched),
    each with its annual target, else its period one."""
    rows = session.execute(
        select(
            Indicator.id,
            Indicator.name,
            Indicator.level1_code,
            Indicator.level1_name,
            Indicator.level2_code,
            Indicator.level2_name,
            TargetValueRow,
        )
        .join(TargetValueRow, TargetValueRow.indicator_id == Indicator.id)
        .where(Indicator.project_id == project_id)
        .order_by(Indicator.position, Indicator.id)
    ).all()
    chosen: dict[int, Any] = {}
    for row in rows:
        if row.id not in chosen or row.TargetValueRow.period is TargetPeriod.ANNUAL:
            chosen[row.id] = row
    return [
        _Indicator(
            r.id,
            r.name,
            LevelRef(r.level1_code, r.level1_name),
            LevelRef(r.level2_code, r.level2_name),
            _target(r.TargetValueRow),
        )
        for r in chosen.values()
    ]


def _target(row: TargetValueRow) -> TargetValue:
    return TargetValue(
        raw=row.raw, kind=row.kind, op=row.op, value=row.value, unit=row.unit, deadline=row.deadline
    )


def _departments(session: Session) -> dict[int, int | None]:
    """Each organisation's department (itself for a department, the parent for a unit)."""
    rows = session.execute(select(Organisation.id, Organisation.kind, Organisation.parent_id))
    out: dict[int, int | None] = {}
    for org_id, kind, parent_id in rows:
        if kind is OrgKind.DEPARTMENT:
            out[org_id] = org_id
        else:
            out[org_id] = parent_id if kind is OrgKind.UNIT else None
    return out


def _write(
    session: Session,
    project_id: int,
    departments: dict[int, int | None],
    entries: dict[tuple[str, str], int] | None = None,
) -> set[int]:
    """Add the project's occurrences; ``entries`` remembers entry ids across calls."""
    entries = {} if entries is None else entries
    project = _project(session, project_id)
    if project is None or not (project.status in APPROVED or project.document_id is not None):
        return set()
    actuals = _actuals(session, project.id, project.year)
    source = "approved" if project.status in APPROVED else "imported"
    touched: set[int] = set()
    for indicator in _indicators(session, project_id):
        target = indicator.target
        key, level2 = name_key(indicator.name), _level2(indicator.level2)
        entry_id = entries.get((key, level2))
        if entry_id is None:
            entry_id = entries[key, level2] = entry_id_for(
                session,
                key,
                level2,
                name=indicator.name,
                level1_name=_level1_name(indicator),
                level2_name=f"{level2}指标" if level2 else None,
            )
        direction = target_direction(target, indicator.level2.name or level2)
        actual = actuals.get((key, level2)) or actuals.get((key, ""))
        session.add(
            LibraryOccurrence(
                entry_id=entry_id,
                project_id=project.id,
                indicator_id=indicator.id,
                org_id=project.org_id,
                department_id=departments.get(project.org_id),
                document_id=project.document_id,
                year=project.year,
                source=source,
                name=indicator.name,
                name_key=key,
                raw=target.raw,
                kind=target.kind,
                op=target.op,
                value=target.value,
                unit=target.unit,
                direction=direction,
                met=None if actual is None else met(target, actual, direction),
            )
        )
        touched.add(entry_id)
    return touched


def _level2(ref: LevelRef) -> str:
    return category_key(level2_key(ref))


def _level1_name(indicator: _Indicator) -> str | None:
    name = level1_key(indicator.level1, indicator.level2)
    return None if name is None else f"{name}指标"


def entry_id_for(session: Session, key: str, level2: str, **fields: Any) -> int:
    """The id of the entry (key, level-2 category), created with ``fields`` if missing.

    Concurrent writers may create the same entry: the loser's insert is undone (savepoint)
    and the winner's row is used.
    """
    query = select(LibraryEntry.id).where(
        LibraryEntry.name_key == key, LibraryEntry.level2_key == level2
    )
    found = session.scalar(query)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            entry = LibraryEntry(name_key=key, level2_key=level2, **fields)
            session.add(entry)
            session.flush()
            return entry.id
    except IntegrityError:
        found = session.scalar(query)
        if found is None:
            raise
        return found


def _actuals(session: Session, project_id: int, year: int) -> dict[tuple[str, str], Actual]:
    """What the year's self-evaluation reports per indicator, by (name key, level-2 key)."""
    row = session.scalar(
        select(SelfEvaluationRecord).where(
            SelfEvaluationRecord.project_id == project_id, SelfEvaluationRecord.year == year
        )
    )
    if row is None:
        return {}
    data = {"format": SELFEVAL_FORMAT, "year": year, "projects": [row.entry]}
    (ev,) = selfeval_from_data(data)
    out: dict[tuple[str, str], Actual] = {}
    for ind in ev.indicators:
        actual = Actual(ind.actual, ind.actual_date, ind.tier, ind.not_applicable)
        level2 = category_key(level2_key(ind.level2))
        out.setdefault((name_key(ind.name), level2), actual)
        out.setdefault((name_key(ind.name), ""), actual)
    return out


def recount(session: Session, entry_ids: Iterable[int] | None) -> None:
    """Set each entry's count and its most common name, unit, operator and direction;
    drop entries left without occurrences unless they carry curated fields."""
    ids = None if entry_ids is None else sorted(set(entry_ids))
    if ids == []:
        return
    query = select(
        LibraryOccurrence.entry_id,
        LibraryOccurrence.name,
        LibraryOccurrence.unit,
        LibraryOccurrence.op,
        LibraryOccurrence.direction,
        LibraryOccurrence.kind,
        LibraryOccurrence.value,
        LibraryOccurrence.met,
    )
    if ids is not None:
        query = query.where(LibraryOccurrence.entry_id.in_(ids))
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        grouped[row.entry_id].append(row)
    entries = select(LibraryEntry)
    if ids is not None:
        entries = entries.where(LibraryEntry.id.in_(ids))
    for entry in session.scalars(entries):
        _summarise(session, entry, grouped.get(entry.id, []))
    session.flush()


def _summarise(session: Session, entry: LibraryEntry, rows: list[Any]) -> None:
    entry.occurrence_count = len(rows)
    if not rows:
        if entry.curated_at is None:
            session.delete(entry)
        return
    entry.name = most_common([r.name for r in rows]) or entry.name
    numbers = [r for r in rows if r.kind is TargetKind.QUANTITATIVE]
    entry.unit = most_common([r.unit for r in numbers])
    entry.op = most_common([r.op for r in numbers])
    directed = [r.direction for r in rows if r.direction is not Direction.NEUTRAL]
    entry.direction = most_common(directed) or Direction.NEUTRAL
    values = [r.value for r in numbers if r.unit == entry.unit and r.value is not None]
    found = distribution(values, entry.unit)
    entry.typical = None if found is None else found.median
    entry.met_count = sum(1 for r in rows if r.met is True)
    entry.evaluated_count = sum(1 for r in rows if r.met is not None)
