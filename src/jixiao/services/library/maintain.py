"""Keeping the library in step with the projects.

The occurrences of a project are a function of the project: its indicators while it is approved
(已批复 / 已公开) or came from an imported published table, with the year's self-evaluation
saying whether each target was met. :func:`refresh_project` rewrites them and is called by every
write that changes one of those inputs (a workflow step, an import, a saved self-evaluation);
:func:`rebuild` rewrites all of them (``jixiao library rebuild``). Both leave the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jixiao.db.bulk import insert_rows
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
from jixiao.domain.enums import (
    Direction,
    Operator,
    OrgKind,
    ProjectStatus,
    TargetKind,
    TargetPeriod,
)
from jixiao.domain.indicator import LevelRef
from jixiao.domain.library import (
    Actual,
    category_key,
    distribution,
    met,
    name_key,
    target_direction,
)
from jixiao.domain.target import TargetValue
from jixiao.scoring.classify import level1_key, level2_key
from jixiao.scoring.formats import SELFEVAL_FORMAT, selfeval_from_data

APPROVED = (ProjectStatus.APPROVED, ProjectStatus.PUBLISHED)
IN_LIMIT = 500  # ids in one IN (…) list
REBUILD_BATCH = 200  # projects written per insert by a rebuild
T = TypeVar("T")


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


def refresh_project(session: Session, project_id: int, released: Iterable[int] = ()) -> None:
    """Rewrite the occurrences of one project (none when it no longer qualifies)."""
    refresh_projects(session, [project_id], released)


def refresh_projects(
    session: Session, project_ids: list[int], released: Iterable[int] = ()
) -> None:
    """Rewrite the occurrences of several projects (an import), with one recount; the entries
    ``released`` (by :func:`release`, before indicators were deleted) are recounted too."""
    old = release(session, project_ids)
    new = _write(session, project_ids, _departments(session))
    recount(session, old | new | set(released))


def forget_project(session: Session, project_id: int) -> None:
    """Remove a project's occurrences (before the project itself is deleted)."""
    forget_projects(session, [project_id])


def forget_projects(session: Session, project_ids: list[int]) -> None:
    """Remove the occurrences of several projects (before the projects are deleted)."""
    recount(session, release(session, project_ids))


def release(session: Session, project_ids: list[int]) -> set[int]:
    """Delete the projects' occurrences; returns the entries they were linked to.

    A write that deletes indicators calls this first: the database would otherwise drop their
    occurrences with them and leave their entries' counts stale.
    """
    session.flush()
    old: set[int] = set()
    for chunk in _chunks(project_ids):
        where = LibraryOccurrence.project_id.in_(chunk)
        old |= set(session.scalars(select(LibraryOccurrence.entry_id).where(where)))
        session.execute(delete(LibraryOccurrence).where(where))
    return old


def rebuild(session: Session) -> int:
    """Rewrite every occurrence; returns how many there are now."""
    session.flush()
    session.execute(delete(LibraryOccurrence))
    departments = _departments(session)
    ids = session.scalars(
        select(Project.id)
        .where(Project.status.in_(APPROVED) | Project.document_id.is_not(None))
        .order_by(Project.id)
    ).all()
    for start in range(0, len(ids), REBUILD_BATCH):
        _write(session, list(ids[start : start + REBUILD_BATCH]), departments)
    recount(session, None)
    return session.scalar(select(func.count(LibraryOccurrence.id))) or 0


def _projects(session: Session, project_ids: list[int]) -> list[_Project]:
    """The projects among ``project_ids`` whose indicators belong in the library, by id."""
    rows = session.execute(
        select(Project.id, Project.org_id, Project.status, Project.document_id, FiscalYear.year)
        .join(FiscalYear, FiscalYear.id == Project.fiscal_year_id)
        .where(Project.id.in_(project_ids))
        .where(Project.status.in_(APPROVED) | Project.document_id.is_not(None))
        .order_by(Project.id)
    ).all()
    return [_Project(*row) for row in rows]


def _indicators(session: Session, project_ids: list[int]) -> dict[int, list[_Indicator]]:
    """Each project's indicators as stored (plain rows: the session's objects stay untouched),
    each with its annual target, else its period one."""
    rows = session.execute(
        select(
            Indicator.project_id,
            Indicator.id,
            Indicator.name,
            Indicator.level1_code,
            Indicator.level1_name,
            Indicator.level2_code,
            Indicator.level2_name,
            TargetValueRow,
        )
        .join(TargetValueRow, TargetValueRow.indicator_id == Indicator.id)
        .where(Indicator.project_id.in_(project_ids))
        .order_by(Indicator.project_id, Indicator.position, Indicator.id)
    ).all()
    chosen: dict[int, Any] = {}
    for row in rows:
        if row.id not in chosen or row.TargetValueRow.period is TargetPeriod.ANNUAL:
            chosen[row.id] = row
    out: dict[int, list[_Indicator]] = defaultdict(list)
    for r in chosen.values():
        out[r.project_id].append(
            _Indicator(
                r.id,
                r.name,
                LevelRef(r.level1_code, r.level1_name),
                LevelRef(r.level2_code, r.level2_name),
                _target(r.TargetValueRow),
            )
        )
    return out


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
    session: Session, project_ids: list[int], departments: dict[int, int | None]
) -> set[int]:
    """Add the occurrences of those of the projects that qualify, in one insert; returns the
    entries they link to."""
    session.flush()
    projects = [
        p
        for start in range(0, len(project_ids), IN_LIMIT)
        for p in _projects(session, project_ids[start : start + IN_LIMIT])
    ]
    if not projects:
        return set()
    ids = [p.id for p in projects]
    indicators = _indicators(session, ids)
    actuals = _actuals(session, projects)
    wanted = {(name_key(i.name), _level2(i.level2)): i for p in ids for i in indicators.get(p, [])}
    entries = _entry_ids(session, wanted)
    rows = []
    for project in projects:
        found = actuals.get(project.id, {})
        source = "approved" if project.status in APPROVED else "imported"
        for indicator in indicators.get(project.id, []):
            target = indicator.target
            key, level2 = name_key(indicator.name), _level2(indicator.level2)
            direction = target_direction(target, indicator.level2.name or level2)
            actual = found.get((key, level2)) or found.get((key, ""))
            rows.append(
                {
                    "entry_id": entries[key, level2],
                    "project_id": project.id,
                    "indicator_id": indicator.id,
                    "org_id": project.org_id,
                    "department_id": departments.get(project.org_id),
                    "document_id": project.document_id,
                    "year": project.year,
                    "source": source,
                    "name": indicator.name,
                    "name_key": key,
                    "raw": target.raw,
                    "kind": target.kind,
                    "op": target.op,
                    "value": target.value,
                    "unit": target.unit,
                    "direction": direction,
                    "met": None if actual is None else met(target, actual, direction),
                }
            )
    insert_rows(session, LibraryOccurrence, rows)
    return set(entries.values())


def _entry_ids(
    session: Session, wanted: dict[tuple[str, str], _Indicator]
) -> dict[tuple[str, str], int]:
    """The entry id of each (name key, level-2 key), the missing entries created."""
    out: dict[tuple[str, str], int] = {}
    keys = sorted({key for key, _ in wanted})
    for start in range(0, len(keys), IN_LIMIT):
        found = session.execute(
            select(LibraryEntry.name_key, LibraryEntry.level2_key, LibraryEntry.id).where(
                LibraryEntry.name_key.in_(keys[start : start + IN_LIMIT])
            )
        )
        out.update({(k, l2): i for k, l2, i in found if (k, l2) in wanted})
    for (key, level2), indicator in wanted.items():
        if (key, level2) not in out:
            out[key, level2] = entry_id_for(
                session,
                key,
                level2,
                name=indicator.name,
                level1_name=_level1_name(indicator),
                level2_name=f"{level2}指标" if level2 else None,
            )
    return out


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


def _actuals(
    session: Session, projects: list[_Project]
) -> dict[int, dict[tuple[str, str], Actual]]:
    """Per project, what its year's self-evaluation reports per indicator, by (name key,
    level-2 key)."""
    years = {p.id: p.year for p in projects}
    records = session.execute(
        select(
            SelfEvaluationRecord.project_id, SelfEvaluationRecord.year, SelfEvaluationRecord.entry
        ).where(SelfEvaluationRecord.project_id.in_(list(years)))
    )
    out: dict[int, dict[tuple[str, str], Actual]] = {}
    for project_id, year, entry in records:
        if years[project_id] != year:
            continue
        data = {"format": SELFEVAL_FORMAT, "year": year, "projects": [entry]}
        (ev,) = selfeval_from_data(data)
        found = out.setdefault(project_id, {})
        for ind in ev.indicators:
            actual = Actual(ind.actual, ind.actual_date, ind.tier, ind.not_applicable)
            level2 = category_key(level2_key(ind.level2))
            found.setdefault((name_key(ind.name), level2), actual)
            found.setdefault((name_key(ind.name), ""), actual)
    return out


def recount(session: Session, entry_ids: Iterable[int] | None) -> None:
    """Set each entry's count and its most common name, unit, operator and direction;
    drop entries left without occurrences unless they carry curated fields.

    The database groups the occurrences: one row per entry and distinct (name, unit, operator,
    direction, kind, value, met) with how many there are, so the work here grows with the
    variety of an entry's targets, not with how often it occurs.
    """
    ids = None if entry_ids is None else sorted(set(entry_ids))
    if ids == []:
        return
    grouped = _groups(session, ids)
    for chunk in [None] if ids is None else _chunks(ids):
        entries = select(LibraryEntry)
        if chunk is not None:
            entries = entries.where(LibraryEntry.id.in_(chunk))
        for entry in session.scalars(entries):
            _summarise(session, entry, grouped.get(entry.id, []))
    session.flush()


@dataclass(frozen=True)
class _Group:
    name: str
    unit: str | None
    op: Operator | None
    direction: Direction
    kind: TargetKind
    value: Decimal | None
    met: bool | None
    count: int


def _groups(session: Session, entry_ids: list[int] | None) -> dict[int, list[_Group]]:
    """The entries' occurrences grouped by everything a summary reads, by entry id."""
    o = LibraryOccurrence
    columns = (o.entry_id, o.name, o.unit, o.op, o.direction, o.kind, o.value, o.met)
    query = select(*columns, func.count()).group_by(*columns)
    out: dict[int, list[_Group]] = defaultdict(list)
    for chunk in [None] if entry_ids is None else _chunks(entry_ids):
        found = query if chunk is None else query.where(o.entry_id.in_(chunk))
        for entry_id, name, unit, op, direction, kind, value, met_, count in session.execute(found):
            out[entry_id].append(_Group(name, unit, op, direction, kind, value, met_, count))
    return out


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + IN_LIMIT] for start in range(0, len(ids), IN_LIMIT)]


def _most_common(groups: list[_Group], of: Callable[[_Group], T]) -> T | None:
    """The most frequent value; of those tied, the first in text order (so that an entry reads
    the same whatever order its occurrences were written in); None for no groups."""
    counts: dict[T, int] = defaultdict(int)
    for g in groups:
        counts[of(g)] += g.count
    if not counts:
        return None
    best = max(counts.values())
    return min((v for v, n in counts.items() if n == best), key=tie_order)


def tie_order(value: object) -> tuple[bool, str]:
    """How tied values are ordered: none first, then by their text."""
    return value is not None, str(value)


def _summarise(session: Session, entry: LibraryEntry, groups: list[_Group]) -> None:
    entry.occurrence_count = sum(g.count for g in groups)
    if not groups:
        if entry.curated_at is None:
            session.delete(entry)
        return
    entry.name = _most_common(groups, lambda g: g.name) or entry.name
    numbers = [g for g in groups if g.kind is TargetKind.QUANTITATIVE]
    entry.unit = _most_common(numbers, lambda g: g.unit)
    entry.op = _most_common(numbers, lambda g: g.op)
    directed = [g for g in groups if g.direction is not Direction.NEUTRAL]
    entry.direction = _most_common(directed, lambda g: g.direction) or Direction.NEUTRAL
    values = [
        g.value
        for g in numbers
        if g.unit == entry.unit and g.value is not None
        for _ in range(g.count)
    ]
    found = distribution(values, entry.unit)
    entry.typical = None if found is None else found.median
    entry.met_count = sum(g.count for g in groups if g.met is True)
    entry.evaluated_count = sum(g.count for g in groups if g.met is not None)
